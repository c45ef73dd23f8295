/** `install`, `uninstall` and `doctor` on the command line. */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';
import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { EXIT, parseOptions, UsageError } from '../cli-args';
import { readConfig } from '../config';
import { currentPlatform, hostPaths } from '../paths';
import { HOST_VERSION } from '../version';
import { applyAction } from './apply';
import { BROWSERS, type BrowserId, browserUserDir } from './browsers';
import { diagnose, gatherFacts } from './doctor';
import { isExtensionId } from './host-files';
import {
  type Action,
  describeAction,
  HOST_ENTRY,
  type InstallContext,
  planInstall,
  planUninstall,
} from './plan';
import { standaloneActions } from './standalone';
import { runSystemCommand } from './system-commands';

const OPTIONS = {
  browser: { type: 'string' },
  'extension-id': { type: 'string', multiple: true },
  'target-dir': { type: 'string' },
  'dry-run': { type: 'boolean' },
  system: { type: 'boolean' },
} as const;

export async function runInstallCommand(
  command: 'install' | 'uninstall' | 'doctor',
  args: string[],
): Promise<number> {
  const { values } = parseOptions(args, OPTIONS, false);
  const ctx = currentContext();
  const extensionIds = parseExtensionIds(values['extension-id']);
  if (command === 'doctor') {
    const findings = diagnose(
      gatherFacts(ctx, HOST_VERSION, extensionIds, process.env.RDPNOW_TEST_ROOT ?? '/'),
    );
    const { cacheState, describeCache } = await import('../auth/session');
    const paths = hostPaths(ctx.platform, ctx.home, ctx.env);
    const config = readConfig(paths.configFile).config;
    const cache = await cacheState({
      platform: ctx.platform,
      env: ctx.env,
      stateDir: paths.stateDir,
      config,
    });
    findings.push({ ok: true, text: describeCache(cache, paths.configFile) });
    for (const f of findings) process.stdout.write(`${f.ok ? 'ok  ' : 'FIX '} ${f.text}\n`);
    return findings.every((f) => f.ok) ? EXIT.ok : EXIT.notReady;
  }

  const targetDir = values['target-dir'] === undefined ? undefined : path.resolve(values['target-dir']);
  if (values.system) {
    return runSystemCommand(
      command,
      { ...ctx, root: process.env.RDPNOW_TEST_ROOT ?? '/' },
      { browser: values.browser, extensionIds, dryRun: values['dry-run'] === true, targetDir },
      HOST_VERSION,
    );
  }
  const named = values.browser !== undefined;
  // Install registers the browsers in use here; uninstall removes every registration it may have made.
  const browsers = named
    ? parseBrowsers(values.browser as string)
    : BROWSERS.filter(
        (b) => command === 'uninstall' || existsSync(browserUserDir(b, ctx.platform, ctx.home, ctx.env)),
      );
  if (targetDir === undefined && browsers.length === 0) {
    process.stderr.write(
      `No supported browser was found in ${ctx.home}; name one with --browser (${BROWSERS.join(', ')}) or use --target-dir.\n`,
    );
    return EXIT.notReady;
  }
  const request = { browsers, extensionIds, ...(targetDir !== undefined && { targetDir }) };
  if (command === 'install' && !isSea() && !existsSync(path.join(ctx.bundleDir, HOST_ENTRY))) {
    throw new Error(`The built host is missing from ${ctx.bundleDir}; run "npm run build" first.`);
  }
  const actions = asStandalone(
    command === 'install' ? planInstall(ctx, request, HOST_VERSION) : planUninstall(ctx, request),
    ctx,
  );
  for (const action of actions) {
    if (values['dry-run']) process.stdout.write(`${describeAction(action)}\n`);
    else applyAction(action);
  }
  if (!values['dry-run']) {
    const where = targetDir ?? browsers.join(', ');
    process.stdout.write(
      command === 'install' ? `Registered RDP now for ${where}.\n` : `Removed RDP now from ${where}.\n`,
    );
  }
  return EXIT.ok;
}

/** Run as the standalone executable, the plan installs that executable (standalone.ts). */
function asStandalone(actions: Action[], ctx: InstallContext): Action[] {
  return isSea() ? standaloneActions(actions, ctx.platform, ctx.nodePath) : actions;
}

function currentContext(): InstallContext {
  return {
    platform: currentPlatform(),
    home: os.homedir(),
    env: process.env,
    nodePath: process.execPath,
    bundleDir: path.dirname(fileURLToPath(import.meta.url)),
    systemRoot: process.env.SystemRoot ?? 'C:\\Windows',
  };
}

export function parseBrowsers(list: string): BrowserId[] {
  const names = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) {
    if (!(BROWSERS as readonly string[]).includes(name)) {
      throw new UsageError(`Unknown browser "${name}"; use one of ${BROWSERS.join(', ')}.`);
    }
  }
  if (names.length === 0) throw new UsageError('--browser needs at least one browser name.');
  return [...new Set(names)] as BrowserId[];
}

export function parseExtensionIds(given: string[] | undefined): string[] {
  const ids = (given ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!isExtensionId(id)) throw new UsageError(`"${id}" is not an extension id (32 letters a to p).`);
  }
  return ids.length > 0 ? [...new Set(ids)] : [DEV_EXTENSION_ID];
}
