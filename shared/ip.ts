/**
 * IPv4 and IPv6 addresses, CIDR prefixes, DNS names and `host[:port]`, for the NSG evaluator, the `.rdp`
 * validator, the CLI and the context menu. Pure: no Node or browser API, so it runs on both sides.
 *
 * Addresses are bigints (IPv4 in 32 bits, IPv6 in 128), so containment is one mask-and-compare for both
 * families. Parsers are strict and return null rather than guessing; only `findAddressInText` (in
 * ./ip-in-text.ts, which validates with these parsers) is tolerant.
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** A prefix with its host bits cleared: `network` is the first address of the block. */
export interface Cidr {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefix: number;
}

export type HostKind = 'ipv4' | 'ipv6' | 'dns';

/** A host to connect to. `host` is canonical: IPs in canonical text, IPv6 unbracketed, DNS lower-case. */
export interface HostPort {
  readonly host: string;
  readonly port?: number;
  readonly kind: HostKind;
}

const IPV4_MAX = (1n << 32n) - 1n;
const IPV6_MAX = (1n << 128n) - 1n;

// Decimal only, no leading zeros: "010" is octal to inet_aton and decimal to others, so it is refused.
const DECIMAL_OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const PORT_TEXT = /^[1-9][0-9]{0,4}$/;

/** Dotted-decimal IPv4 (exactly four octets, 0–255, no leading zeros) as a 32-bit value. */
export function parseIpv4(s: string): bigint | null {
  if (s.length > 15) return null;
  const octets = s.split('.');
  if (octets.length !== 4) return null;
  let value = 0;
  for (const octet of octets) {
    if (!DECIMAL_OCTET.test(octet)) return null;
    const n = Number(octet);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return BigInt(value);
}

/** The 16-bit groups of one side of an IPv6 `::`; only the last group of the address may be an IPv4 tail. */
function parseIpv6Groups(part: string, mayEndInIpv4: boolean): number[] | null {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (mayEndInIpv4 && i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4(piece);
      if (v4 === null) return null;
      groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
    } else if (HEX_GROUP.test(piece)) {
      groups.push(Number.parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return groups;
}

/**
 * IPv6 text (RFC 4291 §2.2: `::` once at most, standing for at least one zero group; an IPv4 tail) as a
 * 128-bit value. Zone ids (`fe80::1%eth0`) are refused: they only mean something on the machine that
 * wrote them.
 */
export function parseIpv6(s: string): bigint | null {
  // 45 = eight groups written in full with an IPv4 tail ("ffff:…:ffff:255.255.255.255").
  if (s.length < 2 || s.length > 45) return null;
  const halves = s.split('::');
  let groups: number[];
  if (halves.length === 1) {
    const all = parseIpv6Groups(s, true);
    if (all === null || all.length !== 8) return null;
    groups = all;
  } else if (halves.length === 2) {
    const head = parseIpv6Groups(halves[0] ?? '', false);
    const tail = parseIpv6Groups(halves[1] ?? '', true);
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    return null;
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  return value;
}

/** Either family; IPv4 first, so "1.2.3.4" is never read as anything else. */
export function parseIp(s: string): IpAddress | null {
  const v4 = parseIpv4(s);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIpv6(s);
  if (v6 !== null) return { family: 6, value: v6 };
  return null;
}

export function formatIpv4(value: bigint): string {
  if (value < 0n || value > IPV4_MAX) throw new RangeError(`Not a 32-bit IPv4 value: ${value}`);
  const n = Number(value);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/**
 * RFC 5952 text: lower-case hex without leading zeros, the first longest run of two or more zero groups as
 * `::`, and IPv4-mapped addresses (`::ffff:0:0/96`) with a dotted tail, as §5 recommends.
 */
export function formatIpv6(value: bigint): string {
  if (value < 0n || value > IPV6_MAX) throw new RangeError(`Not a 128-bit IPv6 value: ${value}`);
  if (value >> 32n === 0xffffn) return `::ffff:${formatIpv4(value & IPV4_MAX)}`;
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1; // a single zero group is written as "0", never as "::"
  let runStart = -1;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && groups[i] === 0) {
      if (runStart === -1) runStart = i;
    } else if (runStart !== -1) {
      if (i - runStart > bestLength) {
        bestStart = runStart;
        bestLength = i - runStart;
      }
      runStart = -1;
    }
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

export function formatIp(ip: IpAddress): string {
  return ip.family === 4 ? formatIpv4(ip.value) : formatIpv6(ip.value);
}

function familyBits(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

function prefixMask(family: IpFamily, prefix: number): bigint {
  const bits = familyBits(family);
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/**
 * `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a /32 or /128). Host bits below the prefix are cleared
 * (`10.1.2.3/8` is `10.0.0.0/8`), as a router reads a prefix. A prefix with leading zeros or out of range
 * is refused.
 */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const ip = parseIp(slash === -1 ? s : s.slice(0, slash));
  if (ip === null) return null;
  const bits = familyBits(ip.family);
  let prefix = bits;
  if (slash !== -1) {
    const text = s.slice(slash + 1);
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(text)) return null;
    prefix = Number(text);
    if (prefix > bits) return null;
  }
  return { family: ip.family, network: ip.value & prefixMask(ip.family, prefix), prefix };
}

/**
 * Whether `ip` lies inside `cidr`. Text that does not parse contains and is contained in nothing, and the
 * families never match each other: `::ffff:10.0.0.1` is not in `10.0.0.0/8`, as NSGs treat them.
 */
export function cidrContains(cidr: Cidr | string, ip: IpAddress | string): boolean {
  const block = typeof cidr === 'string' ? parseCidr(cidr) : cidr;
  const address = typeof ip === 'string' ? parseIp(ip) : ip;
  if (block === null || address === null || block.family !== address.family) return false;
  return (address.value & prefixMask(block.family, block.prefix)) === block.network;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`); any other address unchanged. */
export function unmapIpv4(ip: IpAddress): IpAddress {
  return ip.family === 6 && ip.value >> 32n === 0xffffn ? { family: 4, value: ip.value & IPV4_MAX } : ip;
}

// "This network", RFC 1918 private, RFC 6598 shared (CGNAT), loopback, link-local; unspecified, loopback,
// unique local and link-local IPv6.
const NON_PUBLIC_RANGES = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];
/** Parsed on first use: bigint arithmetic at load time would cost every importer, e.g. the host's start. */
let nonPublic: readonly Cidr[] | undefined;

/**
 * Whether an address can only be reached across the Internet: it is outside every private, shared,
 * loopback, link-local and unspecified range above. An IPv4-mapped address is judged by its IPv4 address.
 */
export function isPublicIp(ip: IpAddress): boolean {
  const address = unmapIpv4(ip);
  nonPublic ??= NON_PUBLIC_RANGES.map((text) => parseCidr(text) as Cidr);
  return !nonPublic.some((cidr) => cidrContains(cidr, address));
}

const DNS_LABEL = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

/**
 * An RFC 1123 host name: labels of 1–63 letters, digits and inner hyphens, at most 253 characters, no
 * trailing dot. The last label may not be all digits (RFC 1123 §2.1), so "10.0.0.256" is not a name.
 */
export function isDnsName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  const labels = s.split('.');
  if (!labels.every((label) => DNS_LABEL.test(label))) return false;
  return !/^[0-9]+$/.test(labels[labels.length - 1] ?? '');
}

/** A TCP/UDP port written in decimal, 1–65535, no leading zeros. */
export function parsePort(s: string): number | null {
  if (!PORT_TEXT.test(s)) return null;
  const port = Number(s);
  return port <= 65535 ? port : null;
}

/** Classifies a host without brackets or port; null when it is neither an address nor an RFC 1123 name. */
function parseHost(s: string): HostPort | null {
  const v4 = parseIpv4(s);
  if (v4 !== null) return { host: formatIpv4(v4), kind: 'ipv4' };
  const v6 = parseIpv6(s);
  if (v6 !== null) return { host: formatIpv6(v6), kind: 'ipv6' };
  if (isDnsName(s)) return { host: s.toLowerCase(), kind: 'dns' };
  return null;
}

/**
 * A strict `host[:port]`, as in an `.rdp` `full address` or a CLI target: `10.0.0.4`, `10.0.0.4:3390`,
 * `[2001:db8::1]:3389`, `vm1.example.com:50001`, or a bare IPv6 address (without a port: its colons would
 * make one ambiguous).
 */
export function parseHostPort(s: string): HostPort | null {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    const v6 = close === -1 ? null : parseIpv6(s.slice(1, close));
    if (v6 === null) return null;
    const rest = s.slice(close + 1);
    if (rest === '') return { host: formatIpv6(v6), kind: 'ipv6' };
    const port = rest.startsWith(':') ? parsePort(rest.slice(1)) : null;
    return port === null ? null : { host: formatIpv6(v6), kind: 'ipv6', port };
  }
  const colon = s.indexOf(':');
  if (colon === -1) return parseHost(s);
  if (s.indexOf(':', colon + 1) !== -1) {
    const v6 = parseIpv6(s);
    return v6 === null ? null : { host: formatIpv6(v6), kind: 'ipv6' };
  }
  const host = parseHost(s.slice(0, colon));
  const port = parsePort(s.slice(colon + 1));
  if (host === null || host.kind === 'ipv6' || port === null) return null;
  return { ...host, port };
}

/** `host:port`, with IPv6 in brackets so the port stays unambiguous; the port is left out when absent. */
export function formatHostPort(hp: HostPort): string {
  const host = hp.kind === 'ipv6' ? `[${hp.host}]` : hp.host;
  return hp.port === undefined ? host : `${host}:${hp.port}`;
}
