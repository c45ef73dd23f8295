/** Fixtures of the host's install tests (host/install): extension ids and an install context per platform. */
import type { InstallContext } from '../../host/install/plan';

export const ID = 'gpgidagdndlidklfiinoafehceojjlha';
export const OTHER_ID = 'abcdefghijklmnopabcdefghijklmnop';

export const LINUX: InstallContext = {
  platform: 'linux',
  home: '/home/ann',
  env: {},
  nodePath: '/usr/bin/node',
  bundleDir: '/src/rdp-now/dist/host',
  systemRoot: 'C:\\Windows',
};

export const MAC: InstallContext = {
  platform: 'darwin',
  home: '/Users/ann',
  env: {},
  nodePath: '/opt/homebrew/bin/node',
  bundleDir: '/src/rdp-now/dist/host',
  systemRoot: 'C:\\Windows',
};

export const WIN: InstallContext = {
  platform: 'win32',
  home: 'C:\\Users\\ann',
  env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local', APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
  nodePath: 'C:\\Program Files\\nodejs\\node.exe',
  bundleDir: 'C:\\src\\rdp-now\\dist\\host',
  systemRoot: 'C:\\Windows',
};
