/**
 * The Firefox build in Debian's Firefox ESR, driven for real over WebDriver BiDi: the simulated portal, ARM and
 * Entra ID at their real host names, MSAL in the event page signing in through `browser.identity`, the real host,
 * and the real FreeRDP client authenticating to a real RDP server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInMethod } from '../../extension/settings';
import { type Demo, demoSettings, startDemo } from '../../sim/demo';
import { type DemoClient, writeDemoClient } from '../../sim/demo-client';
import { waitFor } from '../../sim/drive';
import { type FirefoxSession, launchFirefox, openReportFirefox, waitForText } from '../../sim/firefox';
import { type RdpServer, startRdpServer } from '../../sim/rdp-server';
import { testTls } from '../support/test-azure';

let server: RdpServer;
let demo: Demo;
let client: DemoClient;

beforeAll(async () => {
  server = await startRdpServer();
  demo = await startDemo({ tls: testTls() });
  client = writeDemoClient(server, true);
}, 60_000);
afterAll(async () => {
  await demo?.close();
  await server?.stop();
  client?.remove();
});

async function withFirefox(
  installHost: boolean,
  signIn: SignInMethod,
  run: (session: FirefoxSession) => Promise<void>,
) {
  const session = await launchFirefox({
    headless: true,
    hosts: demo.hosts,
    installHost,
    hostConfig: demo.hostConfig,
    env: { RDPNOW_CLIENT: client.program, DISPLAY: server.display },
  });
  try {
    await session.storeSettings(demoSettings(server.user, signIn));
    await run(session);
    expect(session.extensionErrors()).toEqual([]);
  } finally {
    await session.close();
  }
}

/** Opens vm-ready's report in a fresh profile and signs in on the simulated authority's page. */
async function readyReport(session: FirefoxSession) {
  const signInWindow = session.browser.waitForTarget((t) => t.url().includes('login.microsoftonline.com'), {
    timeout: 30_000,
  });
  const opened = await openReportFirefox(session, demo.vmPageUrl(demo.arm.vm('vm-ready')));
  const login = await (await signInWindow).page();
  await login?.locator('#sign-in').click();
  return opened.report;
}

describe('Firefox ESR', () => {
  it.each([
    ['with no app registration: the host signs in, its page in a Firefox tab', 'host'],
    ['with the own app registration: browser.identity (MSAL in the event page)', 'app-registration'],
  ] as const)(
    'signs in %s, checks, and the client authenticates',
    async (_, signIn) => {
      await withFirefox(true, signIn, async (session) => {
        const before = client.runs().length;
        const report = await readyReport(session);
        await waitForText(report, /Started/);
        await waitFor(() => client.runs().length > before, 'the RDP client to finish', 30_000);
        expect(client.runs().slice(before)).toEqual([{ exit: 0, address: '20.50.1.10:3389' }]);
        expect(demo.authority.events.map((e) => e.outcome)).toContain('signed in');
      });
    },
    120_000,
  );

  it('with no host registered, the report says to install it (Firefox words it "No such native application")', async () => {
    await withFirefox(false, 'app-registration', async (session) => {
      const before = client.runs().length;
      const report = await readyReport(session);
      const text = await waitForText(
        report,
        /companion host is not installed: install the RDP now companion/,
      );
      expect(text).not.toMatch(/rdp-now doctor/);
      expect(client.runs().length).toBe(before);
    });
  }, 120_000);
});
