import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Cidr,
  cidrContains,
  formatHostPort,
  formatIp,
  formatIpv4,
  formatIpv6,
  type HostPort,
  isDnsName,
  isPublicIp,
  parseCidr,
  parseHostPort,
  parseIp,
  parseIpv4,
  parseIpv6,
  parsePort,
  unmapIpv4,
} from '../../../shared/ip';

describe('parseIpv4', () => {
  it.each([
    ['0.0.0.0', 0n],
    ['255.255.255.255', 0xffffffffn],
    ['10.0.0.4', 0x0a000004n],
    ['192.168.1.254', 0xc0a801fen],
    ['1.2.3.4', 0x01020304n],
    ['100.64.0.0', 0x64400000n],
  ])('parses %s', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
  });

  it.each([
    ['', 'empty'],
    ['1.2.3', 'three octets'],
    ['1.2.3.4.5', 'five octets'],
    ['256.0.0.1', 'octet out of range'],
    ['1.2.3.999', 'octet out of range at the end'],
    ['01.2.3.4', 'leading zero (octal to inet_aton)'],
    ['1.2.3.04', 'leading zero in the last octet'],
    ['00.0.0.0', 'double zero'],
    ['1.2.3.', 'empty last octet'],
    ['.1.2.3', 'empty first octet'],
    ['1..2.3', 'empty middle octet'],
    ['1.2.3.4 ', 'trailing space'],
    [' 1.2.3.4', 'leading space'],
    ['1.2.3.-4', 'negative'],
    ['1.2.3.+4', 'plus sign'],
    ['0x1.2.3.4', 'hex octet'],
    ['1.2.3.4e0', 'exponent'],
    ['16909060', 'a single number'],
    ['1.2.3.٤', 'a non-ASCII digit'],
    ['1.2.3.4/32', 'a CIDR'],
    ['a.b.c.d', 'letters'],
  ])('refuses %j (%s)', (text) => {
    expect(parseIpv4(text)).toBeNull();
  });
});

describe('parseIpv6', () => {
  it.each([
    ['::', 0n],
    ['::1', 1n],
    ['1::', 1n << 112n],
    ['2001:db8::1', 0x20010db8000000000000000000000001n],
    ['2001:DB8::1', 0x20010db8000000000000000000000001n],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 0x20010db8000000000000000000000001n],
    ['2001:db8:0:0:1:0:0:1', 0x20010db8000000000001000000000001n],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', (1n << 128n) - 1n],
    ['1:2:3:4:5:6:7::', 0x00010002000300040005000600070000n],
    ['::2:3:4:5:6:7:8', 0x00000002000300040005000600070008n],
    ['::ffff:10.0.0.1', 0xffff0a000001n],
    ['::FFFF:10.0.0.1', 0xffff0a000001n],
    ['64:ff9b::192.0.2.33', 0x0064ff9b0000000000000000c0000221n],
    ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n],
    ['fe80::1', 0xfe800000000000000000000000000001n],
  ])('parses %s', (text, value) => {
    expect(parseIpv6(text)).toBe(value);
  });

  it.each([
    ['', 'empty'],
    [':', 'a lone colon'],
    [':::', 'three colons'],
    ['1::2::3', 'two compressions'],
    ['1:2:3:4:5:6:7', 'seven groups'],
    ['1:2:3:4:5:6:7:8:9', 'nine groups'],
    ['1:2:3:4:5:6:7::8', 'compression with eight groups'],
    ['::1:2:3:4:5:6:7:8', 'leading compression with eight groups'],
    ['12345::', 'five hex digits'],
    ['g::1', 'not hex'],
    [':1::2', 'leading single colon'],
    ['1::2:', 'trailing single colon'],
    ['fe80::1%eth0', 'zone id'],
    ['fe80::1%25eth0', 'URL-encoded zone id'],
    ['[::1]', 'brackets'],
    ['::1 ', 'trailing space'],
    ['1.2.3.4::', 'IPv4 before the compression'],
    ['::1.2.3.4:5', 'IPv4 not last'],
    ['::256.0.0.1', 'IPv4 tail out of range'],
    ['::01.2.3.4', 'IPv4 tail with a leading zero'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'IPv4 tail making nine groups'],
    ['1:2:3:4:5:1.2.3.4', 'IPv4 tail making seven groups'],
    ['10.0.0.1', 'plain IPv4'],
    ['::-1', 'a sign'],
  ])('refuses %j (%s)', (text) => {
    expect(parseIpv6(text)).toBeNull();
  });
});

describe('parseIp', () => {
  it.each([
    ['10.0.0.4', 4, '10.0.0.4'],
    ['2001:DB8:0:0::1', 6, '2001:db8::1'],
    ['::ffff:10.0.0.1', 6, '::ffff:10.0.0.1'],
    ['0:0:0:0:0:ffff:a00:1', 6, '::ffff:10.0.0.1'],
  ] as const)('%s is IPv%d, canonically %s', (text, family, canonical) => {
    const ip = parseIp(text);
    expect(ip?.family).toBe(family);
    expect(ip && formatIp(ip)).toBe(canonical);
  });

  it.each(['', 'localhost', 'vm1.example.com', '1.2.3', '::1%lo', '10.0.0.0/8'])(
    '%j is no address',
    (text) => {
      expect(parseIp(text)).toBeNull();
    },
  );
});

describe('formatIpv6 (RFC 5952)', () => {
  it.each([
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // one zero group stays "0"
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // equal runs: the first is compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run wins
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['0:0:1:0:0:0:0:0', '0:0:1::'],
    ['fe80:0:0:0:0:0:0:1', 'fe80::1'],
    ['::ffff:c000:0201', '::ffff:192.0.2.1'], // IPv4-mapped: dotted tail (§5)
    ['::c000:201', '::c000:201'], // IPv4-compatible (deprecated) is not mapped: plain hex
    ['64:ff9b::c000:221', '64:ff9b::c000:221'],
    ['abcd:ef01:2345:6789:abcd:ef01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
  ])('%s → %s', (text, expected) => {
    const value = parseIpv6(text);
    expect(value).not.toBeNull();
    expect(formatIpv6(value ?? -1n)).toBe(expected);
  });

  it('refuses values outside the family', () => {
    expect(() => formatIpv6(-1n)).toThrow(RangeError);
    expect(() => formatIpv6(1n << 128n)).toThrow(RangeError);
    expect(() => formatIpv4(1n << 32n)).toThrow(RangeError);
    expect(() => formatIpv4(-1n)).toThrow(RangeError);
  });

  it('formatIp dispatches on the family', () => {
    expect(formatIp({ family: 4, value: 0x0a000004n })).toBe('10.0.0.4');
    expect(formatIp({ family: 6, value: 0x0a000004n })).toBe('::a00:4');
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', 4, 0x0a000000n, 8, '10.0.0.0/8'],
    ['10.1.2.3/8', 4, 0x0a000000n, 8, '10.0.0.0/8'], // host bits cleared
    ['0.0.0.0/0', 4, 0n, 0, '0.0.0.0/0'],
    ['203.0.113.7', 4, 0xcb007107n, 32, '203.0.113.7/32'],
    ['203.0.113.7/32', 4, 0xcb007107n, 32, '203.0.113.7/32'],
    ['192.168.1.128/25', 4, 0xc0a80180n, 25, '192.168.1.128/25'],
    ['2001:db8::/32', 6, 0x20010db8n << 96n, 32, '2001:db8::/32'],
    ['2001:DB8:1::5/48', 6, 0x20010db80001n << 80n, 48, '2001:db8:1::/48'],
    ['::/0', 6, 0n, 0, '::/0'],
    ['::1', 6, 1n, 128, '::1/128'],
    ['fe80::1/64', 6, 0xfe80n << 112n, 64, 'fe80::/64'],
  ] as const)('%s', (text, family, network, prefix, formatted) => {
    const cidr = parseCidr(text);
    expect(cidr).toEqual({ family, network, prefix });
    // The network, written canonically, with its prefix.
    expect(cidr && `${formatIp({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`).toBe(
      formatted,
    );
  });

  it.each([
    '',
    '/8',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/08',
    '10.0.0.0/-1',
    '10.0.0.0/8/9',
    '10.0.0.0/ 8',
    '10.0.0/8',
    '2001:db8::/129',
    '2001:db8::/0x20',
    'fe80::1%eth0/64',
    '*',
    'Internet',
    'VirtualNetwork',
  ])('refuses %j', (text) => {
    expect(parseCidr(text)).toBeNull();
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '10.0.0.0', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['0.0.0.0/0', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.8', false],
    ['192.168.1.128/25', '192.168.1.127', false],
    ['192.168.1.128/25', '192.168.1.200', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::/0', '2001:db8::1', true],
    ['::1', '::1', true],
    // Families never match each other, not even through IPv4-mapped addresses or /0.
    ['0.0.0.0/0', '::1', false],
    ['::/0', '10.0.0.1', false],
    ['10.0.0.0/8', '::ffff:10.0.0.1', false],
    ['::ffff:0:0/96', '10.0.0.1', false],
    // Text that does not parse contains nothing and is in nothing.
    ['10.0.0.0/33', '10.0.0.1', false],
    ['10.0.0.0/8', '10.0.0.256', false],
    ['*', '10.0.0.1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(cidr, ip)).toBe(expected);
  });

  it('takes parsed values as well as text', () => {
    const cidr = parseCidr('172.16.0.0/12');
    const ip = parseIp('172.31.255.1');
    expect(cidr && ip && cidrContains(cidr, ip)).toBe(true);
    expect(cidr && cidrContains(cidr, '172.32.0.0')).toBe(false);
  });
});

describe('unmapIpv4 and isPublicIp', () => {
  const ip = (text: string) => parseIp(text) ?? expect.fail(`${text} does not parse`);

  it('unmapIpv4 turns only ::ffff:0:0/96 into IPv4', () => {
    expect(unmapIpv4(ip('::ffff:203.0.113.7'))).toEqual({ family: 4, value: 0xcb007107n });
    expect(unmapIpv4(ip('::ffff:0.0.0.0'))).toEqual({ family: 4, value: 0n });
    expect(unmapIpv4(ip('203.0.113.7'))).toEqual(ip('203.0.113.7'));
    expect(unmapIpv4(ip('::203.0.113.7'))).toEqual(ip('::203.0.113.7')); // IPv4-compatible, not mapped
    expect(unmapIpv4(ip('::fffe:203.0.113.7'))).toEqual(ip('::fffe:203.0.113.7'));
    expect(unmapIpv4(ip('1::ffff:203.0.113.7'))).toEqual(ip('1::ffff:203.0.113.7'));
  });

  it.each([
    ['203.0.113.7', true],
    ['8.8.8.8', true],
    ['0.255.255.255', false],
    ['1.0.0.0', true],
    ['9.255.255.255', true],
    ['10.0.0.0', false],
    ['10.255.255.255', false],
    ['11.0.0.0', true],
    ['100.63.255.255', true],
    ['100.64.0.0', false],
    ['100.127.255.255', false],
    ['100.128.0.0', true],
    ['127.0.0.1', false],
    ['169.254.169.254', false],
    ['169.255.0.0', true],
    ['172.15.255.255', true],
    ['172.16.0.0', false],
    ['172.31.255.255', false],
    ['172.32.0.0', true],
    ['192.168.1.1', false],
    ['192.169.0.0', true],
    ['168.63.129.16', true],
    ['::', false],
    ['::1', false],
    ['::2', true],
    ['2001:db8::1', true],
    ['fbff:ffff::', true],
    ['fc00::1', false],
    ['fdff:ffff::1', false],
    ['fe00::', true],
    ['fe80::1', false],
    ['febf:ffff::', false],
    ['fec0::', true],
    ['::ffff:10.0.0.1', false], // judged by its IPv4 address
    ['::ffff:203.0.113.7', true],
  ])('isPublicIp(%s) is %s', (text, expected) => {
    expect(isPublicIp(ip(text))).toBe(expected);
  });
});

describe('isDnsName', () => {
  it.each([
    'localhost',
    'vm1',
    'vm1.westeurope.cloudapp.azure.com',
    'VM1.Example.COM',
    'a-b.c-d.example',
    '1password.com',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.example.com`,
    [...Array(4)]
      .map(() => 'a'.repeat(63))
      .join('.')
      .slice(0, 253),
  ])('accepts %s', (name) => {
    expect(isDnsName(name)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['-vm.example.com', 'label starting with a hyphen'],
    ['vm-.example.com', 'label ending with a hyphen'],
    ['vm..example.com', 'empty label'],
    ['.example.com', 'leading dot'],
    ['example.com.', 'trailing dot'],
    ['my_vm.example.com', 'underscore'],
    ['vm 1.example.com', 'space'],
    ['bücher.example', 'non-ASCII'],
    [`${'a'.repeat(64)}.example.com`, 'label of 64 characters'],
    [
      [...Array(4)]
        .map(() => 'a'.repeat(63))
        .join('.')
        .slice(0, 254),
      'name of 254 characters',
    ],
    ['10.0.0.256', 'dotted decimal'],
    ['3389', 'all digits'],
    ['example.123', 'numeric last label'],
  ])('refuses %j (%s)', (name) => {
    expect(isDnsName(name)).toBe(false);
  });
});

describe('parsePort', () => {
  it.each([
    ['1', 1],
    ['3389', 3389],
    ['65535', 65535],
    ['0', null],
    ['65536', null],
    ['03389', null],
    ['', null],
    ['33 89', null],
    ['-1', null],
    ['3389.0', null],
    ['١٢', null],
  ])('%j → %s', (text, port) => {
    expect(parsePort(text)).toBe(port);
  });
});

describe('parseHostPort and formatHostPort', () => {
  it.each<[string, HostPort, string]>([
    ['10.0.0.4', { host: '10.0.0.4', kind: 'ipv4' }, '10.0.0.4'],
    ['10.0.0.4:3390', { host: '10.0.0.4', kind: 'ipv4', port: 3390 }, '10.0.0.4:3390'],
    ['[2001:db8::1]:3389', { host: '2001:db8::1', kind: 'ipv6', port: 3389 }, '[2001:db8::1]:3389'],
    ['[2001:DB8:0::1]', { host: '2001:db8::1', kind: 'ipv6' }, '[2001:db8::1]'],
    ['2001:db8::1', { host: '2001:db8::1', kind: 'ipv6' }, '[2001:db8::1]'],
    [
      'VM1.westeurope.cloudapp.azure.com:50001',
      { host: 'vm1.westeurope.cloudapp.azure.com', kind: 'dns', port: 50001 },
      'vm1.westeurope.cloudapp.azure.com:50001',
    ],
    ['myvm', { host: 'myvm', kind: 'dns' }, 'myvm'],
    ['myvm:1', { host: 'myvm', kind: 'dns', port: 1 }, 'myvm:1'],
  ])('%s', (text, expected, formatted) => {
    const parsed = parseHostPort(text);
    expect(parsed).toEqual(expected);
    expect(parsed && formatHostPort(parsed)).toBe(formatted);
  });

  it.each([
    '',
    ':3389',
    '10.0.0.4:',
    '10.0.0.4:0',
    '10.0.0.4:65536',
    '10.0.0.4:3389:1',
    '10.0.0.256',
    '[10.0.0.4]:3389',
    '[2001:db8::1',
    '[2001:db8::1]3389',
    '[2001:db8::1]:',
    '[fe80::1%eth0]:3389',
    '2001:db8::zz',
    'my_vm:3389',
    'vm1.example.com.',
    ' 10.0.0.4',
    'http://10.0.0.4',
  ])('refuses %j', (text) => {
    expect(parseHostPort(text)).toBeNull();
  });
});

describe('properties', () => {
  const v4Value = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
  const v6Value = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
  const anyIp = fc.oneof(
    v4Value.map((value) => ({ family: 4 as const, value })),
    v6Value.map((value) => ({ family: 6 as const, value })),
  );

  it('format then parse gives the same address, for both families', () => {
    fc.assert(
      fc.property(anyIp, (ip) => {
        expect(parseIp(formatIp(ip))).toEqual(ip);
      }),
    );
  });

  it('parses what Node parses, and formats IPv6 as the WHATWG URL parser does (except IPv4-mapped)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const ip = parseIp(text);
        expect(ip?.family).toBe(isIP(text));
        if (ip?.family === 6 && ip.value >> 32n !== 0xffffn) {
          expect(formatIp(ip)).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
        }
      }),
    );
  });

  it('refuses what Node refuses, on near-miss text', () => {
    const nearMiss = fc
      .array(fc.constantFrom('0', '1', '9', '00', '255', '256', 'ff', 'FFFF', 'g', '.', ':', '::', ''), {
        maxLength: 12,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(nearMiss, (text) => {
        expect(parseIp(text)?.family ?? 0).toBe(isIP(text));
      }),
    );
  });

  it('cidrContains agrees with comparing the leading bits as text', () => {
    const case4 = fc.record({
      bits: fc.constant(32),
      family: fc.constant(4 as const),
      net: v4Value,
      ip: v4Value,
      prefix: fc.integer({ min: 0, max: 32 }),
    });
    const case6 = fc.record({
      bits: fc.constant(128),
      family: fc.constant(6 as const),
      net: v6Value,
      ip: v6Value,
      prefix: fc.integer({ min: 0, max: 128 }),
    });
    // Half the time, copy the network's leading bits into the address so that hits are common too.
    const withNear = fc.tuple(fc.oneof(case4, case6), fc.boolean()).map(([c, near]) => {
      if (!near) return c;
      const low = (1n << BigInt(c.bits - c.prefix)) - 1n;
      return { ...c, ip: (c.net & ~low) | (c.ip & low) };
    });
    fc.assert(
      fc.property(withNear, ({ bits, family, net, ip, prefix }) => {
        const leading = (v: bigint) => v.toString(2).padStart(bits, '0').slice(0, prefix);
        const text = `${formatIp({ family, value: net })}/${prefix}`;
        const cidr = parseCidr(text) as Cidr;
        expect(cidr.prefix).toBe(prefix);
        expect(cidrContains(cidr, { family, value: ip })).toBe(leading(net) === leading(ip));
        expect(cidrContains(text, formatIp({ family, value: ip }))).toBe(leading(net) === leading(ip));
        // The other family is never inside.
        expect(cidrContains(cidr, { family: family === 4 ? 6 : 4, value: ip })).toBe(false);
      }),
    );
  });
});
