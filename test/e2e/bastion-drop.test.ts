/**
 * A Bastion that drops the tunnel's WebSocket while the real FreeRDP client is in a session through it, in real
 * headless Chromium with the real host: the tunnel's local port closes, and the user — whose report has long
 * closed — learns it from the toolbar badge and the popup: one sentence, and "Connect again", which launches the
 * client once more through a new tunnel. A later connection whose session the Bastion refuses ends its tunnel
 * the same way, with the refusal's sentence. The Bastion's host permission is granted up front (sim/browser.ts).
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserSession } from '../../sim/browser';
import type { Demo } from '../../sim/demo';
import type { DemoClient } from '../../sim/demo-client';
import { waitFor } from '../../sim/drive';
import { ownRuns } from '../support/client-runs';
import { type DemoBrowser, openVmReport, startDemoBrowser } from '../support/demo-browser';
import { badgeText, extensionUrl } from '../support/extension-state';
import { listening } from '../support/ports';

let run: DemoBrowser;
let demo: Demo;
let client: DemoClient;
let session: BrowserSession;

beforeAll(async () => {
  run = await startDemoBrowser({ bastion: true });
  ({ demo, client, session } = run);
}, 60_000);
afterAll(() => run?.close());

const portOf = (address: string) => Number(address.split(':')[1]);
/** The tunnel Connect again opened: its client is gone, it still listens for the client's next connection. */
let secondPort = 0;

it('a dropped tunnel closes its port, is one sentence in the popup, and Connect again launches through a new tunnel', async () => {
  const bastion = demo.bastion;
  if (!bastion) throw new Error('the demo has no Bastion');

  // Connect from the portal; the client stays in its session, through the tunnel and the simulated Bastion.
  client.holdNextRun();
  const { page, report } = await openVmReport(session, demo, 'vm-bastion', true);
  await report.getByText(/Started/).waitFor({ timeout: 60_000 });
  await waitFor(() => bastion.openTunnels() > 0, 'the client’s WebSocket through the Bastion', 30_000);
  // The report has closed by the time a long session ends, as it usually has; a popup left open shows no notice.
  await page.close();
  expect(await badgeText(session.worker)).toBe('');
  const popupUrl = extensionUrl(session.worker, 'popup/index.html');
  const openBefore = await session.context.newPage();
  await openBefore.goto(popupUrl);
  await openBefore.getByRole('listitem', { name: 'vm-bastion', exact: true }).waitFor();
  expect(await openBefore.getByRole('button', { name: 'Connect again' }).count()).toBe(0);

  // The Bastion drops it: the client's session ends, and so does the tunnel.
  bastion.dropAll();
  const [held] = await waitFor(
    () => client.runs().length > 0 && client.runs(),
    'the held client run',
    60_000,
  );
  expect(held?.exit).not.toBe(0);
  const firstPort = portOf(held?.address ?? '');
  expect(held?.address).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(firstPort).not.toBe(run.server.port);

  // The toolbar says so (the host sends tunnel-closed once the port is closed: nothing is left listening).
  await waitFor(async () => (await badgeText(session.worker)) === '!', 'the badge', 30_000);
  expect(await listening(firstPort)).toBe(false);

  // The popup that was open shows it as it comes; one opened now says what happened, with the one action.
  await openBefore.getByText('The Bastion bas-hub dropped the connection to vm-bastion.').waitFor();
  await openBefore.close();
  const popup = await session.context.newPage();
  await popup.goto(popupUrl);
  const sentence = popup.getByText('The Bastion bas-hub dropped the connection to vm-bastion.');
  await sentence.waitFor();
  expect(
    await sentence.evaluate((p) => Number.parseFloat(getComputedStyle(p).fontSize)),
  ).toBeGreaterThanOrEqual(14);
  const again = popup.getByRole('button', { name: 'Connect again' });
  await again.waitFor();
  // The popup opened for this: the focus is on the action, so Enter connects.
  await waitFor(
    () => again.evaluate((b) => b === document.activeElement),
    'the focus on Connect again',
    10_000,
  );
  expect(await popup.getByRole('button', { name: 'Connect again' }).count()).toBe(1);
  // The popup's size, as report-steps.test.ts takes the other popup pictures (docs/screenshots/).
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.screenshot({ path: 'test-results/popup-tunnel-closed.png' });

  const before = client.runs().length;
  const postsBefore = bastion.log.filter((e) => e.method === 'POST').length;
  await popup.keyboard.press('Enter');
  // The focus follows the task to the VM's row, where the check and the launch show.
  const row = popup.getByRole('listitem', { name: 'vm-bastion', exact: true });
  await waitFor(
    () => row.evaluate((li) => li === document.activeElement),
    'the focus on the VM’s row',
    10_000,
  );
  // A new tunnel on another port, the client authenticated through it (the demo client uses 127.0.0.1 as given).
  await row.getByText(/Started/).waitFor({ timeout: 60_000 });
  const [again1] = await waitFor(
    () => client.runs().length > before && client.runs().slice(before),
    'the client run after Connect again',
    60_000,
  );
  secondPort = portOf(again1?.address ?? '');
  expect(again1?.address).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(secondPort).not.toBe(firstPort);
  expect(again1?.exit).toBe(0);
  expect(await ownRuns(client, before, again1?.address ?? '')).toHaveLength(1);
  expect(bastion.log.filter((e) => e.method === 'POST').length).toBeGreaterThan(postsBefore);
  // The notice is gone with the press, and so is the badge.
  expect(await popup.getByText(/dropped the connection/).count()).toBe(0);
  expect(await badgeText(session.worker)).toBe('');
  await popup.close();
}, 180_000);

it('a later connection whose session the Bastion refuses ends that tunnel too, and the popup gives the refusal', async () => {
  const bastion = demo.bastion;
  if (!bastion) throw new Error('the demo has no Bastion');
  expect(secondPort).toBeGreaterThan(0);
  bastion.refuseSessions(403, 'Forbidden');
  // As a client reconnecting: a new TCP connection on the tunnel's port, which needs a new session.
  const reconnecting = net.connect(secondPort, '127.0.0.1');
  reconnecting.on('error', () => undefined);
  const dropped = new Promise((resolve) => reconnecting.once('close', resolve));
  await waitFor(async () => (await badgeText(session.worker)) === '!', 'the badge', 30_000);
  await dropped;
  expect(await listening(secondPort)).toBe(false);
  const popup = await session.context.newPage();
  await popup.goto(extensionUrl(session.worker, 'popup/index.html'));
  await popup
    .getByText(/^The Bastion refused the session with 403: Forbidden; check the Reader role/)
    .waitFor();
  expect(await popup.getByRole('button', { name: 'Connect again' }).count()).toBe(1);
  bastion.reset();
  await popup.close();
}, 120_000);
