import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultClient, listClients, planLaunch } from '../../../../host/clients/index';
import {
  mstscSwitches,
  needsRdpFile,
  outsideJobObject,
  quoteWindowsArg,
  usernameHintCommand,
  windowsPlan,
} from '../../../../host/clients/windows';
import { BASIC, MSTSC, machine, POWERSHELL, REG, rdp, WIN_FILE, windows } from '../../../support/machines';

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

  it.each([
    [
      'carries full screen, size, multimon and prompt as switches',
      [
        'full address:s:20.1.2.3:3390',
        'screen mode id:i:2',
        'desktopwidth:i:1920',
        'desktopheight:i:1080',
        'use multimon:i:1',
        'prompt for credentials:i:1',
      ],
      ['/v:20.1.2.3:3390', '/f', '/w:1920', '/h:1080', '/multimon', '/prompt'],
    ],
    [
      'windowed, no multimon, no prompt: no switches for them',
      [
        'full address:s:20.1.2.3',
        'screen mode id:i:1',
        'use multimon:i:0',
        'prompt for credentials:i:0',
        'desktopwidth:i:1280',
      ],
      ['/v:20.1.2.3', '/w:1280'],
    ],
    [
      'server port is folded into /v:',
      ['full address:s:vm1.example.com', 'server port:i:50001'],
      ['/v:vm1.example.com:50001'],
    ],
  ])('%s', (_, lines, switches) => {
    const settings = rdp(...lines);
    expect(mstscSwitches(settings)).toEqual(switches);
    expect(windowsPlan(WIN_FILE, settings, windows()).argv).toEqual([MSTSC, ...switches]);
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
