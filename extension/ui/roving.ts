/**
 * Arrow keys in a list whose rows each hold a few controls (the popup's recent VMs): one tab stop per row, Up and
 * Down move to the same control of the next row (or its last one), Left and Right along the row, Home and End to
 * the first and last row. Works on counts and indices only, so it is tested without a page.
 */

/** Where focus goes from control `col` of row `row` on `key`; null when the key is not ours or leads nowhere. */
export function rovingMove(
  key: string,
  counts: readonly number[],
  row: number,
  col: number,
): { row: number; col: number } | null {
  const rowAt = (r: number) => (counts[r] ?? 0) > 0 && { row: r, col: Math.min(col, (counts[r] ?? 1) - 1) };
  const find = (from: number, step: number) => {
    for (let r = from; r >= 0 && r < counts.length; r += step) {
      const target = rowAt(r);
      if (target) return target;
    }
    return null;
  };
  switch (key) {
    case 'ArrowDown':
      return find(row + 1, 1);
    case 'ArrowUp':
      return find(row - 1, -1);
    case 'Home':
      return find(0, 1);
    case 'End':
      return find(counts.length - 1, -1);
    case 'ArrowRight':
      return col + 1 < (counts[row] ?? 0) ? { row, col: col + 1 } : null;
    case 'ArrowLeft':
      return col > 0 ? { row, col: col - 1 } : null;
    default:
      return null;
  }
}

/** Moves focus among `rowSelector`'s rows' enabled `controlSelector` controls inside `list`, for a keydown. */
export function rovingKeydown(
  event: KeyboardEvent,
  list: HTMLElement,
  rowSelector: string,
  controlSelector: string,
): void {
  const rows = [...list.querySelectorAll<HTMLElement>(rowSelector)].map((r) => [
    ...r.querySelectorAll<HTMLElement>(`${controlSelector}:not(:disabled)`),
  ]);
  const row = rows.findIndex((controls) => controls.includes(document.activeElement as HTMLElement));
  if (row < 0) return;
  const col = (rows[row] ?? []).indexOf(document.activeElement as HTMLElement);
  const next = rovingMove(
    event.key,
    rows.map((r) => r.length),
    row,
    col,
  );
  if (!next) return;
  event.preventDefault();
  rows[next.row]?.[next.col]?.focus();
}
