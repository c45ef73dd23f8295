/**
 * The whole simulated world a browser needs: the portal page, ARM, the sign-in authority and the IP lookup, all
 * over HTTPS with one certificate, reached at their real host names (Chromium's --host-resolver-rules, Firefox's
 * proxy).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'playwright-core';
import type { SignInMethod } from '../extension/settings';
import { type SimulatedAzure, startSimulatedAzure } from './arm/index';
import { BASTIONS } from './arm/vm-table';
import { bastionDnsName } from './arm/world';
import { type Authority, DEMO_CLIENT_ID, startAuthority } from './authority';
import { type SimulatedBastion, startSimulatedBastion } from './bastion';
import { type PortalPage, startPortalPage } from './portal-page';
import { simulationTls, type TlsMaterial } from './tls';

/**
 * What a user of the demo enters once in the options page: their IP, a user name, and how they sign in — with no
 * app registration through the host (the default), or with the demo's own app registration.
 */
export function demoSettings(user?: string, signIn: SignInMethod = 'host'): Record<string, unknown> {
  return {
    signInMethod: signIn,
    ...(signIn === 'app-registration' && { clientId: DEMO_CLIENT_ID }),
    tenant: 'organizations',
    sourceIp: '203.0.113.7',
    ...(user !== undefined && { defaultUser: user }),
    display: { mode: 'window', width: 1024, height: 768 },
  };
}

/** Stores the demo settings through Chromium's service worker. */
export async function applyDemoSettings(
  worker: Worker,
  user?: string,
  signIn: SignInMethod = 'host',
): Promise<void> {
  await worker.evaluate((s) => chrome.storage.local.set({ settings: s }), demoSettings(user, signIn));
}

/**
 * The host's config for a simulated Entra ID at `authorityPort`: its sign-in reaches it and trusts its CA (written
 * into `home`), and a file in `home` stands in for the OS's protected store.
 */
export function simulationHostConfig(
  home: string,
  authorityPort: number,
  caCertPem: string,
  bastionHosts: Record<string, number> = {},
): object {
  const caFile = path.join(home, 'simulation-ca.pem');
  writeFileSync(caFile, caCertPem);
  const bastions = Object.fromEntries(
    Object.entries(bastionHosts).map(([host, port]) => [host, `127.0.0.1:${port}`]),
  );
  return {
    simulation: {
      hosts: { 'login.microsoftonline.com': `127.0.0.1:${authorityPort}`, ...bastions },
      caFile,
      keyStoreFile: path.join(home, 'simulated-protected-store'),
    },
  };
}

export interface Demo {
  arm: SimulatedAzure;
  portal: PortalPage;
  authority: Authority;
  /** The simulated Bastion data plane, relaying to `bastionTarget` (when it was given). */
  bastion: SimulatedBastion | null;
  /**
   * The environment of the browser, and so of its host: Node there trusts the simulation's CA
   * (NODE_EXTRA_CA_CERTS), for the tunnel's WebSocket and session deletes to the simulated Bastion.
   */
  hostEnv: Record<string, string>;
  /** The production host names → the local ports of their simulations (Firefox's proxy uses this). */
  hosts: Record<string, number>;
  /** For Chromium's `--host-resolver-rules`: the same map. */
  resolverRules: string;
  /**
   * The host's own config for this simulation (written into the browser's HOME): its sign-in reaches the
   * simulated Entra ID and trusts its CA, and a file stands in for the OS's protected store.
   */
  hostConfig(home: string): object;
  /** The portal URL of a simulated VM's page, with the demo tenant as the portal writes it. */
  vmPageUrl(vmId: string): string;
  close(): Promise<void>;
}

export interface DemoOptions {
  tls?: TlsMaterial;
  latencyMs?: number;
  /** Where the simulated Bastion's tunnels go (the RDP server); no Bastion data plane without it. */
  bastionTarget?: { host: string; port: number };
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const material = options.tls ?? (await simulationTls());
  const tls = { tls: material };
  const [arm, portal, authority, bastion] = await Promise.all([
    startSimulatedAzure({ ...tls, latencyMs: options.latencyMs ?? 0 }),
    startPortalPage(tls),
    startAuthority(tls),
    options.bastionTarget ? startSimulatedBastion({ target: options.bastionTarget, ...tls }) : null,
  ]);
  const armPort = Number(new URL(arm.url).port);
  // Every simulated Bastion's real name answers at the one data plane.
  const bastionHosts: Record<string, number> = bastion
    ? Object.fromEntries(BASTIONS.map((b) => [bastionDnsName(b.name), Number(new URL(bastion.url).port)]))
    : {};
  const hosts = {
    'portal.azure.com': portal.port,
    'management.azure.com': armPort,
    'login.microsoftonline.com': authority.port,
    'api.ipify.org': armPort,
    ...bastionHosts,
  };
  const caDir = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-demo-ca-'));
  const caFile = path.join(caDir, 'ca.pem');
  writeFileSync(caFile, material.caCertPem);
  return {
    arm,
    portal,
    authority,
    bastion,
    hostEnv: { NODE_EXTRA_CA_CERTS: caFile },
    hosts,
    hostConfig: (home) => simulationHostConfig(home, authority.port, material.caCertPem, bastionHosts),
    resolverRules: Object.entries(hosts)
      .map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`)
      .join(','),
    vmPageUrl: (vmId) => `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${vmId}/overview`,
    close: async () => {
      await Promise.all([arm.close(), portal.close(), authority.close(), bastion?.close()]);
      rmSync(caDir, { recursive: true, force: true });
    },
  };
}
