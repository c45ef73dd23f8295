/**
 * The confirm page's target: `host` and optional `port` from its URL query, validated strictly. The page names
 * exactly what it will connect to, and a target that does not parse is never offered for a launch.
 */
import { formatHostPort, type HostKind, parseHostPort, parsePort } from '../../shared/ip';

export const DEFAULT_RDP_PORT = 3389;

export type ConfirmTarget =
  | {
      ok: true;
      /** Canonical: IPs in canonical text, IPv6 without brackets, DNS lower-case. */
      host: string;
      port: number;
      kind: HostKind;
      /** `host:port` as the page names it (IPv6 in brackets). */
      display: string;
      /**
       * The host as `ui:launch-address` carries it: IPv6 in brackets, so that joining it with the port can
       * never read as a longer IPv6 address (`2001:db8::1` + `3390` is the address `2001:db8::1:3390`).
       */
      messageHost: string;
    }
  | { ok: false; message: string };

/** The refused text as the message quotes it: printable, and short enough not to drown the sentence. */
function quote(text: string): string {
  const printable = text.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '?');
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable;
}

/** `?host=10.0.0.4&port=3390`; the host may carry its own port (`10.0.0.4:3390`, `[2001:db8::1]:3390`). */
export function parseConfirmQuery(search: string): ConfirmTarget {
  const params = new URLSearchParams(search);
  const hostText = params.get('host')?.trim() ?? '';
  const portText = params.get('port')?.trim() ?? '';
  if (hostText === '') return { ok: false, message: 'No address was given to connect to.' };
  const parsed = parseHostPort(hostText);
  if (parsed === null) {
    return {
      ok: false,
      message: `“${quote(hostText)}” is not an address RDP now can connect to: select an IP address or host name and try again.`,
    };
  }
  let port = parsed.port;
  if (portText !== '') {
    const explicit = parsePort(portText);
    if (explicit === null) return { ok: false, message: 'The port must be a number from 1 to 65535.' };
    if (port !== undefined && port !== explicit) {
      return { ok: false, message: `The address names port ${port} but the request asks for ${explicit}.` };
    }
    port = explicit;
  }
  const resolved = port ?? DEFAULT_RDP_PORT;
  return {
    ok: true,
    host: parsed.host,
    port: resolved,
    kind: parsed.kind,
    display: formatHostPort({ host: parsed.host, kind: parsed.kind, port: resolved }),
    messageHost: formatHostPort({ host: parsed.host, kind: parsed.kind }),
  };
}

/** The confirmation window's size in CSS px: room for the target, the sentence and both buttons at 200 % zoom. */
export const CONFIRM_WINDOW = { width: 520, height: 400 } as const;
