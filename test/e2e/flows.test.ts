/**
 * The product as a user meets it, in real headless Chromium: the simulated portal, ARM and Entra ID at their
 * real host names, the built extension (MSAL in its offscreen document), the real host, and the real FreeRDP
 * client authenticating to a real RDP server on loopback.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_CLI_CLIENT_ID } from '../../shared/azure/host-sign-in-url';
import type { BrowserSession } from '../../sim/browser';
import type { Demo } from '../../sim/demo';
import type { DemoClient } from '../../sim/demo-client';
import { openReport, waitFor } from '../../sim/drive';
import { press, ownRuns as runsOf } from '../support/client-runs';
import { type DemoBrowser, startDemoBrowser } from '../support/demo-browser';
import { stopServiceWorkers } from '../support/extension-state';

let run: DemoBrowser;
let demo: Demo;
let client: DemoClient;
let session: BrowserSession;

beforeAll(async () => {
  run = await startDemoBrowser();
  ({ demo, client, session } = run);
}, 60_000);
afterAll(() => run?.close());

const ownRuns = (before: number, address: string) => runsOf(client, before, address);

function openVm(name: string) {
  return openReport(session.context, demo.vmPageUrl(demo.arm.vm(name as never)), name);
}

describe('a VM met for the first time', () => {
  it('signs in with no app registration (the host sign-in page in a tab, closed after), checks, and the client authenticates', async () => {
    const signInPage = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('login.microsoftonline.com'),
      timeout: 30_000,
    });
    const { page, report } = await openVm('vm-ready');
    const login = await signInPage;
    const url = new URL(login.url());
    // The Azure CLI's public client, and MSAL Node's loopback answer: the host signs in, not the extension.
    expect(url.searchParams.get('client_id')).toBe(AZURE_CLI_CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await login.waitForEvent('close', { timeout: 30_000 });
    await report.getByText(/Started/).waitFor({ timeout: 30_000 });
    expect(await ownRuns(0, '20.50.1.10:3389')).toEqual([{ exit: 0, address: '20.50.1.10:3389' }]);
    expect(demo.authority.events.map((e) => e.outcome)).toContain('signed in');
    await page.screenshot({ path: 'test-results/report-ready.png' });
    await page.close();
  }, 90_000);
});

describe('fixes offered in the report', () => {
  it('a deallocated VM: "Start VM" starts it in the simulation, then Connect launches', async () => {
    const before = client.runs().length;
    const { page, report } = await openVm('vm-deallocated');
    await press(report, 'Start VM');
    await press(report, 'Connect');
    await report.getByText(/Started/).waitFor({ timeout: 20_000 });
    expect(await ownRuns(before, '20.50.1.20:3389')).toEqual([{ exit: 0, address: '20.50.1.20:3389' }]);
    expect(demo.arm.requests.some((r) => r.method === 'POST' && /vm-deallocated\/start$/i.test(r.path))).toBe(
      true,
    );
    await page.close();
  }, 90_000);

  it('a JIT-protected VM: "Request access" asks Defender for this IP, then Connect launches', async () => {
    const before = client.runs().length;
    const { page, report } = await openVm('vm-jit');
    await press(report, 'Request access');
    await press(report, 'Connect');
    await report.getByText(/Started/).waitFor({ timeout: 20_000 });
    expect(await ownRuns(before, '20.50.1.40:3389')).toEqual([{ exit: 0, address: '20.50.1.40:3389' }]);
    expect(demo.arm.requests.some((r) => r.method === 'POST' && /\/initiate$/i.test(r.path))).toBe(true);
    await page.close();
  }, 90_000);

  it('an NSG deny: the deciding rule is named and the add-rule fix is offered', async () => {
    const { page, report } = await openVm('vm-nsg-deny');
    await report
      .getByText(/DenyAllInBound/)
      .first()
      .waitFor({ timeout: 20_000 });
    await report.getByRole('button', { name: 'Add rule for my IP' }).waitFor();
    await page.screenshot({ path: 'test-results/report-nsg-deny.png' });
    await page.close();
  }, 60_000);
});

describe('sign-in after a restart', () => {
  it('renews silently once the worker and the host process are gone (the host keeps the sign-in encrypted on disk)', async () => {
    const authorizeBefore = demo.authority.events.filter((e) => e.endpoint === 'authorize').length;
    const before = client.runs().length;
    // The token lives in the service worker, the refresh token in the host: end both, as Chromium does when idle
    // (the host process ends with the worker's port).
    await stopServiceWorkers(session.context, session.worker);
    const { page, report } = await openVm('vm-multi-nic');
    await report.getByText(/Started/).waitFor({ timeout: 30_000 });
    expect(await ownRuns(before, '20.50.1.90:3389')).toEqual([{ exit: 0, address: '20.50.1.90:3389' }]);
    // No page at all: neither a sign-in page nor a silent authorize request, only the kept refresh token.
    expect(demo.authority.events.filter((e) => e.endpoint === 'authorize').length).toBe(authorizeBefore);
    await page.close();
  }, 90_000);
});

describe('a worker stopped while the VM starts', () => {
  it('the report resumes the wait from the persisted start, finishes, and Connect launches', async () => {
    // vm-deallocated again (an earlier test started it).
    demo.arm.reset();
    const before = client.runs().length;
    const { page, report } = await openVm('vm-deallocated');
    await report.getByRole('button', { name: 'Start VM', exact: true }).waitFor({ timeout: 30_000 });
    // Slow ARM down so that the start is still waiting when the worker goes.
    demo.arm.setLatency(3000);
    await press(report, 'Start VM');
    const starts = () =>
      demo.arm.requests.filter((r) => r.method === 'POST' && /vm-deallocated\/start$/i.test(r.path));
    await waitFor(() => starts().length === 1, 'the start request');
    await stopServiceWorkers(session.context, session.worker);
    demo.arm.setLatency(0);
    await press(report, 'Connect');
    await report.getByText(/Started/).waitFor({ timeout: 20_000 });
    expect(await ownRuns(before, '20.50.1.20:3389')).toEqual([{ exit: 0, address: '20.50.1.20:3389' }]);
    // The next worker started it again (ARM's start is idempotent) and waited for it.
    expect(starts()).toHaveLength(2);
    await page.close();
  }, 90_000);
});

describe('popup and context menu', () => {
  it('the popup lists recent VMs and reconnects in one click', async () => {
    session.worker = session.context.serviceWorkers().at(-1) ?? session.worker;
    const before = client.runs().length;
    const popup = await session.context.newPage();
    await popup.setViewportSize({ width: 420, height: 640 });
    await popup.goto(`${session.worker.url().replace('background.js', '')}popup/index.html`);
    await popup.getByText('vm-ready').first().waitFor();
    await popup.screenshot({ path: 'test-results/popup.png' });
    await popup.getByRole('button', { name: 'Connect to vm-ready' }).click();
    await popup.getByText(/Started the custom client/).waitFor({ timeout: 30_000 });
    expect(await ownRuns(before, '20.50.1.10:3389')).toEqual([{ exit: 0, address: '20.50.1.10:3389' }]);
    await popup.close();
  }, 60_000);

  it('the context-menu handler opens a confirmation naming the target; only Connect there launches', async () => {
    const before = client.runs().length;
    const confirmPage = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('/confirm/'),
      timeout: 15_000,
    });
    const opened = await session.worker.evaluate(() =>
      (
        globalThis as unknown as { rdpNow: { handleSelection(t: string): Promise<{ opened: boolean }> } }
      ).rdpNow.handleSelection('ping me at 10.0.0.4:3390 later'),
    );
    expect(opened).toEqual({ opened: true });
    const confirm = await confirmPage;
    await confirm.getByText('10.0.0.4:3390').first().waitFor();
    expect(client.runs().length).toBe(before);
    await confirm.getByRole('button', { name: 'Connect' }).click();
    expect(await ownRuns(before, '10.0.0.4:3390')).toEqual([{ exit: 0, address: '10.0.0.4:3390' }]);
  }, 60_000);
});

describe('failures a user meets, each with its sentence', () => {
  it('ARM refuses reading the VM (403): the report names the missing permission', async () => {
    demo.arm.denyPermission('Microsoft.Compute/virtualMachines/read');
    try {
      const { page, report } = await openVm('vm-stopped');
      await report.getByText(/Microsoft\.Compute\/virtualMachines\/read/).waitFor({ timeout: 20_000 });
      await page.close();
    } finally {
      demo.arm.clearFaults();
    }
  }, 60_000);
});
