/**
 * Small pure formatters the extension pages share: relative times, short ids, client names and the portal link
 * of a VM. No browser API, so they are unit-tested directly.
 */
import type { LaunchClient } from '../../shared/protocol';
import { type AzureCloudName, parseVmResourceId, portalHostOf } from '../../shared/resource-id';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number, number]> = [
  // unit, its length, used while the distance is below this
  ['minute', MINUTE, HOUR],
  ['hour', HOUR, DAY],
  ['day', DAY, 30 * DAY],
  ['month', 30 * DAY, 365 * DAY],
  ['year', 365 * DAY, Number.POSITIVE_INFINITY],
];

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * "just now", "5 minutes ago", "in 40 minutes", "yesterday", "3 months ago": the distance from `now` in the
 * largest whole unit, rounded down so "59 minutes" never reads as "1 hour".
 */
export function relativeTime(at: number, now: number): string {
  const distance = at - now;
  const size = Math.abs(distance);
  if (size < 45_000) return distance <= 0 ? 'just now' : 'in less than a minute';
  if (size < MINUTE) return relative.format(Math.sign(distance), 'minute');
  for (const [unit, length, below] of UNITS) {
    if (size < below) return relative.format(Math.sign(distance) * Math.floor(size / length), unit);
  }
  return new Date(at).toISOString().slice(0, 10);
}

/** A subscription GUID as a row shows it: its first block, enough to tell a handful apart. */
export function shortSubscription(subscriptionId: string): string {
  const head = subscriptionId.split('-')[0] ?? subscriptionId;
  return head.length < subscriptionId.length ? `${head}…` : subscriptionId;
}

/** The last segment of a resource id: the NSG's name from `/subscriptions/…/networkSecurityGroups/{name}`. */
export function resourceName(id: string): string {
  const segments = id.split('/').filter((s) => s !== '');
  return segments[segments.length - 1] ?? id;
}

/**
 * The VM's page in the portal of its cloud, in its tenant when known:
 * `https://portal.azure.com/#@{tenant}/resource{vmId}`. Null when the id is not a VM's (never link elsewhere).
 */
export function portalVmUrl(vmId: string, cloud: AzureCloudName, tenant?: string): string | null {
  const vm = parseVmResourceId(vmId);
  if (vm === null) return null;
  const at = tenant ? `@${encodeURIComponent(tenant)}/` : '';
  return `https://${portalHostOf(cloud)}/#${at}resource${vm.id}`;
}

export const CLIENT_NAMES: Readonly<Record<LaunchClient, string>> = {
  auto: 'Automatic (the best one installed)',
  mstsc: 'Remote Desktop Connection (mstsc)',
  'windows-app': 'Windows App',
  remmina: 'Remmina',
  'sdl-freerdp3': 'FreeRDP 3 (SDL)',
  xfreerdp3: 'FreeRDP 3 (X11)',
  xfreerdp: 'FreeRDP 2 (X11)',
  'xdg-open': "the system's handler for .rdp files",
  custom: 'the custom client',
};

/**
 * What was launched, said after the launch (client and address), so the user knows which window to look for:
 * "Started Remmina for 20.1.2.3:3389 via public IP."
 */
export function startedText(client: LaunchClient, where: string | null): string {
  return `Started ${CLIENT_NAMES[client]}${where ? ` for ${where}` : ''}.`;
}

/** `20.1.2.3:3389`, `[2001:db8::1]:3389`. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** An error a page shows when the background itself could not be reached (extension reloading, crashed). */
export const NO_BACKGROUND =
  "RDP now's background did not answer: close this page and try again, or reload the extension.";

/** One sentence from anything thrown at a page. */
export function errorText(error: unknown): string {
  if (
    error instanceof Error &&
    /establish connection|receiving end|message port closed/i.test(error.message)
  ) {
    return NO_BACKGROUND;
  }
  return error instanceof Error && error.message ? error.message : NO_BACKGROUND;
}

/** Splits an advice sentence on backticks so a command in it (`rdp-now install`) can be shown as code. */
export function codeSpans(text: string): Array<{ code: boolean; text: string }> {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return [{ code: false, text }]; // an unpaired backtick: plain text
  return parts.map((part, i) => ({ code: i % 2 === 1, text: part })).filter((part) => part.text !== '');
}

/** The id of the popup's title of a VM's row (what the row is labelled by, and where focus goes to reach it). */
export const vmTitleId = (vmId: string): string => `vm-${vmId.replace(/[^a-z0-9]/gi, '-')}`;
