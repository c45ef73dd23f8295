/**
 * A real Chromium with the built extension loaded and the host registered for its fresh profile — what
 * `npm start` and the browser tests run (recipe: docs/notes/browser-e2e.md).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { DEV_EXTENSION_ID } from '../shared/extension-id';

export const CHROMIUM = process.env.RDPNOW_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserSession {
  context: BrowserContext;
  /** The extension's service worker (replace it after reloading the extension). */
  worker: Worker;
  /** The temporary home the host was installed into (its log and `.rdp` files live there too). */
  home: string;
  close(): Promise<void>;
}

export interface BrowserOptions {
  headless: boolean;
  extensionDir?: string;
  /** Extra environment for the browser, and so for the host it starts (e.g. RDPNOW_CLIENT). */
  env?: Record<string, string>;
  hostResolverRules?: string;
  /** Register the companion host for this profile (default true; false shows what a user without it sees). */
  installHost?: boolean;
  /** The host's own config file for this HOME (e.g. the simulation's sign-in, see sim/demo.ts). */
  hostConfig?: (home: string) => object;
  /**
   * Load a copy of the extension whose optional host permissions are granted up front: headless Chromium shows
   * the permission prompt of a Connect press and nothing can answer it (microsoft/playwright#32755), so the
   * automated runs start as a user who already pressed "Allow". The permission checks run unchanged.
   */
  grantOptionalHosts?: boolean;
}

/** A copy of the built extension in `home` whose optional host permissions are granted at install. */
function grantedCopy(extensionDir: string, home: string): string {
  const copy = path.join(home, 'extension');
  cpSync(extensionDir, copy, { recursive: true });
  const file = path.join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    host_permissions: string[];
    optional_host_permissions?: string[];
  };
  manifest.host_permissions.push(...(manifest.optional_host_permissions ?? []));
  manifest.optional_host_permissions = [];
  writeFileSync(file, JSON.stringify(manifest));
  return copy;
}

/** Writes the host's config where it looks for it under this HOME (host/paths.ts, Linux). */
export function writeHostConfig(home: string, config: object): void {
  const dir = path.join(home, '.config', 'rdp-now');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
}

/** Launches the browser in a fresh temporary home, which `close` (or a failed launch) removes. */
/** Installs the host for the profile under `home`, as a user runs `rdp-now install` (also after the launch). */
export function registerHost(home: string): void {
  const install = spawnSync(
    process.execPath,
    [
      path.resolve('dist/host/rdp-now.mjs'),
      'install',
      '--target-dir',
      path.join(home, 'profile', 'NativeMessagingHosts'),
    ],
    { env: { ...process.env, HOME: home }, encoding: 'utf8' },
  );
  if (install.status !== 0) throw new Error(`host install failed: ${install.stderr || install.stdout}`);
}

export async function launchBrowser(options: BrowserOptions): Promise<BrowserSession> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-browser-'));
  try {
    return await launchIn(home, options);
  } catch (error) {
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
}

async function launchIn(home: string, options: BrowserOptions): Promise<BrowserSession> {
  const built = path.resolve(options.extensionDir ?? 'dist/chrome');
  const extensionDir = options.grantOptionalHosts ? grantedCopy(built, home) : built;
  const userDataDir = path.join(home, 'profile');
  if (options.hostConfig) writeHostConfig(home, options.hostConfig(home));
  // Chromium reads host manifests from <user-data-dir>/NativeMessagingHosts when started with --user-data-dir.
  if (options.installHost ?? true) registerHost(home);

  const args = [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  if (options.hostResolverRules)
    args.push(`--host-resolver-rules=${options.hostResolverRules}`, '--ignore-certificate-errors');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless,
    args,
    env: { ...(process.env as Record<string, string>), HOME: home, ...options.env },
  });
  const prefix = `chrome-extension://${DEV_EXTENSION_ID}/`;
  let worker: Worker;
  try {
    worker =
      context.serviceWorkers().find((w) => w.url().startsWith(prefix)) ??
      (await context.waitForEvent('serviceworker', {
        predicate: (w) => w.url().startsWith(prefix),
        timeout: 15_000,
      }));
  } catch (error) {
    await context.close();
    throw error;
  }
  return {
    context,
    worker,
    home,
    close: async () => {
      await context.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
