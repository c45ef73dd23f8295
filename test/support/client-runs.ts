/** What the browser tests share about launches and presses in the report (flows.test.ts, intent.test.ts). */
import type { Frame } from 'playwright-core';
import type { ClientRun, DemoClient } from '../../sim/demo-client';
import { waitFor } from '../../sim/drive';

/**
 * Waits for this test's own client run to the address it expects and returns every run that ended since
 * `before`. A test waits for its launch to end before it finishes, so a late run of one test never lands in the
 * next one's count, and an extra launch (of any address) still fails the test that caused it.
 */
export async function ownRuns(client: DemoClient, before: number, address: string): Promise<ClientRun[]> {
  await waitFor(
    () =>
      client
        .runs()
        .slice(before)
        .some((r) => r.address === address),
    `the client run to ${address}`,
    30_000,
  );
  return client.runs().slice(before);
}

/** Presses a report button as a person does: once it has been on screen for a moment (see report/visibility.ts). */
export async function press(report: Frame, name: string, timeout = 30_000): Promise<void> {
  const button = report.getByRole('button', { name, exact: true });
  await button.waitFor({ timeout });
  await new Promise((r) => setTimeout(r, 400));
  await button.click();
}
