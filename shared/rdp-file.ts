/**
 * `.rdp` content: parse, validate against the allowlist of docs/PROTOCOL.md §3, and write the canonical form.
 * Pure: used by the host (the security boundary) and by the extension and CLI to build content.
 */
import { type HostPort, parseHostPort } from './ip';

export type RdpErrorKind = 'invalid' | 'forbidden';

export class RdpError extends Error {
  constructor(
    readonly kind: RdpErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RdpError';
  }
}

type Rule =
  | { readonly type: 'i'; readonly allowed: (n: number) => boolean; readonly describe: string }
  | { readonly type: 's'; readonly allowed: (s: string) => boolean; readonly describe: string };

const oneOf =
  (...values: number[]) =>
  (n: number): boolean =>
    values.includes(n);
const between =
  (min: number, max: number) =>
  (n: number): boolean =>
    n >= min && n <= max;
const flag: Rule = { type: 'i', allowed: oneOf(0, 1), describe: '0 or 1' };
const offInt: Rule = { type: 'i', allowed: oneOf(0), describe: '0 (off)' };
const offString: Rule = { type: 's', allowed: (s) => s === '', describe: 'empty (off)' };
const text256: Rule = {
  type: 's',
  allowed: (s) => s.length <= 256 && isPrintable(s),
  describe: 'at most 256 printable characters',
};

/** The allowlist, in canonical order. `full address` and `server port` are handled apart (they form the target). */
const SETTINGS: ReadonlyArray<readonly [string, Rule]> = [
  ['username', text256],
  ['domain', text256],
  ['prompt for credentials', flag],
  ['use multimon', flag],
  ['dynamic resolution', flag],
  ['smart sizing', flag],
  ['enablerdsaadauth', flag],
  ['redirectclipboard', flag],
  ['redirectprinters', flag],
  ['screen mode id', { type: 'i', allowed: oneOf(1, 2), describe: '1 (window) or 2 (full screen)' }],
  ['desktopwidth', { type: 'i', allowed: between(200, 8192), describe: '200 to 8192' }],
  ['desktopheight', { type: 'i', allowed: between(200, 8192), describe: '200 to 8192' }],
  ['audiomode', { type: 'i', allowed: oneOf(0, 1, 2), describe: '0, 1 or 2' }],
  ['authentication level', { type: 'i', allowed: oneOf(1, 2), describe: '1 or 2' }],
  ['enablecredsspsupport', flag],
  ['drivestoredirect', offString],
  ['redirectsmartcards', offInt],
  ['redirectcomports', offInt],
  ['redirectwebauthn', offInt],
  ['redirectlocation', offInt],
  ['camerastoredirect', offString],
  ['devicestoredirect', offString],
  ['usbdevicestoredirect', offString],
  ['audiocapturemode', offInt],
];
const RULES = new Map(SETTINGS);

export const MAX_LINES = 64;
export const MAX_LINE_LENGTH = 2048;
export const DEFAULT_RDP_PORT = 3389;

export interface RdpTarget {
  /** IPv4 address, IPv6 address without brackets, or DNS name. */
  readonly host: string;
  readonly port: number;
}

export interface RdpSettings {
  readonly target: RdpTarget;
  /** Every other setting by its lower-case name, in canonical order, off-only settings filled in. */
  readonly values: ReadonlyMap<string, string | number>;
}

// Cc, Cf and the line/paragraph separators are what "printable" excludes (docs/PROTOCOL.md §3).
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const CONTROL = /\p{Cc}/u;
/** Only spaces and tabs: any other whitespace (\v, \f, U+2028…) makes a line that is judged, and refused. */
const BLANK = /^[ \t]*$/;

export function isPrintable(s: string): boolean {
  return !NOT_PRINTABLE.test(s);
}

/** Parses untrusted `.rdp` text; throws RdpError naming the line or setting refused. Values are never echoed. */
export function parseRdp(text: string): RdpSettings {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = body.split('\n').map((raw) => (raw.endsWith('\r') ? raw.slice(0, -1) : raw));
  // Counted first, so an oversized file is refused as a whole, before any of its lines is judged.
  if (lines.filter((l) => !BLANK.test(l)).length > MAX_LINES) {
    throw new RdpError('forbidden', `More than ${MAX_LINES} settings were given.`);
  }
  const seen = new Map<string, { type: string; value: string; line: number }>();
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    if (BLANK.test(line)) continue;
    if (line.length > MAX_LINE_LENGTH) {
      throw new RdpError('forbidden', `Line ${lineNo} is longer than ${MAX_LINE_LENGTH} characters.`);
    }
    if (CONTROL.test(line)) throw new RdpError('invalid', `Line ${lineNo} contains a control character.`);
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (first <= 0 || second !== first + 2) {
      throw new RdpError('invalid', `Line ${lineNo} is not of the form name:type:value.`);
    }
    const name = line.slice(0, first).toLowerCase();
    const type = line.slice(first + 1, second);
    const value = line.slice(second + 1);
    // The name first: a refused setting is refused whatever type letter it comes with.
    const expected = name === 'full address' ? 's' : name === 'server port' ? 'i' : RULES.get(name)?.type;
    if (expected === undefined) {
      throw new RdpError('forbidden', `The setting "${shorten(name)}" is not allowed.`);
    }
    if (!'sib'.includes(type)) throw new RdpError('invalid', `Line ${lineNo} has an unknown type letter.`);
    if (type !== expected) {
      throw new RdpError('invalid', `Line ${lineNo}: "${name}" must have type ${expected}, not ${type}.`);
    }
    if (seen.has(name)) throw new RdpError('forbidden', `The setting "${name}" is given twice.`);
    seen.set(name, { type, value, line: lineNo });
  }

  const address = seen.get('full address');
  if (!address) throw new RdpError('invalid', 'The required setting "full address" is missing.');
  const target = parseFullAddress(address.value);
  const serverPort = seen.get('server port');
  let port = target.port;
  if (serverPort) {
    const p = parseInteger(serverPort.value);
    if (p === null || p < 1 || p > 65535) {
      throw new RdpError('forbidden', 'The value of "server port" must be 1 to 65535.');
    }
    if (target.port !== undefined && target.port !== p) {
      throw new RdpError('forbidden', 'The "server port" disagrees with the port in "full address".');
    }
    port = p;
  }

  const values = new Map<string, string | number>();
  for (const [name, rule] of SETTINGS) {
    const given = seen.get(name);
    if (!given) {
      if (rule === offInt) values.set(name, 0);
      else if (rule === offString) values.set(name, '');
      continue;
    }
    if (rule.type === 'i') {
      const n = parseInteger(given.value);
      if (n === null || !rule.allowed(n)) {
        throw new RdpError('forbidden', `The value of "${name}" must be ${rule.describe}.`);
      }
      values.set(name, n);
    } else {
      if (!rule.allowed(given.value)) {
        throw new RdpError('forbidden', `The value of "${name}" must be ${rule.describe}.`);
      }
      values.set(name, given.value);
    }
  }
  return { target: { host: target.host, port: port ?? DEFAULT_RDP_PORT }, values };
}

/** The canonical text: one line per setting in table order, each ending in CRLF. */
export function serializeRdp(settings: RdpSettings): string {
  const lines = [`full address:s:${formatAddress(settings.target)}`];
  for (const [name, rule] of SETTINGS) {
    const value = settings.values.get(name);
    if (value !== undefined) lines.push(`${name}:${rule.type}:${value}`);
  }
  return lines.map((line) => `${line}\r\n`).join('');
}

/** Parses and re-serializes: the only form of `.rdp` content the host ever hands to a client. */
export function canonicalizeRdp(text: string): { settings: RdpSettings; text: string } {
  const settings = parseRdp(text);
  return { settings, text: serializeRdp(settings) };
}

export interface RdpOptions {
  readonly host: string;
  readonly port?: number;
  /** Settings by their `.rdp` name (e.g. `username`, `screen mode id`); validated like any other input. */
  readonly settings?: Readonly<Record<string, string | number>>;
}

/** Builds `.rdp` content for a target; the result is validated by parsing it, so it is always acceptable. */
export function buildRdp(options: RdpOptions): string {
  const lines = [
    `full address:s:${formatAddress({ host: options.host, port: options.port ?? DEFAULT_RDP_PORT })}`,
  ];
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    const rule = RULES.get(name.toLowerCase());
    if (!rule) throw new RdpError('forbidden', `The setting "${shorten(name)}" is not allowed.`);
    lines.push(`${name.toLowerCase()}:${rule.type}:${value}`);
  }
  return canonicalizeRdp(lines.join('\r\n')).text;
}

/**
 * What RDP now launches, from the extension or the command line: the given settings, with clipboard and printer
 * redirection always written (off unless asked for), since clients' own defaults differ (mstsc redirects both).
 */
export function sessionRdp(
  host: string,
  port: number | undefined,
  settings: Readonly<Record<string, string | number>>,
): string {
  return buildRdp({
    host,
    ...(port !== undefined && { port }),
    settings: { redirectclipboard: 0, redirectprinters: 0, ...settings },
  });
}

export function formatAddress(target: RdpTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}

function parseFullAddress(value: string): HostPort {
  const target = parseHostPort(value);
  // An unbracketed IPv6 address is refused: clients disagree on where its port would start.
  if (!target || (target.kind === 'ipv6' && !value.startsWith('['))) {
    throw new RdpError(
      'forbidden',
      'The "full address" must be an IPv4 address, a bracketed IPv6 address or a DNS name, with an optional port 1 to 65535.',
    );
  }
  return target;
}

function parseInteger(value: string): number | null {
  return /^\d{1,10}$/.test(value) ? Number(value) : null;
}

function shorten(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

/**
 * A `.rdp` file's bytes: UTF-16LE with a BOM, what mstsc writes and what FreeRDP and Remmina detect. The host
 * writes its files so, and the extension's download (when no host is installed) is the same file.
 */
export function rdpFileBytes(canonical: string): Uint8Array<ArrayBuffer> {
  const text = `\uFEFF${canonical}`;
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    bytes[2 * i] = unit & 0xff;
    bytes[2 * i + 1] = unit >> 8;
  }
  return bytes;
}
