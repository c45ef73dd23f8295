/**
 * Finding an address in free text such as a selection (the context menu's "Connect to …"). Pure: no Node or
 * browser API.
 */
import {
  formatIpv4,
  formatIpv6,
  type HostKind,
  type HostPort,
  isDnsName,
  parseIpv4,
  parseIpv6,
  parsePort,
} from './ip';

// Candidates are found with regular expressions whose look-arounds demand a clean boundary on both sides, so
// an address glued to other word characters ("v10.0.0.4", "my_vm.example.com", "fe80::1%eth0") is refused
// whole instead of a piece of it being taken. Each candidate is then validated by the strict parsers of
// ./ip.ts.

/** Characters that make a neighbouring address part of a longer word (any script). */
const WORD = String.raw`\p{L}\p{N}\p{M}_`;
/** After a candidate: no word character, `%` or `-`, nor a `.` or `:` running into one (else punctuation). */
const END = `(?![${WORD}%-]|[.:][${WORD}%-])`;
/** An address followed by `/digits` is a CIDR block, not something to connect to. */
const END_IP = `${END}(?!/[0-9])`;
/** Before an IPv4 or DNS candidate; a lone `:` is fine ("full address:s:10.0.0.4"), an IPv6 head is not. */
const START = `(?<![${WORD}%.-])(?<!:[0-9A-Fa-f]{0,4}:)`;
const PORT = `(?::([0-9]+))?`;

const BRACKETED_IPV6_IN_TEXT = () => new RegExp(String.raw`\[([0-9A-Fa-f:.]+)\]${PORT}${END}`, 'gu');
const IPV4_TAIL = String.raw`[0-9]{1,3}(?:\.[0-9]{1,3}){3}`;
/**
 * Every shape of RFC 4291 §2.2 text, loosely: up to eight colons (`1:2:3:4:5:6:7::` and `::2:3:4:5:6:7:8`
 * have eight), an optional last group or IPv4 tail. Whether it is an address is parseIpv6's decision alone.
 */
const BARE_IPV6_IN_TEXT = () =>
  new RegExp(
    `(?<![${WORD}%.:-])((?:[0-9A-Fa-f]{0,4}:){2,8}(?:[0-9A-Fa-f]{1,4}|${IPV4_TAIL})?)${END_IP}`,
    'gu',
  );
const IPV4_IN_TEXT = () =>
  new RegExp(String.raw`${START}([0-9]+(?:\.[0-9]+){3})(?::([0-9]+)${END}|${END_IP})`, 'gu');
const DNS_IN_TEXT = () =>
  new RegExp(String.raw`${START}([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)${PORT}${END}`, 'gu');

function hostPort(host: string, kind: HostKind, port: number | null): HostPort {
  return port === null ? { host, kind } : { host, kind, port };
}

/** A port written after a candidate must be valid: an invalid one refuses the whole candidate. */
function withPort(host: HostPort | null, portText: string | undefined): HostPort | null {
  if (host === null) return null;
  if (portText === undefined) return host;
  const port = parsePort(portText);
  return port === null ? null : hostPort(host.host, host.kind, port);
}

/**
 * A host name in prose needs a dot and a top-level label of letters (or an IDNA `xn--` label) of two
 * characters or more, so words, version numbers and abbreviations such as "e.g." are not taken as hosts.
 */
function isDnsNameInText(s: string): boolean {
  const tld = s.slice(s.lastIndexOf('.') + 1);
  return isDnsName(s) && (/^[A-Za-z]{2,63}$/.test(tld) || /^xn--[A-Za-z0-9-]+$/i.test(tld));
}

type Finder = (match: RegExpMatchArray) => HostPort | null;

/**
 * The patterns are built on first use: Unicode property classes make them costly to construct, and a
 * background that is never asked to search a selection should not pay for them.
 */
let finders: ReadonlyArray<readonly [RegExp, Finder]> | undefined;

const makeFinders = (): ReadonlyArray<readonly [RegExp, Finder]> => [
  [
    BRACKETED_IPV6_IN_TEXT(),
    (m) => {
      const v6 = parseIpv6(m[1] ?? '');
      return withPort(v6 === null ? null : { host: formatIpv6(v6), kind: 'ipv6' }, m[2]);
    },
  ],
  [
    BARE_IPV6_IN_TEXT(),
    (m) => {
      const text = m[1] ?? '';
      const v6 = /[0-9A-Fa-f]/.test(text) ? parseIpv6(text) : null; // a lone "::" in prose is punctuation
      return v6 === null ? null : { host: formatIpv6(v6), kind: 'ipv6' };
    },
  ],
  [
    IPV4_IN_TEXT(),
    (m) => {
      const v4 = parseIpv4(m[1] ?? '');
      return withPort(v4 === null ? null : { host: formatIpv4(v4), kind: 'ipv4' }, m[2]);
    },
  ],
  [
    DNS_IN_TEXT(),
    (m) => {
      const name = m[1] ?? '';
      return withPort(isDnsNameInText(name) ? { host: name.toLowerCase(), kind: 'dns' } : null, m[2]);
    },
  ],
];

/**
 * The first `address[:port]` in free text such as a selection: "connect to 10.0.0.4:3390 please",
 * "[2001:db8::1]:3389", "host vm1.westeurope.cloudapp.azure.com:50001", with quotes or punctuation around it.
 * When two kinds start at the same place the earlier finder wins (bracketed IPv6, IPv6, IPv4, DNS).
 * Bare IPv6 never takes a port: "2001:db8::1:3389" is itself an address.
 */
export function findAddressInText(text: string): HostPort | null {
  let best: { index: number; found: HostPort } | null = null;
  finders ??= makeFinders();
  for (const [pattern, finder] of finders) {
    for (const match of text.matchAll(pattern)) {
      const index = match.index ?? 0;
      if (best !== null && index >= best.index) break;
      const found = finder(match);
      if (found !== null) {
        best = { index, found };
        break;
      }
    }
  }
  return best?.found ?? null;
}
