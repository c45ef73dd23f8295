/**
 * Acting only on the user's intent, against a portal page that attacks the report panel with its own scripts, in
 * real headless Chromium with the simulated Azure, the real host and the real FreeRDP client: one trusted click
 * launches once however often the page re-attaches the panel; a press on a panel the page has just moved is
 * refused, on a rested one it acts; frames the page planted take no click result, add no recent VM, fix and
 * launch nothing.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrowserSession } from '../../sim/browser';
import type { Demo } from '../../sim/demo';
import type { DemoClient } from '../../sim/demo-client';
import { clickRdpNow, openReport, waitFor } from '../../sim/drive';
import { ownRuns, press } from '../support/client-runs';
import { type DemoBrowser, startDemoBrowser } from '../support/demo-browser';
import { extensionUrl } from '../support/extension-state';

let run: DemoBrowser;
let demo: Demo;
let client: DemoClient;
let session: BrowserSession;

beforeAll(async () => {
  run = await startDemoBrowser();
  ({ demo, client, session } = run);
}, 60_000);
afterAll(() => run?.close());

const vmId = (name: string) => demo.arm.vm(name as never);
const reportFrames = (page: Page) => page.frames().filter((f) => f.url().includes('/report/index.html'));
/** How long a page's attack is given to show an effect before the test counts what happened. */
const ATTACK_MS = 5_000;

/** Whether some report frame of the page shows `text` within ATTACK_MS. */
async function shows(page: Page, text: RegExp): Promise<boolean> {
  const probe = async () => {
    for (const frame of reportFrames(page))
      if (
        await frame
          .getByText(text)
          .count()
          .catch(() => 0)
      )
        return true;
    return false;
  };
  return waitFor(probe, String(text), ATTACK_MS).catch(() => false);
}

/** The recent VMs the background keeps, read in the service worker. */
async function recentIds(): Promise<string[]> {
  const worker = session.context.serviceWorkers().at(-1) ?? session.worker;
  const { recents } = (await worker.evaluate(() => chrome.storage.local.get('recents'))) as {
    recents?: Array<{ id: string }>;
  };
  return (recents ?? []).map((r) => r.id.toLowerCase());
}

/** A report frame the page itself puts in, with no click (the report page is web-accessible on the portal). */
async function plant(page: Page, name: string): Promise<Frame> {
  const src = extensionUrl(session.worker, `report/index.html?vm=${encodeURIComponent(vmId(name))}`);
  await page.evaluate((url) => {
    const frame = document.createElement('iframe');
    frame.src = url;
    frame.id = 'planted';
    frame.style.cssText = 'position:fixed;left:0;top:0;width:420px;height:600px;z-index:2147483647;border:0';
    document.body.append(frame);
  }, src);
  const named = (f: Frame) => new URL(f.url()).searchParams.get('vm')?.endsWith(`/${name}`);
  return waitFor(() => reportFrames(page).find(named), `the planted frame of ${name}`);
}

it('one trusted click launches once, however often the page re-attaches the panel', async () => {
  const signIn = session.context.waitForEvent('page', {
    predicate: (p) => p.url().includes('login.microsoftonline.com'),
    timeout: 30_000,
  });
  const { page, report } = await openReport(session.context, demo.vmPageUrl(vmId('vm-ready')), 'vm-ready');
  const login = await signIn;
  await login.getByRole('button', { name: 'Sign in' }).click();
  await report.getByText(/Started/).waitFor({ timeout: 30_000 });
  // The page keeps our panel's host element and puts it back: at once, while the report is open, then twice
  // more once RDP now has closed it.
  let relaunched = 0;
  for (let round = 0; round < 3; round++) {
    await page.evaluate(() => {
      const kept = (window as { kept?: Element }).kept ?? document.querySelector('rdp-now-panel');
      if (!kept) throw new Error('no panel to re-attach');
      (window as { kept?: Element }).kept = kept;
      kept.remove();
      document.documentElement.append(kept);
    });
    if (await shows(page, /Started/)) relaunched++;
    await waitFor(() => reportFrames(page).length === 0, 'the panel to close', 10_000).catch(() => undefined);
  }
  await waitFor(() => client.runs().length >= 1 + relaunched, 'the relaunched clients to end', 30_000);
  expect(relaunched).toBe(0);
  expect(await ownRuns(client, 0, '20.50.1.10:3389')).toEqual([{ exit: 0, address: '20.50.1.10:3389' }]);
  await page.close();
}, 120_000);

it('a press on a panel the page moved 100 ms before is refused with a sentence; on a rested panel it acts at once', async () => {
  const { page, report } = await openReport(
    session.context,
    demo.vmPageUrl(vmId('vm-deallocated')),
    'vm-deallocated',
  );
  const startVm = report.getByRole('button', { name: 'Start VM', exact: true });
  await startVm.waitFor({ timeout: 30_000 });
  await new Promise((r) => setTimeout(r, 400));
  const box = await startVm.boundingBox();
  if (!box) throw new Error('no box for Start VM');
  // The pointer rests where the button will be once the page has moved the panel 600 px to the left.
  const x = box.x - 600 + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.evaluate(() => {
    const host = document.querySelector('rdp-now-panel') as HTMLElement | null;
    if (!host) throw new Error('no panel');
    host.style.setProperty('right', '600px');
  });
  await new Promise((r) => setTimeout(r, 100));
  await page.mouse.down();
  await page.mouse.up();
  await report
    .getByText('The RDP now panel has just moved: check what you are pressing, then press the button again.')
    .waitFor({ timeout: 10_000 });
  const started = () =>
    demo.arm.requests.some((r) => r.method === 'POST' && /vm-deallocated\/start$/i.test(r.path));
  expect(started()).toBe(false);
  // Rested for a moment where it now is: the same press acts at once.
  await press(report, 'Start VM');
  await waitFor(started, 'the VM start request');
  await page.close();
}, 90_000);

it('a frame the page planted with no click adds no recent VM, cannot fix and cannot launch', async () => {
  const page = await session.context.newPage();
  await page.goto(demo.vmPageUrl(vmId('vm-ready')));
  const before = client.runs().length;
  const recents = await recentIds();
  expect(recents).not.toContain(vmId('vm-jit').toLowerCase());
  const planted = await plant(page, 'vm-jit');
  await press(planted, 'Request access');
  await planted.getByText(/not opened by RDP now/).waitFor({ timeout: 10_000 });
  expect(demo.arm.requests.some((r) => r.method === 'POST' && /\/initiate$/i.test(r.path))).toBe(false);
  expect(await recentIds()).toEqual(recents);
  const ready = await plant(page, 'vm-multi-nic');
  await press(ready, 'Connect');
  await ready.getByText(/not opened by RDP now/).waitFor({ timeout: 10_000 });
  expect(await recentIds()).toEqual(recents);
  expect(client.runs().length).toBe(before);
  await page.close();
}, 90_000);

it('a frame planted in place of the panel right after the click does not receive that click’s result', async () => {
  const page = await session.context.newPage();
  const cdp = await session.context.newCDPSession(page);
  await page.goto(demo.vmPageUrl(vmId('vm-multi-nic')));
  const src = extensionUrl(
    session.worker,
    `report/index.html?vm=${encodeURIComponent(vmId('vm-multi-nic'))}`,
  );
  // The page swaps our panel for its own frame of the same report the moment the panel appears.
  await page.evaluate((url) => {
    new MutationObserver((_, observer) => {
      const ours = document.querySelector('rdp-now-panel');
      if (!ours) return;
      observer.disconnect();
      ours.remove();
      const frame = document.createElement('iframe');
      frame.src = url;
      frame.style.cssText = 'position:fixed;right:0;top:0;width:420px;height:100%;border:0';
      document.body.append(frame);
    }).observe(document.documentElement, { childList: true });
  }, src);
  const before = client.runs().length;
  await clickRdpNow(page, cdp, 'vm-multi-nic');
  // The page's own frame, a child of its body (ours, briefly there before the page removed it, lives in a
  // closed shadow root and is detached by then).
  const planted = await waitFor(async () => {
    for (const frame of reportFrames(page)) {
      if (frame.isDetached()) continue;
      const element = await frame.frameElement().catch(() => null);
      if (await element?.evaluate((e) => e.parentElement === document.body).catch(() => false)) return frame;
    }
    return undefined;
  }, 'the planted frame');
  // The click's own launch happens (the user asked for it); the planted frame only gets a check of its own.
  expect(await ownRuns(client, before, '20.50.1.90:3389')).toEqual([{ exit: 0, address: '20.50.1.90:3389' }]);
  await planted.getByRole('button', { name: 'Connect', exact: true }).waitFor({ timeout: 20_000 });
  expect(await shows(page, /Started/)).toBe(false);
  await page.close();
}, 90_000);
