import { describe, expect, it } from 'vitest';
import {
  buildRdp,
  canonicalizeRdp,
  parseRdp,
  RdpError,
  rdpFileBytes,
  sessionRdp,
} from '../../../shared/rdp-file';
import { OFF_LINES } from '../../support/rdp';

const crlf = (lines: string[]) => lines.map((l) => `${l}\r\n`).join('');

function refusal(text: string): { kind: string; message: string } {
  try {
    parseRdp(text);
  } catch (error) {
    if (error instanceof RdpError) return { kind: error.kind, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('canonical form', () => {
  it('writes full address with its port, then every given setting in table order, then the off-only settings', () => {
    const text = [
      'Redirectclipboard:i:1',
      'screen mode id:i:2',
      'USERNAME:s:.\\azureuser',
      'full address:s:VM1.westeurope.cloudapp.azure.com',
      'prompt for credentials:i:1',
    ].join('\n');
    expect(canonicalizeRdp(text).text).toBe(
      crlf([
        'full address:s:vm1.westeurope.cloudapp.azure.com:3389',
        'username:s:.\\azureuser',
        'prompt for credentials:i:1',
        'redirectclipboard:i:1',
        'screen mode id:i:2',
        ...OFF_LINES,
      ]),
    );
  });

  it('keeps every allowed setting, ordered as docs/PROTOCOL.md §3 lists them', () => {
    const all = [
      'audiocapturemode:i:0',
      'enablecredsspsupport:i:1',
      'authentication level:i:2',
      'audiomode:i:1',
      'desktopheight:i:1080',
      'desktopwidth:i:1920',
      'screen mode id:i:1',
      'redirectprinters:i:0',
      'redirectclipboard:i:1',
      'enablerdsaadauth:i:1',
      'smart sizing:i:1',
      'dynamic resolution:i:1',
      'use multimon:i:0',
      'prompt for credentials:i:0',
      'domain:s:CONTOSO',
      'username:s:admin',
      'server port:i:50001',
      'full address:s:20.1.2.3',
    ];
    const lines = canonicalizeRdp(all.join('\r\n')).text.split('\r\n');
    expect(lines.slice(0, 16)).toEqual([
      'full address:s:20.1.2.3:50001',
      'username:s:admin',
      'domain:s:CONTOSO',
      'prompt for credentials:i:0',
      'use multimon:i:0',
      'dynamic resolution:i:1',
      'smart sizing:i:1',
      'enablerdsaadauth:i:1',
      'redirectclipboard:i:1',
      'redirectprinters:i:0',
      'screen mode id:i:1',
      'desktopwidth:i:1920',
      'desktopheight:i:1080',
      'audiomode:i:1',
      'authentication level:i:2',
      'enablecredsspsupport:i:1',
    ]);
  });

  it('is a fixed point: canonical text parses back to itself', () => {
    const once = canonicalizeRdp('full address:s:[2001:DB8::1]:3390\nusername:s:Jürgen').text;
    expect(once.startsWith('full address:s:[2001:db8::1]:3390\r\nusername:s:Jürgen\r\n')).toBe(true);
    expect(canonicalizeRdp(once).text).toBe(once);
  });

  it('accepts LF and CRLF, ignores blank lines and a leading BOM', () => {
    const a = canonicalizeRdp('\uFEFF\r\nfull address:s:10.0.0.4\r\n\r\n   \nusername:s:u\n').text;
    const b = canonicalizeRdp('full address:s:10.0.0.4\nusername:s:u').text;
    expect(a).toBe(b);
  });

  it('folds a matching server port into full address', () => {
    expect(parseRdp('full address:s:10.0.0.4:3390\nserver port:i:3390').target).toEqual({
      host: '10.0.0.4',
      port: 3390,
    });
    expect(parseRdp('full address:s:10.0.0.4\nserver port:i:3390').target).toEqual({
      host: '10.0.0.4',
      port: 3390,
    });
  });

  it('adds no setting the input did not give except the off-only ones', () => {
    const names = canonicalizeRdp('full address:s:h.example')
      .text.split('\r\n')
      .filter(Boolean)
      .map((l) => l.split(':')[0]);
    expect(names).toEqual(['full address', ...OFF_LINES.map((l) => l.split(':')[0])]);
  });

  it('buildRdp produces canonical content and validates what it is given', () => {
    expect(buildRdp({ host: '10.0.0.4', port: 50001, settings: { username: 'azureuser' } })).toBe(
      crlf(['full address:s:10.0.0.4:50001', 'username:s:azureuser', ...OFF_LINES]),
    );
    expect(() => buildRdp({ host: '10.0.0.4', settings: { 'alternate shell': 'cmd' } })).toThrow(RdpError);
    expect(() => buildRdp({ host: 'bad host' })).toThrow(RdpError);
  });
});

describe('full address', () => {
  it.each([
    ['10.0.0.4', '10.0.0.4', 3389],
    ['10.0.0.4:1', '10.0.0.4', 1],
    ['10.0.0.4:65535', '10.0.0.4', 65535],
    ['[::1]', '::1', 3389],
    ['[2001:db8::1]:3389', '2001:db8::1', 3389],
    ['[::ffff:10.0.0.4]:3389', '::ffff:10.0.0.4', 3389],
    ['vm1.westeurope.cloudapp.azure.com:50001', 'vm1.westeurope.cloudapp.azure.com', 50001],
    ['localhost', 'localhost', 3389],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`, 3389],
  ])('accepts %s', (value, host, port) => {
    expect(parseRdp(`full address:s:${value}`).target).toEqual({ host, port });
  });

  it.each([
    ['an empty value', ''],
    ['port 0', '10.0.0.4:0'],
    ['port 65536', '10.0.0.4:65536'],
    ['a non-numeric port', '10.0.0.4:rdp'],
    ['an unbracketed IPv6 address', '2001:db8::1'],
    ['an unclosed bracket', '[2001:db8::1:3389'],
    ['text after the bracket', '[::1]x'],
    ['a bad IPv6 address', '[2001:db8:::1]'],
    ['an IPv4 octet over 255', '10.0.0.256'],
    ['a truncated IPv4 address', '10.0.4'],
    ['a label starting with a hyphen', '-vm.example'],
    ['a label over 63 characters', `${'a'.repeat(64)}.example`],
    ['a name over 253 characters', `${'a.'.repeat(127)}ab`],
    ['a space', 'vm 1.example'],
    ['a URL', 'https://vm1.example'],
    ['a user@host', 'user@vm1.example'],
  ])('refuses %s', (_, value) => {
    expect(refusal(`full address:s:${value}`).kind).toBe('forbidden');
  });

  it('is required', () => {
    expect(refusal('username:s:u')).toEqual({
      kind: 'invalid',
      message: 'The required setting "full address" is missing.',
    });
  });

  it('refuses a server port that disagrees with full address, or is out of range', () => {
    expect(refusal('full address:s:10.0.0.4:3389\nserver port:i:3390').message).toMatch(/disagrees/);
    expect(refusal('full address:s:10.0.0.4\nserver port:i:0').kind).toBe('forbidden');
    expect(refusal('full address:s:10.0.0.4\nserver port:i:70000').kind).toBe('forbidden');
  });
});

describe('forbidden settings', () => {
  it.each([
    'alternate shell:s:cmd.exe /c calc',
    'shell working directory:s:C:\\',
    'remoteapplicationmode:i:1',
    'remoteapplicationprogram:s:||calc',
    'alternate full address:s:evil.example',
    'gatewayhostname:s:gw.evil.example',
    'gatewayusagemethod:i:1',
    'gatewaycredentialssource:i:0',
    'password 51:b:01000000D08C9DDF0115D1118C7A00C04FC297EB',
    'password:s:hunter2',
    'kdcproxyname:s:kdc.evil.example',
    'signscope:s:Full Address',
    'signature:s:AAAA',
    'loadbalanceinfo:s:tsv://x',
    'autoreconnection enabled:i:1',
  ])('refuses %s, naming the setting but never echoing its value', (line) => {
    const { kind, message } = refusal(`full address:s:10.0.0.4\n${line}`);
    const name = line.split(':')[0] as string;
    expect(kind).toBe('forbidden');
    expect(message).toContain(`"${name}"`);
    expect(message).not.toContain(line.slice(name.length + 3) || '\u0000');
  });

  it.each([
    ['drivestoredirect:s:*'],
    ['drivestoredirect:s:C:'],
    ['redirectsmartcards:i:1'],
    ['redirectcomports:i:1'],
    ['redirectwebauthn:i:1'],
    ['redirectlocation:i:1'],
    ['camerastoredirect:s:*'],
    ['devicestoredirect:s:*'],
    ['usbdevicestoredirect:s:*'],
    ['audiocapturemode:i:1'],
  ])('allows %s only off', (line) => {
    expect(refusal(`full address:s:10.0.0.4\n${line}`).kind).toBe('forbidden');
    const name = line.split(':')[0];
    const off = line.includes(':s:') ? `${name}:s:` : `${name}:i:0`;
    expect(() => parseRdp(`full address:s:10.0.0.4\n${off}`)).not.toThrow();
  });

  it('refuses a setting given twice, even in another case', () => {
    expect(refusal('full address:s:10.0.0.4\nusername:s:a\nUserName:s:b')).toEqual({
      kind: 'forbidden',
      message: 'The setting "username" is given twice.',
    });
    expect(refusal('full address:s:10.0.0.4\nfull address:s:10.0.0.5').kind).toBe('forbidden');
  });

  it('refuses more than 64 settings and a line over 2,048 characters', () => {
    const many = ['full address:s:10.0.0.4', ...Array.from({ length: 64 }, () => 'username:s:u')].join('\n');
    expect(refusal(many).message).toMatch(/More than 64/);
    expect(refusal(`full address:s:10.0.0.4\nusername:s:${'u'.repeat(2040)}`).message).toMatch(
      /longer than 2048/,
    );
  });
});

describe('values out of range', () => {
  it.each([
    ['prompt for credentials', '2'],
    ['use multimon', '-1'],
    ['dynamic resolution', 'yes'],
    ['smart sizing', '1.0'],
    ['enablerdsaadauth', ''],
    ['redirectclipboard', '3'],
    ['redirectprinters', '01x'],
    ['screen mode id', '0'],
    ['screen mode id', '3'],
    ['desktopwidth', '199'],
    ['desktopwidth', '8193'],
    ['desktopheight', '99999999999'],
    ['audiomode', '3'],
    ['authentication level', '0'],
    ['authentication level', '3'],
    ['enablecredsspsupport', '2'],
  ])('refuses %s = %s', (name, value) => {
    const { kind, message } = refusal(`full address:s:10.0.0.4\n${name}:i:${value}`);
    expect(kind).toBe('forbidden');
    expect(message).toContain(`"${name}"`);
  });

  it.each([
    ['desktopwidth', 200],
    ['desktopwidth', 8192],
    ['desktopheight', 200],
    ['screen mode id', 2],
    ['audiomode', 2],
    ['authentication level', 1],
  ])('accepts %s = %i at the edge of its range', (name, value) => {
    expect(parseRdp(`full address:s:10.0.0.4\n${name}:i:${value}`).values.get(name)).toBe(value);
  });

  it('limits user and domain names to 256 printable characters', () => {
    expect(
      parseRdp(`full address:s:h.example\nusername:s:${'u'.repeat(256)}`).values.get('username'),
    ).toHaveLength(256);
    expect(refusal(`full address:s:h.example\nusername:s:${'u'.repeat(257)}`).kind).toBe('forbidden');
    // Format characters (here a right-to-left override) could disguise a name in a dialog.
    expect(refusal('full address:s:h.example\nusername:s:admin\u202Eexe').kind).toBe('forbidden');
    expect(refusal('full address:s:h.example\ndomain:s:a\u2028b').kind).toBe('forbidden');
  });
});

describe('syntax and injection', () => {
  it.each([
    ['NUL', 'username:s:a\u0000b'],
    ['a bare carriage return (line injection)', 'username:s:a\rredirectclipboard:i:1'],
    ['a tab', 'username:s:a\tb'],
    ['an escape character', 'username:s:\u001b[31m'],
    ['DEL', 'username:s:a\u007f'],
    ['a C1 control', 'username:s:a\u0085b'],
  ])('refuses %s inside a line as invalid, naming the line', (_, line) => {
    expect(refusal(`full address:s:10.0.0.4\n${line}`)).toEqual({
      kind: 'invalid',
      message: 'Line 2 contains a control character.',
    });
  });

  it.each([
    ['a vertical tab', '\v'],
    ['a form feed', '\f'],
    ['a vertical tab between spaces', ' \v\t'],
    ['a form feed before a setting', '\fusername:s:u'],
  ])('a line holding %s is not blank: it is refused as a control character', (_, line) => {
    expect(refusal(`full address:s:10.0.0.4\n${line}\nusername:s:u`)).toEqual({
      kind: 'invalid',
      message: 'Line 2 contains a control character.',
    });
  });

  it.each([
    ['a line separator', '\u2028'],
    ['a no-break space', '\u00a0'],
  ])('a line holding only %s is not blank either', (_, line) => {
    expect(refusal(`full address:s:10.0.0.4\n${line}`)).toMatchObject({ kind: 'invalid' });
  });

  it('only spaces and tabs make a blank line', () => {
    expect(parseRdp('full address:s:10.0.0.4\n \t \n\t\r\nusername:s:u').values.get('username')).toBe('u');
  });

  it.each([
    ['no colons', 'garbage'],
    ['one colon', 'username:alice'],
    ['an empty name', ':s:x'],
    ['a long type', 'username:str:alice'],
  ])('refuses a line with %s as invalid', (_, line) => {
    expect(refusal(`full address:s:10.0.0.4\n${line}`)).toEqual({
      kind: 'invalid',
      message: 'Line 2 is not of the form name:type:value.',
    });
  });

  it.each([
    'alternate shell:x:cmd.exe',
    'Alternate Shell:b:00',
    'gatewayhostname:i:1',
    'password 51:z:01000000',
  ])('refuses a forbidden setting by its name whatever its type letter: %s', (line) => {
    const name = (line.split(':')[0] as string).toLowerCase();
    expect(refusal(`full address:s:10.0.0.4\n${line}`)).toEqual({
      kind: 'forbidden',
      message: `The setting "${name}" is not allowed.`,
    });
  });

  it('refuses an unknown type letter and a wrong type for a known name as invalid', () => {
    expect(refusal('full address:s:10.0.0.4\nusername:x:a')).toEqual({
      kind: 'invalid',
      message: 'Line 2 has an unknown type letter.',
    });
    expect(refusal('full address:i:10')).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/type s/),
    });
    expect(refusal('full address:s:10.0.0.4\nscreen mode id:s:2').kind).toBe('invalid');
  });

  it('keeps colons in values (IPv6, domains)', () => {
    expect(parseRdp('full address:s:[::1]:3389\nusername:s:a:b').values.get('username')).toBe('a:b');
  });
});

describe('sessionRdp', () => {
  it('a launch writes clipboard and printer redirection explicitly, off unless asked for, with the user name', () => {
    expect(sessionRdp('10.0.0.4', 3390, { username: '.\\azureuser' })).toMatch(
      /^full address:s:10\.0\.0\.4:3390\r\nusername:s:\.\\azureuser\r\nredirectclipboard:i:0\r\nredirectprinters:i:0\r\n/,
    );
    expect(sessionRdp('vm1.example.com', undefined, {})).toMatch(
      /^full address:s:vm1\.example\.com:3389\r\nredirectclipboard:i:0\r\n/,
    );
    expect(sessionRdp('h.example', 3389, { redirectclipboard: 1 })).toContain(
      'redirectclipboard:i:1\r\nredirectprinters:i:0\r\n',
    );
  });
});

describe('rdpFileBytes', () => {
  it('is UTF-16LE with a BOM, byte for byte what the host writes', () => {
    const text = 'full address:s:vm1.example.com:3389\r\nusername:s:ÄDA\\ada\r\n';
    expect(Buffer.from(rdpFileBytes(text))).toEqual(Buffer.from(`\uFEFF${text}`, 'utf16le'));
  });
});
