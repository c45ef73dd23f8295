/**
 * The standalone executable (scripts/standalone.mjs: Node's single executable application) installs itself: the
 * plan copies the executable into the host folder instead of the dist/host modules, and the wrapper runs it
 * directly instead of Node with rdp-now.mjs. Pure: it rewrites a per-user or machine-wide plan.
 */
import type { HostPlatform } from '../../shared/protocol';
import { pathApi } from '../paths';
import { wrapperFileName } from './host-files';
import type { Action } from './plan';

/** The installed executable's name inside the host folder. */
export function standaloneName(platform: HostPlatform): string {
  return platform === 'win32' ? 'rdp-now.exe' : 'rdp-now';
}

export function standaloneWrapperText(platform: HostPlatform, executable: string): string {
  if (platform === 'win32') return `@echo off\r\n"${executable.replaceAll('%', '%%')}" native-host %*\r\n`;
  return `#!/bin/sh\nexec '${executable.replaceAll("'", "'\\''")}' native-host "$@"\n`;
}

export function standaloneActions(actions: Action[], platform: HostPlatform, executable: string): Action[] {
  const p = pathApi(platform);
  let installed: string | null = null;
  return actions.map((action) => {
    if (action.kind === 'copy-host') {
      installed = p.join(action.to, standaloneName(platform));
      return { kind: 'copy-host', from: executable, to: installed };
    }
    if (
      action.kind === 'write' &&
      p.basename(action.path) === wrapperFileName(platform) &&
      installed !== null
    )
      return { ...action, content: standaloneWrapperText(platform, installed) };
    return action;
  });
}
