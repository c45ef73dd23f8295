/** Remmina's window is named by a profile of ours, built only from validated settings, each value escaped. */
import { describe, expect, it } from 'vitest';
import { planLaunch } from '../../../../host/clients/index';
import { keyFileValue, remminaProfile } from '../../../../host/clients/remmina';
import { parseRdp, sessionRdp } from '../../../../shared/rdp-file';
import { BASIC, LINUX_FILE, linux, rdp } from '../../../support/machines';

const TITLED = '/home/ann/.local/state/rdp-now/rdp/rdp-now-1-3f2a/vm-bastion.rdp';
const PROFILE = '/home/ann/.local/state/rdp-now/rdp/rdp-now-1-3f2a/vm-bastion.remmina';

describe('Remmina with a title', () => {
  it('opens a profile beside where the .rdp file would be, and needs no .rdp file', () => {
    const settings = parseRdp(sessionRdp('127.0.0.1', 50000, { username: 'azureuser' }));
    expect(planLaunch('remmina', TITLED, settings, linux(['remmina']), 'vm-bastion')).toEqual({
      before: [],
      launch: { argv: ['/usr/bin/remmina', '-c', PROFILE] },
      argv: ['/usr/bin/remmina', '-c', PROFILE],
      needsFile: false,
      profile: {
        path: PROFILE,
        text: [
          '[remmina]',
          'name=vm-bastion',
          'protocol=RDP',
          'server=127.0.0.1:50000',
          'username=azureuser',
          'shareprinter=0',
          'disableclipboard=1',
          'disablepasswordstoring=1',
          '',
        ].join('\n'),
      },
    });
  });

  it('without a title Remmina still gets the .rdp file', () => {
    expect(planLaunch('remmina', LINUX_FILE, BASIC, linux(['remmina']))).toEqual({
      before: [],
      launch: { argv: ['/usr/bin/remmina', '-c', LINUX_FILE] },
      argv: ['/usr/bin/remmina', '-c', LINUX_FILE],
      needsFile: true,
    });
  });

  it('maps each setting as Remmina’s own .rdp import does, and nothing it would not read', () => {
    const settings = rdp(
      'full address:s:[2001:db8::1]:3390',
      'domain:s:CONTOSO',
      'redirectclipboard:i:1',
      'redirectprinters:i:1',
      'desktopwidth:i:1280',
      'desktopheight:i:800',
      'audiomode:i:1',
      'authentication level:i:2',
      'screen mode id:i:2',
      'use multimon:i:1',
      'prompt for credentials:i:1',
    );
    expect(remminaProfile(settings, 'web 01').split('\n')).toEqual([
      '[remmina]',
      'name=web 01',
      'protocol=RDP',
      'server=[2001:db8::1]:3390',
      'domain=CONTOSO',
      'resolution_width=1280',
      'resolution_height=800',
      'sound=remote',
      'shareprinter=1',
      'disableclipboard=0',
      'authentication level=2',
      'disablepasswordstoring=1',
      '',
    ]);
  });

  it.each([
    [0, 'sound=local'],
    [1, 'sound=remote'],
  ])('audiomode %i is %s; 2 (no sound) writes nothing, as the import', (mode, line) => {
    const lines = (n: number) => remminaProfile(rdp('full address:s:h', `audiomode:i:${n}`), 'h').split('\n');
    expect(lines(mode)).toContain(line);
    expect(lines(2).filter((l) => l.startsWith('sound='))).toEqual([]);
  });

  it('escapes what a user name may hold, so no value starts a line or key of its own', () => {
    const settings = rdp('full address:s:h', 'username:s: CONTOSO\\ann =x [remmina] #y', 'domain:s:a\\nb');
    const lines = remminaProfile(settings, ' lead').split('\n');
    expect(lines).toContain('name=\\slead');
    expect(lines).toContain('username=\\sCONTOSO\\\\ann =x [remmina] #y');
    expect(lines).toContain('domain=a\\\\nb');
    expect(lines.filter((l) => l.startsWith('['))).toEqual(['[remmina]']);
  });

  it.each([
    ['a\nname=x', 'a\\nname=x'],
    ['a\r\tb', 'a\\r\\tb'],
    ['  two', '\\s two'],
    ['trailing ', 'trailing '],
    ['C:\\', 'C:\\\\'],
  ])('keyFileValue(%j) is %j', (value, escaped) => {
    expect(keyFileValue(value)).toBe(escaped);
  });

  it('refuses a NUL, which would cut the value short in C', () => {
    expect(() => keyFileValue('a\0b')).toThrow(/NUL/);
  });
});
