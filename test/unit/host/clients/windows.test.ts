import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseClient,
  defaultClient,
  listClients,
  noClientAdvice,
  planLaunch,
} from '../../../../host/clients/index';
import {
  findTerminal,
  isLinuxClientAvailable,
  LINUX_CLIENTS,
  linuxArgv,
  TERMINALS,
} from '../../../../host/clients/linux';
import type { Machine } from '../../../../host/clients/machine';
import { macosPlan, WINDOWS_APP_BUNDLE_ID } from '../../../../host/clients/macos';
import {
  mstscSwitches,
  needsRdpFile,
  outsideJobObject,
  quoteWindowsArg,
  usernameHintCommand,
  windowsPlan,
} from '../../../../host/clients/windows';
import { type ClientId, type HostPlatform, ProtocolError } from '../../../../shared/protocol';
import { parseRdp, type RdpSettings } from '../../../../shared/rdp-file';

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const LINUX_FILE = '/home/ann/.local/state/rdp-now/rdp/3f2a.rdp';
const WIN_FILE = 'C:\\Users\\ann\\AppData\\Local\\rdp-now\\state\\rdp\\3f2a.rdp';
const MAC_FILE = '/Users/ann/Library/Application Support/rdp-now/state/rdp/3f2a.rdp';

const MSTSC = 'C:\\Windows\\System32\\mstsc.exe';
const REG = 'C:\\Windows\\System32\\reg.exe';
const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

function machine(
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
function linux(names: readonly string[], extra: Partial<Machine> = {}): Machine {
  return machine('linux', Object.fromEntries(names.map((n) => [n, `/usr/bin/${n}`])), extra);
}

function windows(extra: Partial<Machine> = {}): Machine {
  return machine('win32', { mstsc: MSTSC }, extra);
}

function mac(programs: Record<string, string> = {}, extra: Partial<Machine> = {}): Machine {
  return machine(
    'darwin',
    { open: '/usr/bin/open', 'windows-app': '/Applications/Windows App.app', ...programs },
    extra,
  );
}

function rdp(...lines: string[]): RdpSettings {
  return parseRdp(lines.join('\r\n'));
}

const BASIC = rdp('full address:s:vm1.example.com');

function protocolError(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('expected a ProtocolError');
}

// ---------------------------------------------------------------------------------------------------------------
// Linux

/** The terminal emulators and the arguments that precede the command, written out independently of linux.ts. */
const EXPECTED_TERMINALS: ReadonlyArray<readonly [string, string[]]> = [
  ['x-terminal-emulator', ['-e']],
  ['gnome-terminal', ['--']],
  ['konsole', ['-e']],
  ['xfce4-terminal', ['-x']],
  ['kitty', []],
  ['alacritty', ['-e']],
  ['foot', []],
  ['xterm', ['-e']],
];

describe('Linux client argv', () => {
  it('remmina opens the file with -c', () => {
    expect(linuxArgv('remmina', LINUX_FILE, BASIC, linux(['remmina']))).toEqual([
      '/usr/bin/remmina',
      '-c',
      LINUX_FILE,
    ]);
  });

  it('sdl-freerdp3 gets the file and no /cert: option (it asks before trusting a certificate)', () => {
    expect(linuxArgv('sdl-freerdp3', LINUX_FILE, BASIC, linux(['sdl-freerdp3']))).toEqual([
      '/usr/bin/sdl-freerdp3',
      LINUX_FILE,
    ]);
  });

  it('no FreeRDP client is told to trust a certificate unseen (no /cert:tofu, /cert:ignore)', () => {
    const settings = rdp('full address:s:vm1.example.com', 'domain:s:CONTOSO');
    const m = linux([...LINUX_CLIENTS.map((c) => c.program), 'xterm']);
    for (const { id } of LINUX_CLIENTS) {
      expect(linuxArgv(id, LINUX_FILE, settings, m).filter((a) => a.startsWith('/cert'))).toEqual([]);
    }
  });

  it('sdl-freerdp3 gets the domain as /d: (FreeRDP ignores domain:s: alone)', () => {
    const settings = rdp('full address:s:vm1.example.com', 'username:s:alice', 'domain:s:CONTOSO');
    expect(linuxArgv('sdl-freerdp3', LINUX_FILE, settings, linux(['sdl-freerdp3']))).toEqual([
      '/usr/bin/sdl-freerdp3',
      LINUX_FILE,
      '/d:CONTOSO',
    ]);
  });

  it('an empty domain adds no /d:', () => {
    const settings = rdp('full address:s:vm1.example.com', 'domain:s:');
    expect(linuxArgv('sdl-freerdp3', LINUX_FILE, settings, linux(['sdl-freerdp3']))).toEqual([
      '/usr/bin/sdl-freerdp3',
      LINUX_FILE,
    ]);
  });

  it('a domain with a space stays one argument', () => {
    const settings = rdp('full address:s:vm1.example.com', 'domain:s:My Domain');
    expect(linuxArgv('xfreerdp', LINUX_FILE, settings, linux(['xfreerdp', 'xterm']))).toEqual([
      '/usr/bin/xterm',
      '-e',
      '/usr/bin/xfreerdp',
      LINUX_FILE,
      '/d:My Domain',
    ]);
  });

  it('the TERMINALS table lists the expected emulators in order', () => {
    expect(TERMINALS.map(([name, prefix]) => [name, [...prefix]])).toEqual(EXPECTED_TERMINALS);
  });

  describe.each(EXPECTED_TERMINALS)('inside %s', (terminal, prefix) => {
    it.each(['xfreerdp', 'xfreerdp3'] as const)('%s runs with the right prefix', (client) => {
      const m = linux([client, terminal]);
      expect(linuxArgv(client, LINUX_FILE, BASIC, m)).toEqual([
        `/usr/bin/${terminal}`,
        ...prefix,
        `/usr/bin/${client}`,
        LINUX_FILE,
      ]);
    });

    it('xfreerdp3 passes the domain inside the terminal', () => {
      const settings = rdp('full address:s:10.0.0.4:3390', 'username:s:alice', 'domain:s:CONTOSO');
      expect(linuxArgv('xfreerdp3', LINUX_FILE, settings, linux(['xfreerdp3', terminal]))).toEqual([
        `/usr/bin/${terminal}`,
        ...prefix,
        '/usr/bin/xfreerdp3',
        LINUX_FILE,
        '/d:CONTOSO',
      ]);
    });
  });

  it('the first terminal of the table wins when several are installed', () => {
    const m = linux(['xfreerdp', 'xterm', 'kitty', 'gnome-terminal']);
    expect(findTerminal(m)).toEqual(['/usr/bin/gnome-terminal', '--']);
    expect(linuxArgv('xfreerdp', LINUX_FILE, BASIC, m)).toEqual([
      '/usr/bin/gnome-terminal',
      '--',
      '/usr/bin/xfreerdp',
      LINUX_FILE,
    ]);
    expect(findTerminal(linux(['xterm', 'x-terminal-emulator']))).toEqual([
      '/usr/bin/x-terminal-emulator',
      '-e',
    ]);
  });

  it('uses the absolute paths found on PATH', () => {
    const m = machine('linux', { xfreerdp3: '/opt/freerdp/bin/xfreerdp3', foot: '/home/ann/bin/foot' });
    expect(linuxArgv('xfreerdp3', LINUX_FILE, BASIC, m)).toEqual([
      '/home/ann/bin/foot',
      '/opt/freerdp/bin/xfreerdp3',
      LINUX_FILE,
    ]);
  });

  it('no terminal: findTerminal is null and xfreerdp cannot be planned', () => {
    const m = linux(['xfreerdp', 'xfreerdp3']);
    expect(findTerminal(m)).toBeNull();
    expect(() => linuxArgv('xfreerdp', LINUX_FILE, BASIC, m)).toThrow(/terminal/);
    expect(() => linuxArgv('xfreerdp3', LINUX_FILE, BASIC, m)).toThrow(/terminal/);
  });

  it('xdg-open gets only the file', () => {
    const settings = rdp('full address:s:vm1.example.com', 'domain:s:CONTOSO');
    expect(linuxArgv('xdg-open', LINUX_FILE, settings, linux(['xdg-open']))).toEqual([
      '/usr/bin/xdg-open',
      LINUX_FILE,
    ]);
  });

  it('a client that is not installed cannot be planned', () => {
    expect(() => linuxArgv('remmina', LINUX_FILE, BASIC, linux(['xdg-open']))).toThrow(/not installed/);
  });

  it('planLaunch wraps the argv: nothing before, the file is needed', () => {
    const m = linux(['xfreerdp3', 'konsole']);
    const argv = ['/usr/bin/konsole', '-e', '/usr/bin/xfreerdp3', LINUX_FILE];
    expect(planLaunch('xfreerdp3', LINUX_FILE, BASIC, m)).toEqual({
      before: [],
      launch: { argv },
      argv,
      needsFile: true,
    });
  });
});

describe('Linux availability and default order', () => {
  const ALL = ['remmina', 'sdl-freerdp3', 'xfreerdp3', 'xfreerdp', 'xdg-open', 'xterm'];

  it('lists the clients in the order of PROTOCOL.md §2, then custom', () => {
    expect(listClients(linux([])).map((c) => c.id)).toEqual([
      'remmina',
      'sdl-freerdp3',
      'xfreerdp3',
      'xfreerdp',
      'xdg-open',
      'custom',
    ]);
    expect(LINUX_CLIENTS.map((c) => c.id)).toEqual([
      'remmina',
      'sdl-freerdp3',
      'xfreerdp3',
      'xfreerdp',
      'xdg-open',
    ]);
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

// ---------------------------------------------------------------------------------------------------------------
// Windows

describe('Windows: mstsc with /v: when the settings allow', () => {
  it('lists mstsc and custom', () => {
    expect(listClients(windows())).toEqual([
      { id: 'mstsc', name: 'Remote Desktop Connection (mstsc)', available: true },
      { id: 'custom', name: 'Custom client (RDPNOW_CLIENT)', available: false },
    ]);
    expect(defaultClient(windows())).toBe('mstsc');
    expect(defaultClient(machine('win32', {}))).toBeNull();
  });

  it('a bare address: mstsc by absolute path with /v:host:port, no file', () => {
    const plan = windowsPlan(WIN_FILE, BASIC, windows());
    expect(plan).toEqual({
      before: [],
      launch: { argv: [MSTSC, '/v:vm1.example.com'] },
      argv: [MSTSC, '/v:vm1.example.com'],
      needsFile: false,
    });
    expect(plan.launch).not.toHaveProperty('env');
  });

  it('planLaunch for mstsc is the Windows plan', () => {
    expect(planLaunch('mstsc', WIN_FILE, BASIC, windows()).argv).toEqual([MSTSC, '/v:vm1.example.com']);
  });

  it('carries full screen, size, multimon and prompt as switches', () => {
    const settings = rdp(
      'full address:s:20.1.2.3:3390',
      'screen mode id:i:2',
      'desktopwidth:i:1920',
      'desktopheight:i:1080',
      'use multimon:i:1',
      'prompt for credentials:i:1',
    );
    expect(windowsPlan(WIN_FILE, settings, windows()).argv).toEqual([
      MSTSC,
      '/v:20.1.2.3:3390',
      '/f',
      '/w:1920',
      '/h:1080',
      '/multimon',
      '/prompt',
    ]);
  });

  it('windowed, no multimon, no prompt: no switches for them', () => {
    const settings = rdp(
      'full address:s:20.1.2.3',
      'screen mode id:i:1',
      'use multimon:i:0',
      'prompt for credentials:i:0',
      'desktopwidth:i:1280',
    );
    expect(mstscSwitches(settings)).toEqual(['/v:20.1.2.3', '/w:1280']);
  });

  it('server port is folded into /v:', () => {
    expect(mstscSwitches(rdp('full address:s:vm1.example.com', 'server port:i:50001'))).toEqual([
      '/v:vm1.example.com:50001',
    ]);
  });

  it.each([
    ['full address:s:[2001:db8::1]', '/v:[2001:db8::1]'],
    ['full address:s:[2001:DB8::4]:3390', '/v:[2001:db8::4]:3390'],
    ['full address:s:[::ffff:10.0.0.4]:4000', '/v:[::ffff:10.0.0.4]:4000'],
  ])('IPv6 is bracketed: %s', (line, expected) => {
    expect(windowsPlan(WIN_FILE, rdp(line), windows()).argv).toEqual([MSTSC, expected]);
  });

  it.each([
    'enablerdsaadauth:i:0',
    'redirectclipboard:i:0',
    'redirectprinters:i:0',
    'audiomode:i:0',
    'authentication level:i:2',
    'enablecredsspsupport:i:1',
    'dynamic resolution:i:1',
    'smart sizing:i:0',
    'drivestoredirect:s:',
    'redirectsmartcards:i:0',
  ])('%s is what mstsc does anyway: still /v:', (line) => {
    const settings = rdp('full address:s:vm1.example.com', line);
    expect(needsRdpFile(settings)).toBe(false);
    expect(windowsPlan(WIN_FILE, settings, windows()).argv).toEqual([MSTSC, '/v:vm1.example.com']);
  });

  it('the off-only settings the parser fills in do not force a file', () => {
    expect(BASIC.values.get('redirectsmartcards')).toBe(0);
    expect(needsRdpFile(BASIC)).toBe(false);
  });

  it.each([
    'enablerdsaadauth:i:1',
    'redirectclipboard:i:1',
    'redirectprinters:i:1',
    'audiomode:i:1',
    'audiomode:i:2',
    'authentication level:i:1',
    'enablecredsspsupport:i:0',
    'dynamic resolution:i:0',
    'smart sizing:i:1',
  ])('%s needs the file: mstsc <file>, no switches, no hint', (line) => {
    const settings = rdp(
      'full address:s:vm1.example.com:3390',
      'username:s:alice',
      'domain:s:CONTOSO',
      'screen mode id:i:2',
      line,
    );
    expect(needsRdpFile(settings)).toBe(true);
    expect(windowsPlan(WIN_FILE, settings, windows())).toEqual({
      before: [],
      launch: { argv: [MSTSC, WIN_FILE] },
      argv: [MSTSC, WIN_FILE],
      needsFile: true,
    });
  });

  it('mstsc is found from systemRoot, whatever it is', () => {
    const m = windows({ systemRoot: 'D:\\WINNT' });
    const settings = rdp('full address:s:vm1.example.com', 'username:s:alice');
    const plan = windowsPlan(WIN_FILE, settings, m);
    expect(plan.argv[0]).toBe('D:\\WINNT\\System32\\mstsc.exe');
    expect(plan.before[0]?.argv[0]).toBe('D:\\WINNT\\System32\\reg.exe');
  });
});

describe('Windows: the UsernameHint', () => {
  const hint = (server: string, user: string) => [
    REG,
    'add',
    `HKCU\\Software\\Microsoft\\Terminal Server Client\\Servers\\${server}`,
    '/v',
    'UsernameHint',
    '/t',
    'REG_SZ',
    '/d',
    user,
    '/f',
  ];

  it('joins the domain and the user name', () => {
    const settings = rdp('full address:s:vm1.example.com', 'username:s:alice', 'domain:s:CONTOSO');
    const plan = windowsPlan(WIN_FILE, settings, windows());
    expect(plan.before).toEqual([{ argv: hint('vm1.example.com', 'CONTOSO\\alice') }]);
    expect(plan.argv).toEqual([MSTSC, '/v:vm1.example.com']);
  });

  it('a user name alone', () => {
    const settings = rdp('full address:s:20.1.2.3', 'username:s:azureuser');
    expect(usernameHintCommand(settings, windows())).toEqual({ argv: hint('20.1.2.3', 'azureuser') });
  });

  it('a user name that already holds a domain is kept as given', () => {
    const settings = rdp('full address:s:20.1.2.3', 'username:s:VM1\\admin', 'domain:s:CONTOSO');
    expect(usernameHintCommand(settings, windows())).toEqual({ argv: hint('20.1.2.3', 'VM1\\admin') });
  });

  it('a non-default port is part of the key', () => {
    const settings = rdp('full address:s:vm1.example.com:3390', 'username:s:alice');
    expect(usernameHintCommand(settings, windows())).toEqual({ argv: hint('vm1.example.com:3390', 'alice') });
  });

  it('spells the server exactly as /v: does, so mstsc finds the hint (IPv6 with a port)', () => {
    const settings = rdp('full address:s:[2001:db8::1]:3390', 'username:s:alice');
    const plan = windowsPlan(WIN_FILE, settings, windows());
    expect(plan.argv).toEqual([MSTSC, '/v:[2001:db8::1]:3390']);
    expect(plan.before).toEqual([{ argv: hint('[2001:db8::1]:3390', 'alice') }]);
  });

  it('no user name (or an empty one): no hint', () => {
    expect(usernameHintCommand(BASIC, windows())).toBeNull();
    expect(
      usernameHintCommand(rdp('full address:s:20.1.2.3', 'username:s:', 'domain:s:X'), windows()),
    ).toBeNull();
    expect(usernameHintCommand(rdp('full address:s:20.1.2.3', 'domain:s:X'), windows())).toBeNull();
  });
});

describe('Windows: the hand-off out of Firefox’s job object', () => {
  const settings = rdp('full address:s:vm1.example.com', 'username:s:alice', 'screen mode id:i:2');

  it('runs PowerShell by absolute path; the command line travels in RDPNOW_COMMAND_LINE', () => {
    const plan = windowsPlan(WIN_FILE, settings, windows({ underFirefox: true }));
    expect(plan.argv).toEqual([MSTSC, '/v:vm1.example.com', '/f']);
    const script = plan.launch.argv[6] ?? '';
    expect(plan.launch.argv).toEqual([
      POWERSHELL,
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-Command',
      script,
    ]);
    expect(plan.launch.env).toEqual({ RDPNOW_COMMAND_LINE: `${MSTSC} /v:vm1.example.com /f` });
    expect(script).toContain('Win32_Process');
    expect(script).toContain('$env:RDPNOW_COMMAND_LINE');
    // The hint is still written first (a plain child, no job problem).
    expect(plan.before).toHaveLength(1);
    expect(plan.needsFile).toBe(false);
  });

  it('never puts the command line or anything from the .rdp into the script', () => {
    const file = "C:\\Users\\o'neil\\rdp\\x.rdp";
    const aad = rdp('full address:s:evil-host.example.com', 'enablerdsaadauth:i:1');
    const a = windowsPlan(file, aad, windows({ underFirefox: true }));
    const b = windowsPlan(WIN_FILE, BASIC, windows({ underFirefox: true }));
    expect(a.launch.argv).toEqual(b.launch.argv);
    for (const arg of a.launch.argv) {
      expect(arg).not.toContain('evil-host');
      expect(arg).not.toContain('x.rdp');
    }
    expect(a.launch.env).toEqual({ RDPNOW_COMMAND_LINE: `${MSTSC} ${file}` });
  });

  it('a file path with spaces is quoted in the command line', () => {
    const file = 'C:\\Users\\John Smith\\AppData\\Local\\rdp-now\\state\\rdp\\x.rdp';
    const plan = windowsPlan(file, rdp('full address:s:vm1.example.com', 'enablerdsaadauth:i:1'), {
      ...windows(),
      underFirefox: true,
    });
    expect(plan.argv).toEqual([MSTSC, file]);
    expect(plan.launch.env).toEqual({ RDPNOW_COMMAND_LINE: `${MSTSC} "${file}"` });
    expect(commandLineToArgv(plan.launch.env?.RDPNOW_COMMAND_LINE ?? '')).toEqual([MSTSC, file]);
  });

  it('outsideJobObject uses systemRoot', () => {
    const command = outsideJobObject(
      ['D:\\WINNT\\System32\\mstsc.exe'],
      windows({ systemRoot: 'D:\\WINNT' }),
    );
    expect(command.argv[0]).toBe('D:\\WINNT\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(command.env).toEqual({ RDPNOW_COMMAND_LINE: 'D:\\WINNT\\System32\\mstsc.exe' });
  });
});

/**
 * A reference reading of a command line by the rules CommandLineToArgvW documents:
 * - argv[0] (the program): in quotes up to the next quote, else up to the first space or tab; no escapes;
 * - later arguments are separated by spaces and tabs outside quotes;
 * - 2n backslashes then a quote: n backslashes, and the quote opens or closes a quoted part;
 * - 2n+1 backslashes then a quote: n backslashes and a literal quote;
 * - backslashes not followed by a quote are literal.
 */
function commandLineToArgv(line: string): string[] {
  const args: string[] = [];
  const n = line.length;
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
  let i = 0;
  if (line[0] === '"') {
    const end = line.indexOf('"', 1);
    args.push(line.slice(1, end < 0 ? n : end));
    i = end < 0 ? n : end + 1;
  } else {
    while (i < n && !isBlank(line[i])) i++;
    args.push(line.slice(0, i));
  }
  for (;;) {
    while (isBlank(line[i])) i++;
    if (i >= n) break;
    let current = '';
    let quoted = false;
    while (i < n) {
      const c = line[i] as string;
      if (isBlank(c) && !quoted) break;
      if (c === '\\') {
        let j = i;
        while (line[j] === '\\') j++;
        const count = j - i;
        if (line[j] === '"') {
          current += '\\'.repeat(Math.floor(count / 2));
          if (count % 2 === 1) {
            current += '"';
            i = j + 1;
          } else {
            i = j;
          }
        } else {
          current += '\\'.repeat(count);
          i = j;
        }
        continue;
      }
      if (c === '"') {
        quoted = !quoted;
        i++;
        continue;
      }
      current += c;
      i++;
    }
    args.push(current);
  }
  return args;
}

describe('quoteWindowsArg against CommandLineToArgvW', () => {
  it('the reference parser reads the documented examples', () => {
    // From the CommandLineToArgvW / "Parsing C command-line arguments" documentation.
    expect(commandLineToArgv('p "abc" d e')).toEqual(['p', 'abc', 'd', 'e']);
    expect(commandLineToArgv('p a\\\\\\b de fg h')).toEqual(['p', 'a\\\\\\b', 'de', 'fg', 'h']);
    expect(commandLineToArgv('p a\\\\\\"b c d')).toEqual(['p', 'a\\"b', 'c', 'd']);
    expect(commandLineToArgv('p a\\\\\\\\"b c" d e')).toEqual(['p', 'a\\\\b c', 'd', 'e']);
    expect(commandLineToArgv('"C:\\Program Files\\x.exe" a')).toEqual(['C:\\Program Files\\x.exe', 'a']);
  });

  it.each([
    ['plain', 'plain'],
    ['/v:vm1.example.com', '/v:vm1.example.com'],
    ['C:\\dir\\', 'C:\\dir\\'],
    ['a\\b', 'a\\b'],
    ['', '""'],
    ['a b', '"a b"'],
    ['a\tb', '"a\tb"'],
    ['a"b', '"a\\"b"'],
    ['"', '"\\""'],
    ['a\\"b', '"a\\\\\\"b"'],
    ['C:\\my dir\\', '"C:\\my dir\\\\"'],
    ['C:\\my dir\\\\', '"C:\\my dir\\\\\\\\"'],
    ['a\\b c', '"a\\b c"'],
    ['C:\\Users\\John Smith\\x.rdp', '"C:\\Users\\John Smith\\x.rdp"'],
  ])('%j is written as %s', (arg, expected) => {
    expect(quoteWindowsArg(arg)).toBe(expected);
    expect(commandLineToArgv(`prog ${quoteWindowsArg(arg)}`)).toEqual(['prog', arg]);
  });

  const tricky = fc.string({
    unit: fc.constantFrom('a', 'Z', '0', ' ', '\t', '"', '\\', '/', ':', '%', '^', '&', 'é', '€', '😀', '\n'),
    maxLength: 24,
  });

  it('round-trips any argument list after the program (tricky characters)', () => {
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 6 }), (args) => {
        const line = [MSTSC, ...args].map(quoteWindowsArg).join(' ');
        expect(commandLineToArgv(line)).toEqual([MSTSC, ...args]);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any argument list (any Unicode)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 16 }), { maxLength: 5 }), (args) => {
        const line = ['C:\\Windows\\System32\\mstsc.exe', ...args].map(quoteWindowsArg).join(' ');
        expect(commandLineToArgv(line)).toEqual(['C:\\Windows\\System32\\mstsc.exe', ...args]);
      }),
      { numRuns: 1000 },
    );
  });

  it('a program path with spaces survives as argv[0]', () => {
    const program = 'C:\\My Windows\\System32\\mstsc.exe';
    expect(commandLineToArgv([program, 'a b', ''].map(quoteWindowsArg).join(' '))).toEqual([
      program,
      'a b',
      '',
    ]);
  });

  it('outsideJobObject’s command line reads back as the argv', () => {
    fc.assert(
      fc.property(fc.array(tricky, { maxLength: 5 }), (args) => {
        const command = outsideJobObject([MSTSC, ...args], windows());
        expect(commandLineToArgv(command.env?.RDPNOW_COMMAND_LINE ?? '')).toEqual([MSTSC, ...args]);
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// macOS

describe('macOS: Windows App through open -b', () => {
  it('lists windows-app and custom', () => {
    expect(listClients(mac()).map((c) => [c.id, c.available])).toEqual([
      ['windows-app', true],
      ['custom', false],
    ]);
    expect(defaultClient(mac())).toBe('windows-app');
    expect(defaultClient(machine('darwin', { open: '/usr/bin/open' }))).toBeNull();
  });

  it('opens the file by bundle id', () => {
    const plan = planLaunch('windows-app', MAC_FILE, BASIC, mac());
    expect(WINDOWS_APP_BUNDLE_ID).toBe('com.microsoft.rdc.macos');
    expect(plan).toEqual({
      before: [],
      launch: { argv: ['/usr/bin/open', '-b', 'com.microsoft.rdc.macos', MAC_FILE] },
      argv: ['/usr/bin/open', '-b', 'com.microsoft.rdc.macos', MAC_FILE],
      needsFile: true,
    });
  });

  it('falls back to /usr/bin/open', () => {
    const m = machine('darwin', { 'windows-app': '/Applications/Windows App.app' });
    expect(macosPlan(MAC_FILE, m).argv).toEqual(['/usr/bin/open', '-b', 'com.microsoft.rdc.macos', MAC_FILE]);
  });

  it('the settings do not change the argv (everything is in the file)', () => {
    const settings = rdp('full address:s:[2001:db8::1]:3390', 'username:s:alice', 'domain:s:CONTOSO');
    expect(planLaunch('windows-app', MAC_FILE, settings, mac()).argv).toEqual([
      '/usr/bin/open',
      '-b',
      'com.microsoft.rdc.macos',
      MAC_FILE,
    ]);
  });
});
