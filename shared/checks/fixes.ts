/**
 * The fixes a report offers: start the VM, request just-in-time access, add an NSG rule for the user's IP,
 * and remove such rules again. Rules are built by pure functions so the exact rule is shown before it exists.
 */
import { API, type Arm, ArmError, type PollOptions } from '../azure/arm';
import { type Nsg, NsgSchema, parseBody } from '../azure/shapes';
import { parseIp } from '../ip';
import { parseIsoDuration } from './iso-duration';
import type { FixPlan } from './judge';

export async function startVm(arm: Arm, vmId: string, poll: PollOptions = {}): Promise<void> {
  await arm.send('POST', `${vmId}/start`, API.compute, undefined, poll);
}

const DEFAULT_JIT_MS = 3 * 60 * 60 * 1000; // the portal's default request length

export interface JitRequestBody {
  virtualMachines: Array<{
    id: string;
    ports: Array<{ number: number; endTimeUtc: string; allowedSourceAddressPrefix: string }>;
  }>;
  justification: string;
}

/** The request for access from `sourceIp`, as long as the portal asks by default but within the policy's maximum. */
export function jitRequest(
  jit: NonNullable<FixPlan['jit']>,
  vmId: string,
  sourceIp: string,
  now: Date,
): JitRequestBody {
  const max = parseIsoDuration(jit.maxDuration) ?? DEFAULT_JIT_MS;
  const end = new Date(now.getTime() + Math.min(DEFAULT_JIT_MS, max));
  return {
    virtualMachines: [
      {
        id: vmId,
        ports: [{ number: jit.port, endTimeUtc: end.toISOString(), allowedSourceAddressPrefix: sourceIp }],
      },
    ],
    justification: 'Remote Desktop requested with RDP now',
  };
}

export async function requestJit(arm: Arm, policyId: string, body: JitRequestBody): Promise<void> {
  await arm.send('POST', `${policyId}/initiate`, API.security, body);
}

/** Rules we add are named `rdp-now-…` and carry this description, so `cleanup` finds them and their expiry. */
export const RULE_PREFIX = 'rdp-now-';
const DESCRIPTION = /^Added by RDP now for (\S+); expires (\S+)\.$/;
/** How long an NSG rule added for the user's IP (by `connect --add-nsg-rule` or the extension) lasts. */
export const RULE_HOURS = 8;

export interface PlannedRule {
  nsgId: string;
  nsgName: string;
  name: string;
  /** When the rule expires (ISO 8601), as written in its description. */
  expires: string;
  properties: {
    protocol: 'Tcp';
    sourceAddressPrefix: string;
    sourcePortRange: '*';
    destinationAddressPrefix: string;
    destinationPortRange: string;
    access: 'Allow';
    priority: number;
    direction: 'Inbound';
    description: string;
  };
}

/** One allow rule per denying NSG: TCP from the source IP alone to the VM's private IP and RDP port. */
export function plannedRules(
  plan: FixPlan,
  sourceIp: string,
  now: Date,
  hours: number = RULE_HOURS,
): PlannedRule[] {
  const ip = parseIp(sourceIp);
  if (!ip) throw new Error(`"${sourceIp}" is not an IP address.`);
  const source = `${sourceIp}/${ip.family === 4 ? 32 : 128}`;
  const expires = new Date(now.getTime() + hours * 3_600_000).toISOString();
  return plan.nsgRules.map((r) => ({
    nsgId: r.nsgId,
    nsgName: r.nsgName,
    name: `${RULE_PREFIX}${sourceIp.replace(/[.:]/g, '-')}-${r.port}`,
    expires,
    properties: {
      protocol: 'Tcp',
      sourceAddressPrefix: source,
      sourcePortRange: '*',
      destinationAddressPrefix: r.destinationIp,
      destinationPortRange: String(r.port),
      access: 'Allow',
      priority: r.priority,
      direction: 'Inbound',
      description: `Added by RDP now for ${sourceIp}; expires ${expires}.`,
    },
  }));
}

export async function addNsgRule(arm: Arm, rule: PlannedRule): Promise<void> {
  await arm.send('PUT', `${rule.nsgId}/securityRules/${rule.name}`, API.network, {
    properties: rule.properties,
  });
}

export async function removeNsgRule(arm: Arm, nsgId: string, ruleName: string): Promise<void> {
  await arm.send('DELETE', `${nsgId}/securityRules/${ruleName}`, API.network);
}

/** When a rule of ours expires; null for rules that are not ours. */
export function ourRuleExpiry(rule: {
  name?: string | undefined;
  properties?: { description?: string | undefined } | undefined;
}): Date | null {
  if (!rule.name?.startsWith(RULE_PREFIX)) return null;
  const match = DESCRIPTION.exec(rule.properties?.description ?? '');
  const expiry = match ? new Date(match[2] as string) : null;
  return expiry && !Number.isNaN(expiry.getTime()) ? expiry : null;
}

export interface CleanupResult {
  nsgId: string;
  removed: string[];
  kept: string[];
  /** Why this NSG could not be read or a rule not removed (one sentence); its other rules were left alone. */
  error: string | null;
}

/** Removes our rules from the given NSGs (each once): the expired ones, or all with `all`. */
export async function cleanupRules(
  arm: Arm,
  nsgIds: readonly string[],
  all: boolean,
  now: Date,
): Promise<CleanupResult[]> {
  const unique = [...new Map(nsgIds.map((id) => [id.toLowerCase(), id])).values()];
  return Promise.all(
    unique.map(async (nsgId) => {
      const result: CleanupResult = { nsgId, removed: [], kept: [], error: null };
      let doing = 'Reading the network security group';
      try {
        const nsg: Nsg = parseBody(
          NsgSchema,
          await arm.get(nsgId, API.network),
          'the network security group',
        );
        for (const rule of nsg.properties.securityRules ?? []) {
          const expiry = ourRuleExpiry(rule);
          if (!expiry || !rule.name) continue;
          if (all || expiry <= now) {
            doing = `Removing the rule ${rule.name}`;
            await removeNsgRule(arm, nsgId, rule.name);
            result.removed.push(rule.name);
          } else result.kept.push(rule.name);
        }
      } catch (error) {
        if (!(error instanceof ArmError)) throw error;
        result.error = `${doing} of ${nsgId.split('/').pop()} failed: ${error.message}`;
      }
      return result;
    }),
  );
}
