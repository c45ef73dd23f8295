/**
 * The longest chain of ARM requests that waited on each other, read from the simulated Azure's request log:
 * a request can only depend on one that had ended before it started, so the longest sequence of such requests
 * bounds the chain from above. With 100 ms per request, parallel requests overlap and never chain.
 */
export interface TimedRequest {
  path: string;
  start: number;
  end: number;
}

export function longestChain(requests: readonly TimedRequest[]): number {
  // Resource Graph's queries count as ARM requests (they go to ARM's host, and chain like the others).
  const arm = requests
    .filter(
      (r) =>
        r.path.startsWith('/subscriptions/') ||
        r.path.toLowerCase().startsWith('/providers/microsoft.resourcegraph/'),
    )
    .sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  for (const [i, r] of arm.entries()) {
    let before = 0;
    for (let j = 0; j < i; j++) {
      if ((arm[j] as TimedRequest).end <= r.start) before = Math.max(before, depth[j] as number);
    }
    depth.push(before + 1);
  }
  return Math.max(0, ...depth);
}
