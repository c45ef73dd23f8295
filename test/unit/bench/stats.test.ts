/** bench/stats.ts: every key of docs/PROTOCOL.md §5 is a median over the runs, the check depths included. */
import { describe, expect, it } from 'vitest';
import { checkSummary, median } from '../../../bench/stats';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe('checkSummary', () => {
  it('reports the median depth of the runs, not the deepest one (one slow request must not decide it)', () => {
    const sample = (depth: number, ms: number) => ({ depth, ms });
    const first = [sample(2, 210), sample(2, 205), sample(3, 320), sample(2, 208), sample(2, 230)];
    const known = [sample(1, 104), sample(2, 215), sample(1, 102)];
    expect(checkSummary(first, known, [700, 710, 690])).toEqual({
      checkDepth: 2,
      checkDepthKnown: 1,
      checkMs: 210,
      checkKnownMs: 104,
      naiveCheckMs: 700,
    });
  });
});
