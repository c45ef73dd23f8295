/**
 * A VM behind an Azure Bastion from the portal button, in real headless Chromium: the check finds the Bastion, the
 * Connect has the host open a tunnel on 127.0.0.1 whose sessions the extension mints at the Bastion's real name
 * (the simulated data plane), and the real FreeRDP client authenticates through it. A refused session is one
 * sentence in the report. The Bastion's host permission is granted up front (sim/browser.ts `grantOptionalHosts`).
 */
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
  demo = await startDemo({ tls: testTls(), bastionTarget: { host: '127.0.0.1', port: server.port } });
  client = writeDemoClient(server, true);
  session = await launchBrowser({
    headless: true,
    hostResolverRules: demo.resolverRules,
    hostConfig: demo.hostConfig,
    grantOptionalHosts: true,
    env: { RDPNOW_CLIENT: client.program, DISPLAY: server.display, ...demo.hostEnv },
  });
  await applyDemoSettings(session.worker, server.user);
}, 60_000);
afterAll(async () => {
  await session?.close();
  await demo?.close();
  await server?.stop();
  client?.remove();
});

const openVm = (name: string) =>
  openReport(session.context, demo.vmPageUrl(demo.arm.vm(name as never)), name);

describe('a VM behind an Azure Bastion', () => {
  it('the portal button connects through a tunnel: the client at 127.0.0.1 authenticates, the file and the recents name the VM', async () => {
    const bastion = demo.bastion;
    if (!bastion) throw new Error('the demo has no Bastion');
    const signInPage = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('login.microsoftonline.com'),
      timeout: 30_000,
    });
    const { page, report } = await openVm('vm-bastion');
    const login = await signInPage;
    await login.getByRole('button', { name: 'Sign in' }).click();
    await report.getByText(/Started/).waitFor({ timeout: 60_000 });
    const [run] = await waitFor(() => client.runs().length > 0 && client.runs(), 'the client run', 60_000);
    expect(run?.exit).toBe(0);
    expect(run?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(run?.address).not.toBe(`127.0.0.1:${server.port}`);
    // The launch's title: the client opened `vm-bastion.rdp`, so its window names the VM, not 127.0.0.1.
    expect(client.fileNames()).toEqual(['vm-bastion.rdp']);
    // Every session the extension minted went to the Bastion as a form, with no previous token.
    const posts = bastion.log.filter((e) => e.method === 'POST' && e.path === '/api/tokens');
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts)
      expect(post.fields).toEqual(['resourceId', 'protocol', 'workloadHostPort', 'aztoken']);
    const recents = await session.worker.evaluate(() => chrome.storage.local.get('recents'));
    expect(JSON.stringify(recents)).toContain('"name":"vm-bastion"');
    expect(JSON.stringify(recents)).not.toContain('127.0.0.1');
    await page.close();
  }, 120_000);

  it('a session the Bastion refuses is one sentence in the report, and no client starts', async () => {
    const bastion = demo.bastion;
    if (!bastion) throw new Error('the demo has no Bastion');
    bastion.refuseSessions(403, 'Forbidden');
    const before = client.runs().length;
    const { page, report } = await openVm('vm-bastion');
    await report
      .getByText(/The Bastion refused the session with 403: Forbidden; check the Reader role/)
      .waitFor({
        timeout: 60_000,
      });
    expect(client.runs().length).toBe(before);
    bastion.reset();
    await page.close();
  }, 120_000);

  it('a route chosen in the report is kept for the VM: Direct judges the direct route, Automatic brings the Bastion back', async () => {
    const vmKey = demo.arm.vm('vm-bastion' as never).toLowerCase();
    const storedRoutes = () =>
      session.worker.evaluate(async () => {
        const { settings } = await chrome.storage.local.get('settings');
        return (settings as { viaByVm?: Record<string, string> } | undefined)?.viaByVm ?? {};
      });
    // Direct, as chosen earlier: the first check judges the direct route, which this VM does not have.
    await session.worker.evaluate(async (key) => {
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...(settings as object), viaByVm: { [key]: 'direct' } } });
    }, vmKey);
    const before = client.runs().length;
    const { page, report } = await openVm('vm-bastion');
    const route = report.getByRole('group', { name: 'Route' });
    await report.getByText('No route to the VM').waitFor({ timeout: 60_000 });
    await report.getByText(/The VM has no public IP and no load balancer NAT rule/).waitFor();
    expect(await route.getByRole('radio', { name: 'Direct' }).isChecked()).toBe(true);
    expect(await report.getByRole('button', { name: /^Connect/ }).count()).toBe(0);

    // Automatic: the stored choice goes, the Bastion is found again, and the focus stays on the control.
    const automatic = route.getByRole('radio', { name: 'Automatic' });
    await automatic.focus();
    await page.keyboard.press('Space');
    await report.getByText(/via Azure Bastion/).waitFor({ timeout: 60_000 });
    expect(await storedRoutes()).toEqual({});
    expect(await automatic.evaluate((el) => el === document.activeElement)).toBe(true);
    await report.getByRole('button', { name: 'Connect' }).waitFor();

    // Direct again, by keyboard: stored for this VM, and the report judges the direct route once more.
    await page.keyboard.press('ArrowRight');
    await report.getByText('No route to the VM').waitFor({ timeout: 60_000 });
    expect(await storedRoutes()).toEqual({ [vmKey]: 'direct' });
    expect(
      await route.getByRole('radio', { name: 'Direct' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    // Nothing connected on the way: a route choice only checks.
    expect(client.runs().length).toBe(before);

    // Back to Automatic for whatever runs next.
    await page.keyboard.press('ArrowLeft');
    await report.getByText(/via Azure Bastion/).waitFor({ timeout: 60_000 });
    expect(await storedRoutes()).toEqual({});
    await page.close();
  }, 180_000);
});
