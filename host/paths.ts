/** Where the host keeps its files on each OS. Pure: the platform, home and environment are passed in. */
import path from 'node:path';
import type { HostPlatform } from '../shared/protocol';

export interface HostPaths {
  /** The stable per-user folder `install` copies the host into (docs/PROTOCOL.md §4). */
  installDir: string;
  /** Private working state: the written `.rdp` files and the log. */
  stateDir: string;
  rdpDir: string;
  logFile: string;
  configFile: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function pathApi(platform: HostPlatform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

export function hostPaths(platform: HostPlatform, home: string, env: Env): HostPaths {
  const p = pathApi(platform);
  let installDir: string;
  let stateDir: string;
  let configFile: string;
  if (platform === 'win32') {
    installDir = p.join(env.LOCALAPPDATA ?? p.join(home, 'AppData', 'Local'), 'rdp-now');
    stateDir = p.join(installDir, 'state');
    configFile = p.join(env.APPDATA ?? p.join(home, 'AppData', 'Roaming'), 'rdp-now', 'config.json');
  } else if (platform === 'darwin') {
    installDir = p.join(home, 'Library', 'Application Support', 'rdp-now');
    stateDir = p.join(installDir, 'state');
    configFile = p.join(installDir, 'config.json');
  } else {
    installDir = p.join(xdg(env.XDG_DATA_HOME) ?? p.join(home, '.local', 'share'), 'rdp-now');
    stateDir = p.join(xdg(env.XDG_STATE_HOME) ?? p.join(home, '.local', 'state'), 'rdp-now');
    configFile = p.join(xdg(env.XDG_CONFIG_HOME) ?? p.join(home, '.config'), 'rdp-now', 'config.json');
  }
  return {
    installDir,
    stateDir,
    rdpDir: p.join(stateDir, 'rdp'),
    logFile: p.join(stateDir, 'host.log'),
    configFile,
  };
}

/** The XDG spec says relative values are invalid and must be ignored. */
function xdg(value: string | undefined): string | undefined {
  return value?.startsWith('/') ? value : undefined;
}

export function currentPlatform(): HostPlatform {
  const platform = process.platform;
  if (platform === 'win32' || platform === 'darwin') return platform;
  return 'linux';
}
