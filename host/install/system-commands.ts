/** `install --system` and `uninstall --system` on the command line (plans in system.ts). */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isSea } from 'node:sea';
import type { HostPlatform } from '../../shared/protocol';
import { EXIT, UsageError } from '../cli-args';
import { applyAction } from './apply';
import { type Action, describeAction, HOST_ENTRY } from './plan';
import { standaloneActions } from './standalone';
import {
  planSystemInstall,
  planSystemUninstall,
  SYSTEM_BROWSERS,
  type SystemBrowserId,
  type SystemContext,
  systemLayout,
  systemNodeProblem,
  systemRefusal,
} from './system';

export interface SystemOptions {
  browser: string | undefined;
  extensionIds: string[];
  dryRun: boolean;
  targetDir: string | undefined;
}

export function runSystemCommand(
  command: 'install' | 'uninstall',
  ctx: SystemContext,
  options: SystemOptions,
  version: string,
): number {
  if (options.targetDir !== undefined) throw new UsageError('--system and --target-dir do not go together.');
  const browsers =
    options.browser === undefined ? [...SYSTEM_BROWSERS] : parseSystemBrowsers(options.browser);
  if (!options.dryRun) {
    const refusal = systemRefusal(ctx.platform, isAdmin(ctx.platform, ctx.systemRoot), command);
    if (refusal !== null) {
      process.stderr.write(`rdp-now: ${refusal}\n`);
      return EXIT.usage;
    }
  }
  if (command === 'install' && !isSea() && !existsSync(path.join(ctx.bundleDir, HOST_ENTRY))) {
    throw new Error(`The built host is missing from ${ctx.bundleDir}; run "npm run build" first.`);
  }
  const planned =
    command === 'install'
      ? planSystemInstall(ctx, { browsers, extensionIds: options.extensionIds }, version)
      : planSystemUninstall(ctx, { browsers });
  const actions = isSea() ? standaloneActions(planned, ctx.platform, ctx.nodePath) : planned;
  if (options.dryRun) {
    for (const action of actions) process.stdout.write(`${describeAction(action)}\n`);
    return EXIT.ok;
  }
  const nodeProblem = command === 'install' ? systemNodeProblem(ctx.platform, ctx.nodePath) : null;
  if (nodeProblem !== null) process.stderr.write(`rdp-now: warning: ${nodeProblem}\n`);
  for (const action of actions) applySystemAction(action, ctx.platform);
  const where = systemLayout(ctx).installDir;
  process.stdout.write(
    command === 'install'
      ? `Registered RDP now for every user of ${browsers.join(', ')} (host in ${where}).\n`
      : `Removed the machine-wide RDP now registration from ${browsers.join(', ')}.\n`,
  );
  return EXIT.ok;
}

function parseSystemBrowsers(list: string): SystemBrowserId[] {
  const names = [
    ...new Set(
      list
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) throw new UsageError('--browser needs at least one browser name.');
  for (const name of names) {
    if (!(SYSTEM_BROWSERS as readonly string[]).includes(name)) {
      throw new UsageError(
        `"${name}" cannot be registered machine-wide; --system registers ${SYSTEM_BROWSERS.join(', ')} (Brave and Vivaldi: install per user).`,
      );
    }
  }
  return names as SystemBrowserId[];
}

/** Root on POSIX; on Windows, elevated (fltmc answers only an elevated process). */
function isAdmin(platform: HostPlatform, systemRoot: string): boolean {
  if (platform !== 'win32') return process.getuid?.() === 0;
  const result = spawnSync(`${systemRoot}\\System32\\fltmc.exe`, [], { stdio: 'ignore', shell: false });
  return result.status === 0;
}

/**
 * Every user's browser must read what is written, whatever root's umask: folders this creates are 0755, the
 * copied host's folders 0755 and files 0644 (the manifests 0644 and the wrapper 0755 come from the plan).
 */
function applySystemAction(action: Action, platform: HostPlatform): void {
  if (platform === 'win32') {
    applyAction(action);
    return;
  }
  if (action.kind === 'write') makeDirs(path.dirname(action.path));
  if (action.kind === 'copy-host') makeDirs(path.dirname(action.to));
  applyAction(action);
  // The standalone executable is one file (0755); the dist/host modules a folder.
  if (action.kind === 'copy-host') {
    if (statSync(action.to).isDirectory()) readableTree(action.to);
    else chmodSync(action.to, 0o755);
  }
}

function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  makeDirs(path.dirname(dir));
  mkdirSync(dir);
  chmodSync(dir, 0o755);
}

function readableTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) readableTree(file);
    else chmodSync(file, 0o644);
  }
}
