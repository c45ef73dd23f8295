import { describe, expect, it } from 'vitest';
import { planLaunch } from '../../../../host/clients/index';
import { findTerminal, LINUX_CLIENTS, linuxArgv, TERMINALS } from '../../../../host/clients/linux';
import { BASIC, LINUX_FILE, linux, machine, rdp } from '../../../support/machines';

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
  const ADDRESS = 'full address:s:vm1.example.com';
  it.each([
    ['remmina opens the file with -c', 'remmina', [], ['remmina'], ['/usr/bin/remmina', '-c', LINUX_FILE]],
    [
      'sdl-freerdp3 gets the file and no /cert: option (it asks before trusting a certificate)',
      'sdl-freerdp3',
      [],
      ['sdl-freerdp3'],
      ['/usr/bin/sdl-freerdp3', LINUX_FILE],
    ],
    [
      'sdl-freerdp3 gets the domain as /d: (FreeRDP ignores domain:s: alone)',
      'sdl-freerdp3',
      ['username:s:alice', 'domain:s:CONTOSO'],
      ['sdl-freerdp3'],
      ['/usr/bin/sdl-freerdp3', LINUX_FILE, '/d:CONTOSO'],
    ],
    [
      'an empty domain adds no /d:',
      'sdl-freerdp3',
      ['domain:s:'],
      ['sdl-freerdp3'],
      ['/usr/bin/sdl-freerdp3', LINUX_FILE],
    ],
    [
      'a domain with a space stays one argument',
      'xfreerdp',
      ['domain:s:My Domain'],
      ['xfreerdp', 'xterm'],
      ['/usr/bin/xterm', '-e', '/usr/bin/xfreerdp', LINUX_FILE, '/d:My Domain'],
    ],
    [
      'xdg-open gets only the file',
      'xdg-open',
      ['domain:s:CONTOSO'],
      ['xdg-open'],
      ['/usr/bin/xdg-open', LINUX_FILE],
    ],
  ] as const)('%s', (_, client, lines, installed, argv) => {
    expect(linuxArgv(client, LINUX_FILE, rdp(ADDRESS, ...lines), linux(installed))).toEqual(argv);
  });

  it('no FreeRDP client is told to trust a certificate unseen (no /cert:tofu, /cert:ignore)', () => {
    const settings = rdp('full address:s:vm1.example.com', 'domain:s:CONTOSO');
    const m = linux([...LINUX_CLIENTS.map((c) => c.program), 'xterm']);
    for (const { id } of LINUX_CLIENTS) {
      expect(linuxArgv(id, LINUX_FILE, settings, m).filter((a) => a.startsWith('/cert'))).toEqual([]);
    }
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
