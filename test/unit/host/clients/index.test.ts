import { describe, expect, it } from 'vitest';
import {
  chooseClient,
  defaultClient,
  listClients,
  noClientAdvice,
  planLaunch,
} from '../../../../host/clients/index';
import { isLinuxClientAvailable, LINUX_CLIENTS } from '../../../../host/clients/linux';
import type { ClientId } from '../../../../shared/protocol';
import {
  BASIC,
  LINUX_CLIENT_IDS,
  LINUX_FILE,
  linux,
  MAC_FILE,
  mac,
  machine,
  protocolError,
  rdp,
  WIN_FILE,
  windows,
} from '../../../support/machines';

describe('Linux availability and default order', () => {
  const ALL = ['remmina', 'sdl-freerdp3', 'xfreerdp3', 'xfreerdp', 'xdg-open', 'xterm'];

  it('lists the clients in the order of docs/PROTOCOL.md §2, then custom', () => {
    expect(listClients(linux([])).map((c) => c.id)).toEqual(LINUX_CLIENT_IDS);
    expect(LINUX_CLIENTS.map((c) => c.id)).toEqual(LINUX_CLIENT_IDS.filter((id) => id !== 'custom'));
  });

  it('xfreerdp and xfreerdp3 without any terminal are unavailable', () => {
    const m = linux(['xfreerdp', 'xfreerdp3']);
    expect(isLinuxClientAvailable('xfreerdp', m)).toBe(false);
    expect(isLinuxClientAvailable('xfreerdp3', m)).toBe(false);
    expect(listClients(m).filter((c) => c.available)).toEqual([]);
    expect(defaultClient(m)).toBeNull();
  });

  it('xfreerdp with a terminal is available', () => {
    const m = linux(['xfreerdp', 'alacritty']);
    expect(isLinuxClientAvailable('xfreerdp', m)).toBe(true);
    expect(isLinuxClientAvailable('xfreerdp3', m)).toBe(false);
    expect(defaultClient(m)).toBe('xfreerdp');
  });

  it('a terminal alone makes no client available', () => {
    expect(defaultClient(linux(['xterm', 'gnome-terminal']))).toBeNull();
  });

  it('remmina and sdl-freerdp3 need no terminal', () => {
    expect(isLinuxClientAvailable('remmina', linux(['remmina']))).toBe(true);
    expect(isLinuxClientAvailable('sdl-freerdp3', linux(['sdl-freerdp3']))).toBe(true);
    expect(isLinuxClientAvailable('xdg-open', linux(['xdg-open']))).toBe(true);
  });

  it('marks each client available exactly when installed (and, for X11 FreeRDP, a terminal exists)', () => {
    const m = linux(['sdl-freerdp3', 'xfreerdp', 'xdg-open']);
    expect(listClients(m).map((c) => [c.id, c.available])).toEqual([
      ['remmina', false],
      ['sdl-freerdp3', true],
      ['xfreerdp3', false],
      ['xfreerdp', false],
      ['xdg-open', true],
      ['custom', false],
    ]);
  });

  it.each([
    [ALL, 'remmina'],
    [ALL.filter((n) => n !== 'remmina'), 'sdl-freerdp3'],
    [['xfreerdp3', 'xfreerdp', 'xdg-open', 'xterm'], 'xfreerdp3'],
    [['xfreerdp', 'xdg-open', 'xterm'], 'xfreerdp'],
    [['xfreerdp3', 'xfreerdp', 'xdg-open'], 'xdg-open'],
    [['xdg-open'], 'xdg-open'],
  ])('default with %j is %s', (installed, expected) => {
    expect(defaultClient(linux(installed))).toBe(expected);
    expect(chooseClient(linux(installed), 'auto')).toBe(expected);
  });

  it('a custom client wins as the default and is listed as available', () => {
    const m = linux(ALL, { customClient: '/opt/rdp/my-client' });
    expect(defaultClient(m)).toBe('custom');
    expect(chooseClient(m, 'auto')).toBe('custom');
    expect(listClients(m).find((c) => c.id === 'custom')).toMatchObject({ available: true });
  });

  it.each(['remmina', 'xfreerdp3', 'xdg-open'] as const)(
    'a custom client runs a launch that asks for %s',
    (asked) => {
      expect(chooseClient(linux(ALL, { customClient: '/opt/rdp/my-client' }), asked)).toBe('custom');
    },
  );

  it('the custom client gets [program, file] and nothing else', () => {
    const m = linux(['remmina'], { customClient: '/opt/rdp/my client' });
    const settings = rdp('full address:s:vm1.example.com', 'domain:s:CONTOSO', 'screen mode id:i:2');
    expect(planLaunch('custom', LINUX_FILE, settings, m)).toEqual({
      before: [],
      launch: { argv: ['/opt/rdp/my client', LINUX_FILE] },
      argv: ['/opt/rdp/my client', LINUX_FILE],
      needsFile: true,
    });
  });

  it('the custom client works the same on Windows and macOS', () => {
    const w = windows({ customClient: 'C:\\Tools\\client.exe', underFirefox: true });
    expect(defaultClient(w)).toBe('custom');
    expect(planLaunch('custom', WIN_FILE, BASIC, w).argv).toEqual(['C:\\Tools\\client.exe', WIN_FILE]);
    const m = mac({}, { customClient: '/Users/ann/bin/client' });
    expect(defaultClient(m)).toBe('custom');
    expect(planLaunch('custom', MAC_FILE, BASIC, m).launch.argv).toEqual(['/Users/ann/bin/client', MAC_FILE]);
  });

  it('a requested client that is available is used as asked', () => {
    const m = linux(ALL);
    expect(chooseClient(m, 'xdg-open')).toBe('xdg-open');
    expect(chooseClient(m, 'xfreerdp3')).toBe('xfreerdp3');
  });
});

describe('chooseClient errors', () => {
  it.each([
    ['linux', /Remmina/],
    ['win32', /mstsc\.exe.*System32.*Remote Desktop Connection/],
    ['darwin', /Windows App.*Mac App Store/],
  ] as const)('no client on %s: E_NO_CLIENT with advice', (platform, advice) => {
    const m = machine(platform, platform === 'darwin' ? { open: '/usr/bin/open' } : {});
    const error = protocolError(() => chooseClient(m, 'auto'));
    expect(error.code).toBe('E_NO_CLIENT');
    expect(error.message).toMatch(advice);
    expect(error.message).toBe(noClientAdvice(platform));
  });

  it('the Linux advice names the install command', () => {
    expect(noClientAdvice('linux')).toContain('sudo apt install remmina');
    expect(noClientAdvice('linux')).toContain('FreeRDP');
  });

  it.each([
    ['linux', 'mstsc'],
    ['linux', 'windows-app'],
    ['win32', 'remmina'],
    ['win32', 'xdg-open'],
    ['darwin', 'mstsc'],
    ['darwin', 'sdl-freerdp3'],
  ] as const)('on %s, %s does not exist', (platform, client) => {
    const m = platform === 'linux' ? linux(['remmina']) : platform === 'win32' ? windows() : mac();
    const error = protocolError(() => chooseClient(m, client as ClientId));
    expect(error.code).toBe('E_NO_CLIENT');
    expect(error.message).toBe(`The client "${client}" does not exist on ${platform}.`);
  });

  it('custom without a custom client set', () => {
    const error = protocolError(() => chooseClient(linux(['remmina']), 'custom'));
    expect(error.code).toBe('E_NO_CLIENT');
    expect(error.message).toMatch(/No custom client is set/);
    expect(error.message).toMatch(/RDPNOW_CLIENT/);
    const plan = protocolError(() => planLaunch('custom', LINUX_FILE, BASIC, linux(['remmina'])));
    expect(plan.code).toBe('E_NO_CLIENT');
  });

  it('xfreerdp installed but no terminal: says to install a terminal emulator', () => {
    const error = protocolError(() => chooseClient(linux(['xfreerdp']), 'xfreerdp'));
    expect(error.code).toBe('E_NO_CLIENT');
    expect(error.message).toMatch(/terminal emulator/);
  });

  it('xfreerdp3 not installed: says to install FreeRDP', () => {
    const error = protocolError(() => chooseClient(linux(['xterm']), 'xfreerdp3'));
    expect(error.code).toBe('E_NO_CLIENT');
    expect(error.message).toMatch(/xfreerdp3 is not installed.*FreeRDP/);
  });

  it('remmina not installed', () => {
    const error = protocolError(() => chooseClient(linux(['xdg-open']), 'remmina'));
    expect(error.code).toBe('E_NO_CLIENT');
    expect(error.message).toMatch(/remmina is not installed/);
  });

  it('mstsc missing on Windows', () => {
    const error = protocolError(() => chooseClient(machine('win32', {}), 'mstsc'));
    expect(error.code).toBe('E_NO_CLIENT');
    expect(error.message).toMatch(/mstsc is not installed/);
  });
});
