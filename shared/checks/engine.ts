/** One check of a VM: gather (with the cached topology when the VM was seen before), judge, remember the ids. */
import { type Arm, ArmError } from '../azure/arm';
import type { VmResourceId } from '../resource-id';
import { type Facts, gatherFacts, type Topology, type Via } from './gather';
import { type FixPlan, judge } from './judge';
import type { CheckReport } from './report';

/**
 * Where resource ids of VMs seen before are kept (a file for the CLI, extension storage in the browser). `set` is
 * called when a check finds ids the cache did not hold: a size limit drops the VMs written longest ago.
 */
export interface TopologyCache {
  get(vmId: string): Promise<Topology | null>;
  set(vmId: string, topology: Topology): Promise<void>;
}

/** Nothing could be judged: the VM itself could not be read (sign-in refused, not found, ARM unreachable). */
export class CheckError extends Error {
  constructor(
    message: string,
    override readonly cause: ArmError,
  ) {
    super(message);
    this.name = 'CheckError';
  }
}

export interface CheckOptions {
  port: number;
  privateMode: boolean;
  /** `--via`: `direct`, `bastion` or `auto` (default `direct`: no Bastion is looked for). */
  via?: Via;
  /** The user's public IP (or VPN address), or null when unknown; may still be on its way. */
  sourceIp: Promise<string | null> | string | null;
  cache?: TopologyCache;
  now?: () => Date;
}

export interface CheckRun {
  report: CheckReport;
  plan: FixPlan;
  facts: Facts;
}

export async function runCheck(arm: Arm, target: VmResourceId, options: CheckOptions): Promise<CheckRun> {
  // Read while the VM itself is asked for: the VM's request needs no cached id.
  const known = options.cache ? options.cache.get(target.id).catch(() => null) : null;
  let facts: Facts;
  try {
    const via = options.privateMode ? 'direct' : (options.via ?? 'direct');
    facts = await gatherFacts(arm, target, { port: options.port, known, via });
  } catch (error) {
    if (!(error instanceof ArmError)) throw error;
    throw new CheckError(vmReadFailure(target, error), error);
  }
  // Ids that did not change are not written again: a recent VM's check goes straight on to be judged.
  if (facts.nic?.ok && !sameIds(await known, facts.topology))
    await options.cache?.set(target.id, facts.topology).catch(() => undefined);
  const { report, plan } = judge({
    target,
    facts,
    sourceIp: await options.sourceIp,
    port: options.port,
    privateMode: options.privateMode,
    viaBastion: !options.privateMode && options.via === 'bastion',
    now: options.now?.() ?? new Date(),
  });
  return { report, plan, facts };
}

function sameIds(cached: Topology | null, found: Topology): boolean {
  return cached !== null && (Object.keys(found) as (keyof Topology)[]).every((k) => cached[k] === found[k]);
}

function vmReadFailure(target: VmResourceId, error: ArmError): string {
  switch (error.kind) {
    case 'unauthenticated':
      return `Signing in to Azure failed: ${error.message}`;
    case 'not-found':
      return `The VM ${target.name} was not found in resource group ${target.resourceGroup} of subscription ${target.subscriptionId} (or you cannot see it).`;
    default:
      return `The VM ${target.name} could not be read: ${error.message}`;
  }
}
