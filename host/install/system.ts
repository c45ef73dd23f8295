/**
 * `install --system` / `uninstall --system`: the host in a machine-wide folder, registered where each browser
 * reads system-wide hosts (docs/notes/native-messaging.md). Pure: plans built from the same manifests and
 * wrapper as the per-user install (host-files.ts), applied by system-commands.ts.
 *
 * Brave and Vivaldi have no documented system-wide folder on Linux or macOS, so they are not offered here; on
 * Windows they read Chrome's key, which --system writes under HKLM.
 */
import { HOST_NAME, type HostPlatform } from '../../shared/protocol';
import { type Env, pathApi } from '../paths';
import { isFirefox, registryKey } from './browsers';
import {
  chromiumManifest,
  firefoxManifest,
  manifestText,
  regAdd,
  regDelete,
  wrapperText,
} from './host-files';
import { type Action, layoutIn, windowsManifestPath } from './plan';

export const SYSTEM_BROWSERS = ['chrome', 'chromium', 'edge', 'firefox'] as const;
export type SystemBrowserId = (typeof SYSTEM_BROWSERS)[number];

export interface SystemContext {
  platform: HostPlatform;
  env: Env;
  nodePath: string;
  bundleDir: string;
  systemRoot: string;
  /** Prefix of every Linux and macOS path: `/`, or a temporary folder in tests (RDPNOW_TEST_ROOT). */
  root: string;
}

const LINUX_DIRS: Record<SystemBrowserId, string> = {
  chrome: '/etc/opt/chrome/native-messaging-hosts',
  chromium: '/etc/chromium/native-messaging-hosts',
  edge: '/etc/opt/edge/native-messaging-hosts',
  firefox: '/usr/lib/mozilla/native-messaging-hosts',
};

const MAC_DIRS: Record<SystemBrowserId, string> = {
  chrome: '/Library/Google/Chrome/NativeMessagingHosts',
  chromium: '/Library/Application Support/Chromium/NativeMessagingHosts',
  edge: '/Library/Microsoft/Edge/NativeMessagingHosts',
  firefox: '/Library/Application Support/Mozilla/NativeMessagingHosts',
};

/** A path on the machine, under the context's root (Linux and macOS). */
function onMachine(ctx: SystemContext, file: string): string {
  return ctx.platform === 'win32' ? file : pathApi(ctx.platform).join(ctx.root, file);
}

export function systemLayout(ctx: SystemContext) {
  const p = pathApi(ctx.platform);
  const installDir =
    ctx.platform === 'win32'
      ? p.join(ctx.env.ProgramFiles ?? 'C:\\Program Files', 'rdp-now')
      : onMachine(ctx, ctx.platform === 'darwin' ? '/Library/Application Support/rdp-now' : '/opt/rdp-now');
  return layoutIn(ctx.platform, installDir, ctx.systemRoot);
}

/** Where a browser reads this host's system-wide manifest (Windows: beside the host, named by HKLM). */
export function systemManifestPath(ctx: SystemContext, browser: SystemBrowserId): string {
  const p = pathApi(ctx.platform);
  if (ctx.platform === 'win32') return windowsManifestPath(systemLayout(ctx).installDir, browser);
  const dirs = ctx.platform === 'darwin' ? MAC_DIRS : LINUX_DIRS;
  return onMachine(ctx, p.join(dirs[browser], `${HOST_NAME}.json`));
}

/** The HKLM key whose default value names the manifest (the HKCU key's machine-wide twin). */
export function systemRegistryKey(browser: SystemBrowserId): string {
  return registryKey(browser).replace(/^HKCU\\/, 'HKLM\\');
}

export function planSystemInstall(
  ctx: SystemContext,
  request: { browsers: readonly SystemBrowserId[]; extensionIds: readonly string[] },
  version: string,
): Action[] {
  const layout = systemLayout(ctx);
  const actions: Action[] = [
    { kind: 'copy-host', from: ctx.bundleDir, to: layout.hostDir },
    {
      kind: 'write',
      path: layout.record,
      content: `${JSON.stringify({ version, node: ctx.nodePath, extensionIds: request.extensionIds, system: true }, null, 2)}\n`,
      mode: 0o644,
    },
    {
      kind: 'write',
      path: layout.wrapper,
      content: wrapperText(ctx.platform, ctx.nodePath, layout.hostEntry),
      mode: 0o755,
    },
  ];
  const chromium = manifestText(chromiumManifest(layout.wrapper, request.extensionIds));
  const firefox = manifestText(firefoxManifest(layout.wrapper));
  const seen = new Set<string>();
  for (const browser of request.browsers) {
    const path = systemManifestPath(ctx, browser);
    if (!seen.has(path)) {
      seen.add(path);
      actions.push({ kind: 'write', path, content: isFirefox(browser) ? firefox : chromium, mode: 0o644 });
    }
    if (ctx.platform === 'win32')
      actions.push({ kind: 'run', argv: regAdd(layout.reg, systemRegistryKey(browser), path) });
  }
  return actions;
}

export function planSystemUninstall(
  ctx: SystemContext,
  request: { browsers: readonly SystemBrowserId[] },
): Action[] {
  const layout = systemLayout(ctx);
  const actions: Action[] = [];
  const seen = new Set<string>();
  for (const browser of request.browsers) {
    const path = systemManifestPath(ctx, browser);
    if (!seen.has(path)) {
      seen.add(path);
      actions.push({ kind: 'remove', path });
    }
    if (ctx.platform === 'win32')
      actions.push({ kind: 'run', argv: regDelete(layout.reg, systemRegistryKey(browser)) });
  }
  // The folder (host, wrapper, Windows manifests; no user state) serves every registration: it goes only when
  // all of them go.
  if (SYSTEM_BROWSERS.every((b) => request.browsers.includes(b)))
    actions.push({ kind: 'remove', path: layout.installDir });
  return actions;
}

/**
 * Why this process may not install machine-wide, in one sentence, or null. `admin` is whether it runs as root
 * (POSIX) or elevated (Windows).
 */
export function systemRefusal(platform: HostPlatform, admin: boolean, command: string): string | null {
  if (admin) return null;
  return platform === 'win32'
    ? `"${command} --system" changes files for every user: run it from a terminal opened with "Run as administrator".`
    : `"${command} --system" changes files for every user: run it as root, e.g. "sudo rdp-now ${command} --system".`;
}

/** A Node inside a home folder cannot be run by the machine's other users. */
export function systemNodeProblem(platform: HostPlatform, nodePath: string): string | null {
  const homes =
    platform === 'win32' ? /^[a-z]:\\users\\/i : platform === 'darwin' ? /^\/Users\// : /^\/(home|root)\//;
  return homes.test(nodePath)
    ? `Node runs from ${nodePath}, inside a home folder, which other users may not be able to run: install Node for the whole machine (a system package) and run this again with it.`
    : null;
}
