import { describe, expect, it } from 'vitest';
import { parseIsoDuration } from '../../../../shared/checks/iso-duration';

describe('parseIsoDuration', () => {
  it.each([
    ['PT3H', 3 * 3600_000],
    ['PT30M', 30 * 60_000],
    ['P1D', 24 * 3600_000],
    ['PT1H30M', 90 * 60_000],
    ['PT45S', 45_000],
    ['P1DT2H', 26 * 3600_000],
  ])('%s', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '3H', 'PT3X', 'P1W'])('refuses %j', (text) => {
    expect(parseIsoDuration(text)).toBeNull();
  });
});
