/**
 * The whole simulated world a browser needs: the portal page, ARM, the sign-in authority and the IP lookup, all
 * over HTTPS with one certificate, reached at their real host names through Chromium's --host-resolver-rules.
 */
import type { Worker } from 'playwright-core';
import { type SimulatedAzure, startSimulatedAzure } from './arm/index';
import { type Authority, DEMO_CLIENT_ID, startAuthority } from './authority';
import { type PortalPage, startPortalPage } from './portal-page';
import type { TlsMaterial } from './tls';

/** What a user of the demo enters once in the options page: the demo app registration, their IP, a user name. */
export async function applyDemoSettings(worker: Worker, user?: string): Promise<void> {
  const settings = {
    clientId: DEMO_CLIENT_ID,
    tenant: 'organizations',
    sourceIp: '203.0.113.7',
    ...(user !== undefined && { defaultUser: user }),
    display: { mode: 'window', width: 1024, height: 768 },
  };
  await worker.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
}

export interface Demo {
  arm: SimulatedAzure;
  portal: PortalPage;
  authority: Authority;
  /** For `--host-resolver-rules`: the production host names → the simulations. */
  resolverRules: string;
  /** The portal URL of a simulated VM's page, with the demo tenant as the portal writes it. */
  vmPageUrl(vmId: string): string;
  close(): Promise<void>;
}

export async function startDemo(options: { tls?: TlsMaterial; latencyMs?: number } = {}): Promise<Demo> {
  const tls = options.tls ? { tls: options.tls } : {};
  const [arm, portal, authority] = await Promise.all([
    startSimulatedAzure({ ...tls, latencyMs: options.latencyMs ?? 0 }),
    startPortalPage(tls),
    startAuthority(tls),
  ]);
  const armPort = new URL(arm.url).port;
  const resolverRules = [
    `MAP portal.azure.com 127.0.0.1:${portal.port}`,
    `MAP management.azure.com 127.0.0.1:${armPort}`,
    `MAP login.microsoftonline.com 127.0.0.1:${authority.port}`,
    `MAP api.ipify.org 127.0.0.1:${armPort}`,
  ].join(',');
  return {
    arm,
    portal,
    authority,
    resolverRules,
    vmPageUrl: (vmId) => `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${vmId}/overview`,
    close: async () => {
      await Promise.all([arm.close(), portal.close(), authority.close()]);
    },
  };
}
