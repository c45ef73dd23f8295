/**
 * Which companion host each request needs, in one table (docs/PROTOCOL.md §2.4): the extension compares the
 * version its host reports in `hello` with the entry of each request it sends, and says to update a host that is
 * older instead of sending what it would not understand. A request whose fields change raises its entry to the
 * release that understands them; the host refuses nothing an older extension sends (unknown fields are ignored).
 */
import type { HostRequestType } from './protocol';

export const MIN_HOST_VERSION: Readonly<Record<HostRequestType, string>> = {
  hello: '0.1.0',
  launch: '0.1.0',
  token: '0.1.0',
  'sign-in-cancel': '0.1.0',
  'sign-out': '0.1.0',
  account: '0.1.0',
  'tunnel-open': '0.1.0',
  'bastion-session': '0.1.0',
};

/** The command that installs the current host (and registers it for the browsers). */
export const UPDATE_COMMAND = 'npx rdp-now@latest install';

/** `0.9.2` is older than `0.10.0`: numeric per part, a missing part is 0. */
export function isOlder(version: string, than: string): boolean {
  const a = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const b = than.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/** The version a host needs for `type`, when `hostVersion` is older than that; else null. */
export function hostTooOldFor(hostVersion: string, type: HostRequestType): string | null {
  const needed = MIN_HOST_VERSION[type];
  return isOlder(hostVersion, needed) ? needed : null;
}
