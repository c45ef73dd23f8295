export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** One `check` run: how long it took and its longest chain of dependent ARM requests. */
export interface CheckSample {
  ms: number;
  depth: number;
}

/** The check keys of docs/PROTOCOL.md §5, every one a median over the runs (depths too, like the timings). */
export function checkSummary(
  first: readonly CheckSample[],
  known: readonly CheckSample[],
  naive: readonly number[],
): Record<'checkDepth' | 'checkDepthKnown' | 'checkMs' | 'checkKnownMs' | 'naiveCheckMs', number> {
  return {
    checkDepth: median(first.map((r) => r.depth)),
    checkDepthKnown: median(known.map((r) => r.depth)),
    checkMs: median(first.map((r) => r.ms)),
    checkKnownMs: median(known.map((r) => r.ms)),
    naiveCheckMs: median([...naive]),
  };
}
