/**
 * `install` and `uninstall` as plans: a list of file writes and commands computed by pure functions (so they
 * are tested for every OS here), then applied, or printed by `--dry-run`.
 */
import { HOST_NAME, type HostPlatform } from '../../shared/protocol';
import { type Env, hostPaths, pathApi } from '../paths';
import { BROWSERS, type BrowserId, isFirefox, manifestDir, registryKey } from './browsers';
import {
  chromiumManifest,
  firefoxManifest,
  manifestText,
  regAdd,
  regDelete,
  wrapperFileName,
  wrapperText,
} from './host-files';

export type Action =
  | { kind: 'copy-host'; from: string; to: string }
  | { kind: 'write'; path: string; content: string; mode: number }
  | { kind: 'run'; argv: string[] }
  | { kind: 'remove'; path: string };

export interface InstallContext {
  platform: HostPlatform;
  home: string;
  env: Env;
  /** Absolute path of the Node that runs the host (process.execPath). */
  nodePath: string;
  /** The folder of the built host (dist/host), copied as a whole. */
  bundleDir: string;
  systemRoot: string;
}

export interface InstallRequest {
  browsers: readonly BrowserId[];
  extensionIds: readonly string[];
  targetDir?: string;
}

export const HOST_ENTRY = 'rdp-now.mjs';
/** Written beside the installed host so `doctor` can tell a stale copy from the current one. */
export const INSTALL_RECORD = 'install.json';

/** What an install folder holds, per user or machine-wide: the host, its record, the wrapper. */
export function layoutIn(platform: HostPlatform, installDir: string, systemRoot: string) {
  const p = pathApi(platform);
  const hostDir = p.join(installDir, 'host');
  return {
    installDir,
    hostDir,
    hostEntry: p.join(hostDir, HOST_ENTRY),
    record: p.join(hostDir, INSTALL_RECORD),
    wrapper: p.join(installDir, wrapperFileName(platform)),
    reg: `${systemRoot}\\System32\\reg.exe`,
  };
}

export function installLayout(ctx: InstallContext) {
  return layoutIn(ctx.platform, hostPaths(ctx.platform, ctx.home, ctx.env).installDir, ctx.systemRoot);
}

/** On Windows a manifest lies beside the host in its install folder; the registry names it. */
export function windowsManifestPath(installDir: string, browser: BrowserId): string {
  return pathApi('win32').join(
    installDir,
    `${HOST_NAME}.${isFirefox(browser) ? 'firefox' : 'chromium'}.json`,
  );
}

/** Where the manifest for one browser lives (Windows: beside the host, found through the registry). */
export function manifestPath(ctx: InstallContext, browser: BrowserId): string {
  const p = pathApi(ctx.platform);
  if (ctx.platform === 'win32') return windowsManifestPath(installLayout(ctx).installDir, browser);
  return p.join(manifestDir(browser, ctx.platform, ctx.home, ctx.env), `${HOST_NAME}.json`);
}

export function planInstall(ctx: InstallContext, request: InstallRequest, version: string): Action[] {
  const layout = installLayout(ctx);
  const p = pathApi(ctx.platform);
  const actions: Action[] = [
    { kind: 'copy-host', from: ctx.bundleDir, to: layout.hostDir },
    {
      kind: 'write',
      path: layout.record,
      content: `${JSON.stringify({ version, node: ctx.nodePath, extensionIds: request.extensionIds }, null, 2)}\n`,
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
  if (request.targetDir !== undefined) {
    actions.push({
      kind: 'write',
      path: p.join(request.targetDir, `${HOST_NAME}.json`),
      content: chromium,
      mode: 0o644,
    });
    return actions;
  }
  const written = new Set<string>();
  for (const browser of request.browsers) {
    const path = manifestPath(ctx, browser);
    if (!written.has(path)) {
      written.add(path);
      const content = isFirefox(browser) ? manifestText(firefoxManifest(layout.wrapper)) : chromium;
      actions.push({ kind: 'write', path, content, mode: 0o644 });
    }
    if (ctx.platform === 'win32')
      actions.push({ kind: 'run', argv: regAdd(layout.reg, registryKey(browser), path) });
  }
  return dedupe(actions);
}

export function planUninstall(ctx: InstallContext, request: InstallRequest): Action[] {
  const layout = installLayout(ctx);
  const p = pathApi(ctx.platform);
  const actions: Action[] = [];
  if (request.targetDir !== undefined) {
    actions.push({ kind: 'remove', path: p.join(request.targetDir, `${HOST_NAME}.json`) });
  } else {
    for (const browser of request.browsers) {
      actions.push({ kind: 'remove', path: manifestPath(ctx, browser) });
      if (ctx.platform === 'win32')
        actions.push({ kind: 'run', argv: regDelete(layout.reg, registryKey(browser)) });
    }
  }
  // The wrapper and the host copy serve every registration: they go only when all of them go.
  if (request.targetDir === undefined && BROWSERS.every((b) => request.browsers.includes(b))) {
    actions.push({ kind: 'remove', path: layout.wrapper }, { kind: 'remove', path: layout.hostDir });
  }
  return dedupe(actions);
}

/** Brave and Vivaldi share Chrome's registry key and manifest: touch each once. */
function dedupe(actions: Action[]): Action[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    if (a.kind !== 'run' && a.kind !== 'remove') return true;
    const key = a.kind === 'run' ? `run\0${a.argv.join('\0')}` : `remove\0${a.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'copy-host':
      return `copy ${action.from} -> ${action.to}`;
    case 'write':
      return `write ${action.path} (mode ${action.mode.toString(8)}):\n${indent(action.content)}`;
    case 'run':
      return `run ${action.argv.map((a) => (/[\s"]/.test(a) ? `"${a.replaceAll('"', '\\"')}"` : a)).join(' ')}`;
    case 'remove':
      return `remove ${action.path}`;
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split(/\r?\n/)
    .map((line) => `    ${line}`)
    .join('\n');
}
