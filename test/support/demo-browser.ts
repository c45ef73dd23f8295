/**
 * The whole product for a browser test in real headless Chromium: a real RDP server, the simulated Azure, the
 * recording FreeRDP client and the built extension with the real host, set up as the demo is.
 */
import { type BrowserSession, launchBrowser } from '../../sim/browser';
import { applyDemoSettings, type Demo, startDemo } from '../../sim/demo';
import { type DemoClient, writeDemoClient } from '../../sim/demo-client';
import { openReport } from '../../sim/drive';
import { type RdpServer, startRdpServer } from '../../sim/rdp-server';
import { testTls } from './test-azure';

export interface DemoBrowser {
  server: RdpServer;
  demo: Demo;
  client: DemoClient;
  session: BrowserSession;
  close(): Promise<void>;
}

/**
 * `bastion`: the simulated Bastions relay to the RDP server, the host trusts their certificate and the Bastion's
 * optional host permission is granted up front (sim/browser.ts `grantOptionalHosts`).
 */
export async function startDemoBrowser(options: { bastion?: boolean } = {}): Promise<DemoBrowser> {
  const server = await startRdpServer();
  const bastionTarget = options.bastion ? { bastionTarget: { host: '127.0.0.1', port: server.port } } : {};
  const demo = await startDemo({ tls: testTls(), ...bastionTarget }).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const client = writeDemoClient(server, true);
  const close = async (session?: BrowserSession) => {
    await session?.close();
    await demo.close();
    await server.stop();
    client.remove();
  };
  try {
    const session = await launchBrowser({
      headless: true,
      hostResolverRules: demo.resolverRules,
      hostConfig: demo.hostConfig,
      ...(options.bastion && { grantOptionalHosts: true }),
      env: {
        RDPNOW_CLIENT: client.program,
        DISPLAY: server.display,
        ...(options.bastion && demo.hostEnv),
      },
    });
    await applyDemoSettings(session.worker, server.user);
    return { server, demo, client, session, close: () => close(session) };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Opens a VM's report from its portal page; `signIn` presses Sign in on the simulated authority's page. */
export async function openVmReport(session: BrowserSession, demo: Demo, name: string, signIn: boolean) {
  const signInPage = signIn
    ? session.context.waitForEvent('page', {
        predicate: (p) => p.url().includes('login.microsoftonline.com'),
        timeout: 30_000,
      })
    : null;
  const opened = await openReport(session.context, demo.vmPageUrl(demo.arm.vm(name as never)), name);
  if (signInPage) await (await signInPage).getByRole('button', { name: 'Sign in' }).click();
  return opened;
}
