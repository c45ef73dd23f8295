/** The check report of docs/PROTOCOL.md §4 (`check --json`), shared by the CLI and the extension. */

export const CHECK_STATUSES = ['pass', 'fail', 'warn', 'unknown'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export const CHECK_IDS = ['os', 'power', 'address', 'bastion', 'nsg', 'jit'] as const;
export type CheckId = (typeof CHECK_IDS)[number];
/** The fixes RDP now applies; `use-private-ip` (FIX_IDS) is a setting the user turns on. */
export const ACTION_FIX_IDS = ['start-vm', 'request-jit', 'add-nsg-rule'] as const;
export type ActionFixId = (typeof ACTION_FIX_IDS)[number];
export const FIX_IDS = [...ACTION_FIX_IDS, 'use-private-ip'] as const;
export type FixId = (typeof FIX_IDS)[number];
export const VIAS = ['public-ip', 'private-ip', 'load-balancer-nat', 'bastion'] as const;
export type Via = (typeof VIAS)[number];

/** `target.bastion`: the Azure Bastion that carries (or would carry) the RDP traffic. */
export interface BastionRef {
  id: string;
  name: string;
  sku: string;
  dnsName: string | null;
}

export interface NsgLayerDetail {
  nsgId: string | null;
  access: 'Allow' | 'Deny' | null;
  rule: string | null;
}

export interface Check {
  id: CheckId;
  status: CheckStatus;
  summary: string;
  fixes: FixId[];
  detail?: { subnet: NsgLayerDetail; nic: NsgLayerDetail };
}

export interface CheckReport {
  vm: {
    id: string;
    name: string;
    resourceGroup: string;
    subscriptionId: string;
    location: string;
    powerState: string | null;
  };
  target: {
    address: string | null;
    port: number;
    via: Via | null;
    fqdn: string | null;
    /** The Bastion the `bastion` check judged (docs/PROTOCOL.md §4.3), when there is one. */
    bastion?: BastionRef;
  };
  sourceIp: string | null;
  checks: Check[];
  ready: boolean;
}

/** Ready only when nothing failed and nothing could not be read. */
export function isReady(checks: readonly Check[]): boolean {
  return checks.every((c) => c.status === 'pass' || c.status === 'warn');
}

/**
 * Whether RDP now may connect by itself: ready, and every check sure of it. A warning (an unknown source IP, a
 * partial overlap) is no failure, but it is no consent either: the user reads it and presses Connect anyway.
 */
export function allChecksPass(report: Pick<CheckReport, 'ready' | 'checks'>): boolean {
  return report.ready && report.checks.every((c) => c.status === 'pass');
}
