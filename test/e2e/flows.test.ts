/**
 * The product as a user meets it, in real headless Chromium: the simulated portal, ARM and Entra ID at their
 * real host names, the built extension (MSAL in its offscreen document), the real host, and the real FreeRDP
 * client authenticating to a real RDP server on loopback.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, launchBrowser } from '../../sim/browser';
import { applyDemoSettings, type Demo, startDemo } from '../../sim/demo';
import { type DemoClient, writeDemoClient } from '../../sim/demo-client';
import { openReport, waitFor } from '../../sim/drive';
import { type RdpServer, startRdpServer } from '../../sim/rdp-server';
import { testTls } from '../support/test-azure';

let server: RdpServer;
let demo: Demo;
let client: DemoClient;
let session: BrowserSession;

beforeAll(async () => {
  server = await startRdpServer();
  demo = await startDemo({ tls: testTls() });
  client = writeDemoClient(server, true);
  session = await launchBrowser({
    headless: true,
    hostResolverRules: demo.resolverRules,
    env: { RDPNOW_CLIENT: client.program, DISPLAY: server.display },
  });
  await applyDemoSettings(session.worker, server.user);
}, 60_000);
afterAll(async () => {
  await session?.close();
  await demo?.close();
  await server?.stop();
});

/** Successful client runs so far (each run appends its exit code). */
function clientExits(): number[] {
  return readFileSync(client.results, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** Presses a report button as a person does: once it has been on screen for a moment (see report/visibility.ts). */
async function press(report: import('playwright-core').Frame, name: string, timeout = 30_000): Promise<void> {
  const button = report.getByRole('button', { name, exact: true });
  await button.waitFor({ timeout });
  await new Promise((r) => setTimeout(r, 400));
  await button.click();
}

function openVm(name: string) {
  return openReport(session.context, demo.vmPageUrl(demo.arm.vm(name as never)), name);
}

describe('a VM met for the first time', () => {
  it('signs in through Entra ID (MSAL, AAD mode), checks, and the client authenticates to the RDP server', async () => {
    const signInPage = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('login.microsoftonline.com'),
      timeout: 30_000,
    });
    const { page, report } = await openVm('vm-ready');
    const login = await signInPage;
    await login.getByRole('button', { name: 'Sign in' }).click();
    await report.getByText(/Started/).waitFor({ timeout: 30_000 });
    await waitFor(() => clientExits().length > 0, 'the RDP client to finish', 30_000);
    expect(clientExits()).toEqual([0]);
    expect(demo.authority.events.map((e) => e.outcome)).toContain('signed in');
    await page.screenshot({ path: 'test-results/report-ready.png' });
    await page.close();
  }, 90_000);
});

describe('fixes offered in the report', () => {
  it('a deallocated VM: "Start VM" starts it in the simulation, then Connect launches', async () => {
    const before = clientExits().length;
    const { page, report } = await openVm('vm-deallocated');
    await press(report, 'Start VM');
    await press(report, 'Connect');
    await report.getByText(/Started/).waitFor({ timeout: 20_000 });
    await waitFor(() => clientExits().length > before, 'the RDP client', 30_000);
    expect(clientExits().at(-1)).toBe(0);
    expect(demo.arm.requests.some((r) => r.method === 'POST' && /vm-deallocated\/start$/i.test(r.path))).toBe(
      true,
    );
    await page.close();
  }, 90_000);

  it('a JIT-protected VM: "Request access" asks Defender for this IP, then Connect launches', async () => {
    const before = clientExits().length;
    const { page, report } = await openVm('vm-jit');
    await press(report, 'Request access');
    await press(report, 'Connect');
    await report.getByText(/Started/).waitFor({ timeout: 20_000 });
    await waitFor(() => clientExits().length > before, 'the RDP client', 30_000);
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
  it('renews silently through the session once the in-memory tokens are gone', async () => {
    const signInPages = demo.authority.events.filter((e) => e.outcome === 'sign-in page').length;
    // The tokens live in the service worker and the offscreen document: end both, as Chromium does when idle.
    await session.worker.evaluate(() => chrome.offscreen.closeDocument());
    const extensionPage = await session.context.newPage();
    await extensionPage.goto(session.worker.url().replace('background.js', 'options/index.html'));
    const cdp = await session.context.newCDPSession(extensionPage);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await extensionPage.close();
    const { page, report } = await openVm('vm-multi-nic');
    await report.getByText(/Started/).waitFor({ timeout: 30_000 });
    expect(demo.authority.events.filter((e) => e.outcome === 'sign-in page').length).toBe(signInPages);
    expect(demo.authority.events.some((e) => e.prompt === 'none' && e.outcome === 'silent')).toBe(true);
    await page.close();
  }, 90_000);
});

describe('popup and context menu', () => {
  it('the popup lists recent VMs and reconnects in one click', async () => {
    session.worker = session.context.serviceWorkers().at(-1) ?? session.worker;
    const before = clientExits().length;
    const popup = await session.context.newPage();
    await popup.setViewportSize({ width: 420, height: 640 });
    await popup.goto(`${session.worker.url().replace('background.js', '')}popup/index.html`);
    await popup.getByText('vm-ready').first().waitFor();
    await popup.screenshot({ path: 'test-results/popup.png' });
    await popup.getByRole('button', { name: 'Connect to vm-ready' }).click();
    await popup.getByText(/Started the custom client/).waitFor({ timeout: 30_000 });
    await waitFor(() => clientExits().length > before, 'the reconnect', 30_000);
    await popup.close();
  }, 60_000);

  it('the context-menu handler opens a confirmation naming the target; only Connect there launches', async () => {
    const before = clientExits().length;
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
    expect(clientExits().length).toBe(before);
    await confirm.getByRole('button', { name: 'Connect' }).click();
    await waitFor(() => clientExits().length > before, 'the confirmed launch', 30_000);
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
