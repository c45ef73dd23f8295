/** Waiting on what a person reads in a page of the product, whichever browser drives it. */
import type { Surface } from '../../sim/demo-driver';
import { waitFor } from '../../sim/drive';

/** The text once it matches; on a timeout, the error says what the page showed instead. */
export async function waitForText(surface: Surface, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  let last = '';
  try {
    return await waitFor(
      async () => {
        last = await surface.text().catch(() => last);
        return pattern.test(last) ? last : null;
      },
      `"${pattern.source}" in the page`,
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; it showed: ${JSON.stringify(last)}`);
  }
}
