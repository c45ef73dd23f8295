/**
 * The product in real headless Chromium over the simulated Azure, as the end-to-end flows drive it: a real RDP
 * server on loopback, the simulated portal, ARM and Entra ID at their real host names, the demo's client, the
 * built extension with the real host registered, and the demo settings applied.
 */
import { type BrowserSession, launchBrowser } from '../../sim/browser';
import { applyDemoSettings, type Demo, startDemo } from '../../sim/demo';
import { type DemoClient, writeDemoClient } from '../../sim/demo-client';
import { type RdpServer, startRdpServer } from '../../sim/rdp-server';
import { testTls } from './test-azure';

export interface ChromiumDemo {
  server: RdpServer;
  demo: Demo;
  client: DemoClient;
  session: BrowserSession;
  close(): Promise<void>;
}

export async function startChromiumDemo(): Promise<ChromiumDemo> {
  const server = await startRdpServer();
  const demo = await startDemo({ tls: testTls() });
  const client = writeDemoClient(server, true);
  const session = await launchBrowser({
    headless: true,
    hostResolverRules: demo.resolverRules,
    hostConfig: demo.hostConfig,
    env: { RDPNOW_CLIENT: client.program, DISPLAY: server.display },
  });
  await applyDemoSettings(session.worker, server.user);
  return {
    server,
    demo,
    client,
    session,
    async close() {
      await session.close();
      await demo.close();
      await server.stop();
      client.remove();
    },
  };
}
