import { describe, expect, it } from 'vitest';
import { rovingMove } from '../../../../extension/ui/roving';

describe('rovingMove: arrow keys through rows of controls', () => {
  // Three rows: Connect, Pin, Remove; a Linux row (Pin, Remove); a busy row (Pin only).
  const counts = [3, 2, 1];

  it('Down and Up keep the column where the row has it, else its last control', () => {
    expect(rovingMove('ArrowDown', counts, 0, 0)).toEqual({ row: 1, col: 0 });
    expect(rovingMove('ArrowDown', counts, 0, 2)).toEqual({ row: 1, col: 1 });
    expect(rovingMove('ArrowDown', counts, 1, 1)).toEqual({ row: 2, col: 0 });
    expect(rovingMove('ArrowUp', counts, 2, 0)).toEqual({ row: 1, col: 0 });
    expect(rovingMove('ArrowDown', counts, 2, 0)).toBeNull();
    expect(rovingMove('ArrowUp', counts, 0, 0)).toBeNull();
  });

  it('Left and Right stay in the row; Home and End go to the first and last row; other keys are not ours', () => {
    expect(rovingMove('ArrowRight', counts, 0, 0)).toEqual({ row: 0, col: 1 });
    expect(rovingMove('ArrowRight', counts, 0, 2)).toBeNull();
    expect(rovingMove('ArrowLeft', counts, 0, 0)).toBeNull();
    expect(rovingMove('End', counts, 0, 1)).toEqual({ row: 2, col: 0 });
    expect(rovingMove('Home', counts, 2, 0)).toEqual({ row: 0, col: 0 });
    expect(rovingMove('Tab', counts, 0, 0)).toBeNull();
  });

  it('skips a row with no enabled control', () => {
    expect(rovingMove('ArrowDown', [1, 0, 2], 0, 0)).toEqual({ row: 2, col: 0 });
  });
});
