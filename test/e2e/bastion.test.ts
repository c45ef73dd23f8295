/**
 * A VM behind an Azure Bastion from the portal button, one definition run in real headless Chromium and Firefox ESR
 * through sim/demo-driver.ts: the check finds the Bastion, the Connect has the host open a tunnel on 127.0.0.1
 * whose sessions the extension mints at the Bastion's real name (the simulated data plane), without an `Origin`,
 * and the real FreeRDP client authenticates through it. A refused session is one sentence in the report.
 * Chromium starts with the Bastion's host permission granted (sim/browser.ts `grantOptionalHosts`: headless, it
 * cannot answer the prompt of the report's Connect press). Firefox's report frame cannot ask at all, so there the
 * person turns the option on in the options page, which asks (and the profile grants, sim/firefox.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from '../../sim/demo';
import { type DemoClient, writeDemoClient } from '../../sim/demo-client';
import { BROWSERS, type DemoBrowser, launchDemoBrowser } from '../../sim/demo-driver';
import { waitFor } from '../../sim/drive';
import { type RdpServer, startRdpServer } from '../../sim/rdp-server';
import { waitForText } from '../support/surface';
import { testTls } from '../support/test-azure';

let server: RdpServer;
let client: DemoClient;

beforeAll(async () => {
  server = await startRdpServer();
  client = writeDemoClient(server, true);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  client?.remove();
});

describe.each(BROWSERS)('%s: a VM behind an Azure Bastion', (name) => {
  let demo: Demo;
  let browser: DemoBrowser;

  beforeAll(async () => {
    demo = await startDemo({ tls: testTls(), bastionTarget: { host: '127.0.0.1', port: server.port } });
    browser = await launchDemoBrowser({
      browser: name,
      headless: true,
      demo,
      user: server.user,
      env: { RDPNOW_CLIENT: client.program, DISPLAY: server.display, ...demo.hostEnv },
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  const openVm = () => browser.openVm(demo.vmPageUrl(demo.arm.vm('vm-bastion')));
  const theBastion = () => {
    if (!demo.bastion) throw new Error('the demo has no Bastion');
    return demo.bastion;
  };

  it('the portal button connects through a tunnel: the client at 127.0.0.1 authenticates, the file and the recents name the VM', async () => {
    const bastion = theBastion();
    const runsBefore = client.runs().length;
    const filesBefore = client.fileNames().length;
    const signingIn = browser.signInWhenAsked();
    const report = await openVm();
    await signingIn;
    if (name === 'firefox') {
      // Nothing granted yet: the one-click launch stops at the permission, and says where to allow it.
      await waitForText(
        report,
        /needs your permission to reach the VM's Azure Bastion: turn on "Reach VMs through Azure Bastion" in the options, then press Connect/,
        60_000,
      );
      // The one action offered: the report frame cannot open the options itself in Firefox, so it opens a tab.
      expect(await report.buttons()).not.toContain('Try again');
      await report.press('Open the options');
      const options = await browser.extensionPageOpened('options/index.html');
      await waitForText(options, /Reach VMs through Azure Bastion/);
      await options.focus('Reach VMs through Azure Bastion');
      await options.key('Space');
      await waitFor(() => options.checked('Reach VMs through Azure Bastion'), 'the Bastion permission');
      await options.close();
      await report.press('Connect');
    }
    await waitForText(report, /Started/, 60_000);
    const [run, ...more] = await waitForRuns(runsBefore);
    expect(more).toEqual([]);
    expect(run?.exit).toBe(0);
    expect(run?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(run?.address).not.toBe(`127.0.0.1:${server.port}`);
    // The launch's title: the client opened `vm-bastion.rdp`, so its window names the VM, not 127.0.0.1.
    expect(client.fileNames().slice(filesBefore)).toEqual(['vm-bastion.rdp']);
    // Every session the extension minted went to the Bastion as a form, with no previous token and no Origin
    // (the declarativeNetRequest rule of extension/background/bastion-session.ts took it off).
    const posts = bastion.log.filter((e) => e.method === 'POST' && e.path === '/api/tokens');
    expect(posts.length).toBeGreaterThan(0);
    for (const post of posts) {
      expect(post.fields).toEqual(['resourceId', 'protocol', 'workloadHostPort', 'aztoken']);
      expect(post.origin).toBe(null);
    }
    const recents = JSON.stringify(await browser.readStorage('recents'));
    expect(recents).toContain('"name":"vm-bastion"');
    expect(recents).not.toContain('127.0.0.1');
    await report.close();
  }, 120_000);

  it('a session the Bastion refuses is one sentence in the report, and no client starts', async () => {
    const bastion = theBastion();
    bastion.refuseSessions(403, 'Forbidden');
    try {
      const before = client.runs().length;
      const report = await openVm();
      await waitForText(
        report,
        /The Bastion refused the session with 403: Forbidden; check the Reader role/,
        60_000,
      );
      expect(client.runs().length).toBe(before);
      await report.close();
    } finally {
      bastion.reset();
    }
  }, 120_000);

  it('a route chosen in the report is kept for the VM: Direct judges the direct route, Automatic brings the Bastion back', async () => {
    const vmKey = demo.arm.vm('vm-bastion').toLowerCase();
    const storedRoutes = async () =>
      ((await browser.readStorage('settings')) as { viaByVm?: Record<string, string> } | undefined)
        ?.viaByVm ?? {};
    // Direct, as chosen earlier: the first check judges the direct route, which this VM does not have.
    const settings = (await browser.readStorage('settings')) as object;
    await browser.writeStorage({ settings: { ...settings, viaByVm: { [vmKey]: 'direct' } } });
    const before = client.runs().length;
    const report = await openVm();
    await waitForText(report, /No route to the VM/, 60_000);
    await waitForText(report, /The VM has no public IP and no load balancer NAT rule/);
    expect(await report.checked('Direct')).toBe(true);
    expect((await report.buttons()).filter((b) => b.startsWith('Connect'))).toEqual([]);

    // Automatic: the stored choice goes, the Bastion is found again, and the focus stays on the control.
    await report.focus('Automatic');
    await report.key('Space');
    await waitForText(report, /via Azure Bastion/, 60_000);
    expect(await storedRoutes()).toEqual({});
    expect(await report.focused()).toBe('Automatic');
    await waitFor(async () => (await report.buttons()).includes('Connect'), 'the Connect button');

    // Direct again, by keyboard: stored for this VM, and the report judges the direct route once more.
    await report.key('ArrowRight');
    await waitForText(report, /No route to the VM/, 60_000);
    expect(await storedRoutes()).toEqual({ [vmKey]: 'direct' });
    expect(await report.focused()).toBe('Direct');
    // Nothing connected on the way: a route choice only checks.
    expect(client.runs().length).toBe(before);

    // Back to Automatic for whatever runs next.
    await report.key('ArrowLeft');
    await waitForText(report, /via Azure Bastion/, 60_000);
    expect(await storedRoutes()).toEqual({});
    await report.close();
  }, 180_000);
});

/** The client runs since `before`, once there is one (a launch returns before its client has ended). */
function waitForRuns(before: number) {
  return waitFor(
    () => client.runs().length > before && client.runs().slice(before),
    'the client run',
    60_000,
  );
}
