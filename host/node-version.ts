/**
 * The oldest Node the host runs on (package.json's `engines`). This module imports nothing, so that
 * host/rdp-now.ts can run it before any module that may need a newer Node is even linked.
 */
export const MIN_NODE = '20.19.0';

/** Compares dotted versions numerically ("20.9.0" < "20.19.0"); a leading "v" is ignored. */
export function isOlderNode(found: string, minimum: string = MIN_NODE): boolean {
  const parts = (v: string) =>
    v
      .replace(/^v/, '')
      .split('.')
      .map((n) => Number.parseInt(n, 10) || 0);
  const a = parts(found);
  const b = parts(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** One sentence for a Node that is too old, or null when this one will do. */
export function nodeVersionProblem(found: string): string | null {
  if (!isOlderNode(found)) return null;
  return `RDP now needs Node ${MIN_NODE} or newer but found ${found.replace(/^v/, '')}: install Node 20.19 or later (https://nodejs.org, or your package manager's nodejs 20/22 LTS) and run the command again.`;
}
