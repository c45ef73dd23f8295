/** The check report of docs/PROTOCOL.md §4 (`check --json`), shared by the CLI and the extension. */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'unknown';
export type CheckId = 'os' | 'power' | 'address' | 'nsg' | 'jit';
export type FixId = 'start-vm' | 'request-jit' | 'add-nsg-rule' | 'use-private-ip';
export type Via = 'public-ip' | 'private-ip' | 'load-balancer-nat';

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
  target: { address: string | null; port: number; via: Via | null; fqdn: string | null };
  sourceIp: string | null;
  checks: Check[];
  ready: boolean;
}

/** Ready only when nothing failed and nothing could not be read. */
export function isReady(checks: readonly Check[]): boolean {
  return checks.every((c) => c.status === 'pass' || c.status === 'warn');
}
