import type { Machine } from '../../host/clients/machine';
import { type HostPlatform, ProtocolError } from '../../shared/protocol';
import { parseRdp, type RdpSettings } from '../../shared/rdp-file';

export const LINUX_FILE = '/home/ann/.local/state/rdp-now/rdp/3f2a.rdp';
export const WIN_FILE = 'C:\\Users\\ann\\AppData\\Local\\rdp-now\\state\\rdp\\3f2a.rdp';
export const MAC_FILE = '/Users/ann/Library/Application Support/rdp-now/state/rdp/3f2a.rdp';

export const MSTSC = 'C:\\Windows\\System32\\mstsc.exe';
export const REG = 'C:\\Windows\\System32\\reg.exe';
export const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

export function machine(
  platform: HostPlatform,
  programs: Record<string, string>,
  extra: Partial<Machine> = {},
): Machine {
  return {
    platform,
    programs: new Map(Object.entries(programs)),
    customClient: null,
    systemRoot: 'C:\\Windows',
    underFirefox: false,
    ...extra,
  };
}

/** A Linux machine with the named programs installed in /usr/bin. */
export function linux(names: readonly string[], extra: Partial<Machine> = {}): Machine {
  return machine('linux', Object.fromEntries(names.map((n) => [n, `/usr/bin/${n}`])), extra);
}

export function windows(extra: Partial<Machine> = {}): Machine {
  return machine('win32', { mstsc: MSTSC }, extra);
}

export function mac(programs: Record<string, string> = {}, extra: Partial<Machine> = {}): Machine {
  return machine(
    'darwin',
    { open: '/usr/bin/open', 'windows-app': '/Applications/Windows App.app', ...programs },
    extra,
  );
}

export function rdp(...lines: string[]): RdpSettings {
  return parseRdp(lines.join('\r\n'));
}

export const BASIC = rdp('full address:s:vm1.example.com');

export function protocolError(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('expected a ProtocolError');
}

/** The Linux clients of docs/PROTOCOL.md §2, in the order the host lists them, then the custom client. */
export const LINUX_CLIENT_IDS = ['remmina', 'sdl-freerdp3', 'xfreerdp3', 'xfreerdp', 'xdg-open', 'custom'];
