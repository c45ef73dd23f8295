/** Finds what is installed. The only part of client handling that touches the file system. */
import { accessSync, constants, statSync } from 'node:fs';
import type { HostPlatform } from '../../shared/protocol';
import { type Env, pathApi } from '../paths';
import { LINUX_CLIENTS, TERMINALS } from './linux';
import type { Machine } from './machine';
import { WINDOWS_APP_PATHS } from './macos';

export function isExecutableFile(file: string, platform: HostPlatform): boolean {
  // No exception for a missing file: most candidates on PATH are missing, and throwing costs start-up time.
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return false;
  if (platform === 'win32') return true;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable of that name in PATH's absolute entries (relative ones would depend on the cwd). */
export function findOnPath(program: string, env: Env, platform: HostPlatform): string | null {
  const p = pathApi(platform);
  for (const dir of (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':')) {
    if (!dir || !p.isAbsolute(dir)) continue;
    const candidate = p.join(dir, program);
    if (isExecutableFile(candidate, platform)) return candidate;
  }
  return null;
}

export interface DetectOptions {
  platform: HostPlatform;
  env: Env;
  home: string;
  configuredClient: string | undefined;
  underFirefox: boolean;
}

export function detectMachine(options: DetectOptions): { machine: Machine; problems: string[] } {
  const { platform, env, home } = options;
  const p = pathApi(platform);
  const programs = new Map<string, string>();
  const problems: string[] = [];
  const systemRoot = env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows';
  if (platform === 'linux') {
    for (const name of [...LINUX_CLIENTS.map((c) => c.program), ...TERMINALS.map(([t]) => t)]) {
      const found = findOnPath(name, env, platform);
      if (found) programs.set(name, found);
    }
  } else if (platform === 'win32') {
    const mstsc = p.join(systemRoot, 'System32', 'mstsc.exe');
    if (isExecutableFile(mstsc, platform)) programs.set('mstsc', mstsc);
  } else {
    programs.set('open', '/usr/bin/open');
    const app = [...WINDOWS_APP_PATHS, ...WINDOWS_APP_PATHS.map((a) => p.join(home, a))].find((a) =>
      isDirectory(a),
    );
    if (app) programs.set('windows-app', app);
  }

  const requested = env.RDPNOW_CLIENT || options.configuredClient;
  let customClient: string | null = null;
  if (requested) {
    if (!p.isAbsolute(requested)) problems.push(`The custom client "${requested}" must be an absolute path.`);
    else if (!isExecutableFile(requested, platform)) {
      problems.push(`The custom client ${requested} does not exist or is not executable.`);
    } else customClient = requested;
  }
  return {
    machine: { platform, programs, customClient, systemRoot, underFirefox: options.underFirefox },
    problems,
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
