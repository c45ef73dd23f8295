/** Waiting on what a person reads in a page of the product, whichever browser drives it. */
import type { Surface } from '../../sim/demo-driver';
import { waitFor } from '../../sim/drive';

export function waitForText(surface: Surface, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    async () => {
      const text = await surface.text().catch(() => '');
      return pattern.test(text) ? text : null;
    },
    `"${pattern.source}" in the page`,
    timeoutMs,
  );
}
