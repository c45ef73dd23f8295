/**
 * The whole simulated world a browser needs: the portal page, ARM, the sign-in authority and the IP lookup, all
 * over HTTPS with one certificate, reached at their real host names (Chromium's --host-resolver-rules, Firefox's
 * proxy).
 */
import type { Worker } from 'playwright-core';
import { type SimulatedAzure, startSimulatedAzure } from './arm/index';
import { type Authority, DEMO_CLIENT_ID, startAuthority } from './authority';
import { type PortalPage, startPortalPage } from './portal-page';
import type { TlsMaterial } from './tls';

/** What a user of the demo enters once in the options page: the demo app registration, their IP, a user name. */
export function demoSettings(user?: string): Record<string, unknown> {
  return {
    clientId: DEMO_CLIENT_ID,
    tenant: 'organizations',
    sourceIp: '203.0.113.7',
    ...(user !== undefined && { defaultUser: user }),
    display: { mode: 'window', width: 1024, height: 768 },
  };
}

/** Stores the demo settings through Chromium's service worker. */
export async function applyDemoSettings(worker: Worker, user?: string): Promise<void> {
  await worker.evaluate((s) => chrome.storage.local.set({ settings: s }), demoSettings(user));
}

export interface Demo {
  arm: SimulatedAzure;
  portal: PortalPage;
  authority: Authority;
  /** The production host names → the local ports of their simulations (Firefox's proxy uses this). */
  hosts: Record<string, number>;
  /** For Chromium's `--host-resolver-rules`: the same map. */
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
  const armPort = Number(new URL(arm.url).port);
  const hosts = {
    'portal.azure.com': portal.port,
    'management.azure.com': armPort,
    'login.microsoftonline.com': authority.port,
    'api.ipify.org': armPort,
  };
  return {
    arm,
    portal,
    authority,
    hosts,
    resolverRules: Object.entries(hosts)
      .map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`)
      .join(','),
    vmPageUrl: (vmId) => `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${vmId}/overview`,
    close: async () => {
      await Promise.all([arm.close(), portal.close(), authority.close()]);
    },
  };
}
