import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIp, formatIpv6, type HostPort, parseIpv6 } from '../../../shared/ip';
import { findAddressInText } from '../../../shared/ip-in-text';

describe('findAddressInText', () => {
  it.each<[string, HostPort]>([
    ['10.0.0.4', { host: '10.0.0.4', kind: 'ipv4' }],
    ['connect to 10.0.0.4:3390 please', { host: '10.0.0.4', kind: 'ipv4', port: 3390 }],
    ['[2001:db8::1]:3389', { host: '2001:db8::1', kind: 'ipv6', port: 3389 }],
    [
      'host vm1.westeurope.cloudapp.azure.com:50001',
      { host: 'vm1.westeurope.cloudapp.azure.com', kind: 'dns', port: 50001 },
    ],
    ['"10.0.0.4"', { host: '10.0.0.4', kind: 'ipv4' }],
    ["'10.0.0.4:3389'", { host: '10.0.0.4', kind: 'ipv4', port: 3389 }],
    ['“20.1.2.3”', { host: '20.1.2.3', kind: 'ipv4' }],
    ['«20.1.2.3»', { host: '20.1.2.3', kind: 'ipv4' }],
    ['The public IP is 20.1.2.3.', { host: '20.1.2.3', kind: 'ipv4' }],
    ['Use 20.1.2.3:3389.', { host: '20.1.2.3', kind: 'ipv4', port: 3389 }],
    ['20.1.2.3, 20.1.2.4', { host: '20.1.2.3', kind: 'ipv4' }],
    ['(20.1.2.3)', { host: '20.1.2.3', kind: 'ipv4' }],
    ['<20.1.2.3>', { host: '20.1.2.3', kind: 'ipv4' }],
    ['ip=20.1.2.3;', { host: '20.1.2.3', kind: 'ipv4' }],
    ['Public IP address: 20.1.2.3', { host: '20.1.2.3', kind: 'ipv4' }],
    ['IP:20.1.2.3', { host: '20.1.2.3', kind: 'ipv4' }],
    ['full address:s:10.0.0.4:3389', { host: '10.0.0.4', kind: 'ipv4', port: 3389 }],
    ['full address:s:[2001:db8::5]:3389', { host: '2001:db8::5', kind: 'ipv6', port: 3389 }],
    ['\t\n  10.0.0.4\r\n', { host: '10.0.0.4', kind: 'ipv4' }],
    ['rdp://10.0.0.4:3389/', { host: '10.0.0.4', kind: 'ipv4', port: 3389 }],
    ['https://[2001:db8::1]:8443/path', { host: '2001:db8::1', kind: 'ipv6', port: 8443 }],
    ['https://vm1.contoso.com/login', { host: 'vm1.contoso.com', kind: 'dns' }],
    ['ssh azureuser@vm1.contoso.com', { host: 'vm1.contoso.com', kind: 'dns' }],
    ['azureuser@10.0.0.4', { host: '10.0.0.4', kind: 'ipv4' }],
    ['2001:DB8:0:0:0:0:0:1', { host: '2001:db8::1', kind: 'ipv6' }],
    ['ping fe80::1 now', { host: 'fe80::1', kind: 'ipv6' }],
    ['(2001:db8::1)', { host: '2001:db8::1', kind: 'ipv6' }],
    ['2001:db8::1.', { host: '2001:db8::1', kind: 'ipv6' }],
    ['see ::ffff:10.0.0.1 there', { host: '::ffff:10.0.0.1', kind: 'ipv6' }],
    // A bare IPv6 address has no port: the last group belongs to the address.
    ['2001:db8::1:3389', { host: '2001:db8::1:3389', kind: 'ipv6' }],
    ['VM1.WestEurope.CloudApp.Azure.com', { host: 'vm1.westeurope.cloudapp.azure.com', kind: 'dns' }],
    ['Server: vm1.example.com: down', { host: 'vm1.example.com', kind: 'dns' }],
    ['vm1.example.com.', { host: 'vm1.example.com', kind: 'dns' }],
    ['xn--bcher-kva.example', { host: 'xn--bcher-kva.example', kind: 'dns' }],
    // The first one wins, whatever its kind.
    ['vm1.contoso.com (10.0.0.4)', { host: 'vm1.contoso.com', kind: 'dns' }],
    ['10.0.0.4 or vm1.contoso.com', { host: '10.0.0.4', kind: 'ipv4' }],
    ['[::1]:3389 or 10.0.0.4', { host: '::1', kind: 'ipv6', port: 3389 }],
    // A broken candidate is skipped whole, and the search goes on.
    ['v10.0.0.4 then 10.0.0.5', { host: '10.0.0.5', kind: 'ipv4' }],
    ['10.0.0.256 then 10.0.0.5', { host: '10.0.0.5', kind: 'ipv4' }],
    ['010.0.0.4 then 10.0.0.5', { host: '10.0.0.5', kind: 'ipv4' }],
    ['1.2.3.4.5 then 9.9.9.9', { host: '9.9.9.9', kind: 'ipv4' }],
    ['10.0.0.4:99999 then 10.0.0.5:3389', { host: '10.0.0.5', kind: 'ipv4', port: 3389 }],
    ['10.0.0.0/24 then 10.0.0.5', { host: '10.0.0.5', kind: 'ipv4' }],
    ['fe80::1%eth0 then 10.0.0.5', { host: '10.0.0.5', kind: 'ipv4' }],
    ['my_vm.example.com then x.example.org', { host: 'x.example.org', kind: 'dns' }],
    ['e.g. 10.0.0.5', { host: '10.0.0.5', kind: 'ipv4' }],
    ['version 1.2b then 10.0.0.5', { host: '10.0.0.5', kind: 'ipv4' }],
  ])('%j', (text, expected) => {
    expect(findAddressInText(text)).toEqual(expected);
  });

  it.each([
    '',
    'hello world',
    'RDP now',
    'at 10:30 or 10:30:45',
    'e.g. i.e. U.S.',
    'version 1.2.3',
    '10.0.0.256',
    '999.1.1.1',
    '1.2.3.4.5',
    '10.0.0.4:0',
    '10.0.0.4:65536',
    '10.0.0.4:03389',
    '10.0.0.0/8',
    'x10.0.0.4',
    '10.0.0.4x',
    '10.0.0.4-10.0.0.9',
    'fe80::1%eth0',
    '[fe80::1%eth0]:3389',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8:1.2.3.4',
    'MAC 00:1a:2b:3c:4d:5e',
    'std::vector',
    'a :: b',
    'my_vm.example.com',
    '-vm.example.com',
    'vm-.example.com',
    'vm1.example.com:0',
    'bücher.example',
    'vm1.example.123',
    `${'a'.repeat(64)}.example.com`,
  ])('finds nothing in %j', (text) => {
    expect(findAddressInText(text)).toBeNull();
  });

  it('stays fast on a long selection with no address', () => {
    const text = `${'a.'.repeat(50_000)}_ ${'1:'.repeat(50_000)} ${'9'.repeat(100_000)}`;
    const started = performance.now();
    expect(findAddressInText(text)).toBeNull();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('IPv6 in text: the finder and the parser agree on every RFC 4291 / RFC 5952 form', () => {
  // [text, canonical form (RFC 5952) or null when it is not an address]
  const FORMS: Array<[string, string | null]> = [
    // RFC 4291 §2.2 (1): eight groups, leading zeros optional.
    ['2001:db8:0:0:8:800:200c:417a', '2001:db8::8:800:200c:417a'],
    ['2001:0db8:0000:0000:0008:0800:200C:417A', '2001:db8::8:800:200c:417a'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    // (2): `::` for one or more zero groups, anywhere.
    ['2001:db8::8:800:200c:417a', '2001:db8::8:800:200c:417a'],
    ['ff01::101', 'ff01::101'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['fe80::', 'fe80::'],
    // `::` standing for one group, at either end or inside (RFC 5952 §4.2.2 writes the 0 instead).
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['1:2:3::5:6:7:8', '1:2:3:0:5:6:7:8'],
    ['1::3:4:5:6:7:8', '1:0:3:4:5:6:7:8'],
    ['1:2:3:4:5:6::8', '1:2:3:4:5:6:0:8'],
    // (3): an IPv4 tail.
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], // RFC 5952 §5: IPv4-mapped keeps its dotted tail
    ['0:0:0:0:0:ffff:129.144.52.38', '::ffff:129.144.52.38'],
    ['::13.1.68.3', '::d01:4403'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['1:2:3:4:5::1.2.3.4', '1:2:3:4:5:0:102:304'],
    // RFC 5952: upper case, the longest run, the first of equal runs.
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    // Not addresses.
    ['1:2:3:4:5:6:7:8:9', null],
    ['1:2:3:4:5:6:7::8', null],
    ['1::2::3', null],
    ['12345::1', null],
    ['1:2:3:4:5:6:7:1.2.3.4', null],
    ['::1.2.3.256', null],
    ['1:2:3:4:5:6:7', null],
    [':1:2:3:4:5:6:7', null],
    ['1:2:3:4:5:6:7:', null],
  ];

  it.each(FORMS)('%s', (text, canonical) => {
    const parsed = parseIpv6(text);
    expect(parsed === null ? null : formatIpv6(parsed)).toBe(canonical);
    for (const around of [text, `connect to ${text} now`, `(${text})`, `IP: ${text}.`]) {
      const found = findAddressInText(around);
      expect(found).toEqual(canonical === null ? null : { host: canonical, kind: 'ipv6' });
    }
    expect(findAddressInText(`[${text}]:3389`)).toEqual(
      canonical === null ? null : { host: canonical, kind: 'ipv6', port: 3389 },
    );
  });
});

describe('properties', () => {
  const anyIp = fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value) => ({ family: 4 as const, value })),
    fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value) => ({ family: 6 as const, value })),
  );

  it('findAddressInText finds an address with a port between ordinary words', () => {
    const word = fc.constantFrom(
      'connect',
      'to',
      'please',
      'host',
      'the',
      'RDP',
      'now:',
      '(see',
      'below)',
      '-',
    );
    const words = fc.array(word, { maxLength: 4 }).map((w) => w.join(' '));
    const port = fc.integer({ min: 1, max: 65535 });
    fc.assert(
      fc.property(words, anyIp, port, words, (before, ip, p, after) => {
        const host = formatIp(ip);
        const written = ip.family === 6 ? `[${host}]:${p}` : `${host}:${p}`;
        expect(findAddressInText(`${before} ${written} ${after}`)).toEqual({
          host,
          kind: ip.family === 4 ? 'ipv4' : 'ipv6',
          port: p,
        });
      }),
    );
  });
});
