/**
 * Turns gathered facts into the report of docs/PROTOCOL.md §4 and the plan of fixes that would make the VM ready.
 * Pure: the same facts, source IP and clock always give the same report.
 */
import type { ArmError } from '../azure/arm';
import type { JitPolicy } from '../azure/shapes';
import { cidrContains, isPublicIp, parseCidr, parseIp } from '../ip';
import { evaluateNsgs, type NsgLayerResult } from '../nsg/evaluate';
import { chooseAllowRulePriority } from '../nsg/synthesize';
import type { VmResourceId } from '../resource-id';
import { bastionRoute, reachablePrefixes } from './bastion';
import { type Facts, powerStateOf } from './gather';
import { parseIsoDuration } from './iso-duration';
import { type Check, type CheckReport, isReady, type NsgLayerDetail, type Via } from './report';

export interface JudgeInput {
  target: VmResourceId;
  facts: Facts;
  sourceIp: string | null;
  port: number;
  privateMode: boolean;
  now: Date;
  /** `--via bastion`: only the Bastion route counts. */
  viaBastion?: boolean;
  /** Set by judge on the Bastion route: `sourceIp` then holds the Bastion subnet's prefix. */
  bastionSource?: boolean;
}

/** What the fixes need beyond the report: which policy, which NSGs, which priorities. */
export interface FixPlan {
  startVm: boolean;
  jit: { policyId: string; port: number; maxDuration: string; source?: string } | null;
  nsgRules: Array<{ nsgId: string; nsgName: string; priority: number; destinationIp: string; port: number }>;
}

export function judge(input: JudgeInput): { report: CheckReport; plan: FixPlan } {
  const { facts, target } = input;
  const plan: FixPlan = { startVm: false, jit: null, nsgRules: [] };
  const powerState = powerStateOf(facts.vm);
  const checks: Check[] = [];
  const linux = facts.vm.properties.storageProfile?.osDisk?.osType?.toLowerCase() === 'linux';
  if (linux) {
    checks.push({
      id: 'os',
      status: 'fail',
      summary: `${target.name} runs Linux: connect with SSH (e.g. "az ssh vm -g ${target.resourceGroup} -n ${target.name}"), not RDP.`,
      fixes: [],
    });
  }
  checks.push(judgePower(powerState, plan));
  const address = judgeAddress(input);
  const bastion = bastionRoute(facts, address.target, input.port, input.viaBastion ?? false);
  checks.push(bastion?.address ?? address.check);
  if (bastion) checks.push(bastion.check);
  const routed = routedInput(input, bastion?.source, address.target.via);
  checks.push(withRouteNote(judgeNsg(routed, plan), input, routed));
  checks.push(withRouteNote(judgeJit(routed, plan), input, routed));
  // No RDP fix can make a Linux VM take RDP: starting it or opening its port would only mislead.
  if (linux) {
    for (const check of checks) check.fixes = [];
    Object.assign(plan, { startVm: false, jit: null, nsgRules: [] });
  }
  const report: CheckReport = {
    vm: {
      id: target.id,
      name: facts.vm.name,
      resourceGroup: target.resourceGroup,
      subscriptionId: target.subscriptionId,
      location: facts.vm.location,
      powerState,
    },
    target: bastion?.target ?? address.target,
    sourceIp: input.sourceIp,
    checks,
    ready: isReady(checks),
  };
  return { report, plan };
}

/**
 * The source the VM sees. On the Bastion route it is the Bastion's subnet, not the user (docs/PROTOCOL.md §4.3).
 * On the private route it is the user's address inside the network (VPN, ExpressRoute, peering): a public IP
 * says nothing about that route, so rules and access requests are not planned for it.
 */
function routedInput(
  input: JudgeInput,
  bastionSource: string | null | undefined,
  via: Via | null,
): JudgeInput {
  if (bastionSource !== undefined) return { ...input, sourceIp: bastionSource, bastionSource: true };
  const ip = input.sourceIp === null ? null : parseIp(input.sourceIp);
  if (via === 'private-ip' && ip && isPublicIp(ip)) return { ...input, sourceIp: null };
  return input;
}

/** On the private route with no usable source: which address Azure sees, and that rules need that one. */
function withRouteNote(check: Check, input: JudgeInput, routed: JudgeInput): Check {
  if (routed.sourceIp !== null || routed.bastionSource || check.status === 'pass') return check;
  if (input.privateMode !== true) return check;
  const publicIp = input.sourceIp === null ? 'your public IP' : `your public IP ${input.sourceIp}`;
  check.summary += ` Over VPN, ExpressRoute or peering Azure sees your address inside the network, not ${publicIp}: a rule or access request must name that address.`;
  return check;
}

function judgePower(state: string | null, plan: FixPlan): Check {
  switch (state) {
    case 'running':
      return { id: 'power', status: 'pass', summary: 'The VM is running.', fixes: [] };
    case 'deallocated':
    case 'stopped':
      plan.startVm = true;
      return {
        id: 'power',
        status: 'fail',
        summary:
          state === 'stopped'
            ? 'The VM is stopped (still allocated and billed): start it.'
            : 'The VM is deallocated: start it.',
        fixes: ['start-vm'],
      };
    case 'starting':
      return {
        id: 'power',
        status: 'warn',
        summary: 'The VM is starting: it will accept RDP in a minute or two.',
        fixes: [],
      };
    case null:
      return {
        id: 'power',
        status: 'unknown',
        summary: 'Azure did not report the power state of the VM.',
        fixes: [],
      };
    default:
      return {
        id: 'power',
        status: 'fail',
        summary: `The VM is ${state}: start it once that has finished.`,
        fixes: [],
      };
  }
}

/**
 * A deallocated VM (or one on its way down) has released its dynamic public IP, which gets an address again
 * when the VM starts. A VM in any other state (running above all) has no excuse: no address, no route.
 */
function awaitsStart(state: string | null): boolean {
  return state === 'deallocated' || state === 'deallocating' || state === 'stopping';
}

function unreadable(what: string, error: ArmError): string {
  return `${what} could not be read: ${error.message}`;
}

function judgeAddress(input: JudgeInput): { check: Check; target: CheckReport['target'] } {
  const { facts, port } = input;
  const none = { address: null, port, via: null, fqdn: null };
  const check = (status: Check['status'], summary: string, fixes: Check['fixes'] = []): Check => ({
    id: 'address',
    status,
    summary,
    fixes,
  });
  if (facts.nic === null) return { check: check('fail', 'The VM has no network interface.'), target: none };
  if (!facts.nic.ok)
    return { check: check('unknown', unreadable('The network interface', facts.nic.error)), target: none };
  const privateIp = facts.ipConfig?.properties.privateIPAddress ?? null;

  if (input.privateMode) {
    if (!privateIp)
      return { check: check('fail', 'The network interface has no private IP address.'), target: none };
    return {
      check: check(
        'pass',
        `RDP goes to the private IP ${privateIp}; this needs a VPN, ExpressRoute or peering into the VNet.`,
      ),
      target: { address: privateIp, port, via: 'private-ip', fqdn: null },
    };
  }
  if (facts.publicIp) {
    if (!facts.publicIp.ok) {
      return {
        check: check('unknown', unreadable('The public IP address', facts.publicIp.error)),
        target: none,
      };
    }
    const pip = facts.publicIp.value;
    const fqdn = pip.properties.dnsSettings?.fqdn ?? null;
    const address = pip.properties.ipAddress ?? null;
    const target = { address, port, via: 'public-ip' as const, fqdn };
    if (!address) {
      // Azure assigns a dynamic address when the VM starts: only a VM that is not running yet may wait for it.
      if (awaitsStart(powerStateOf(facts.vm))) {
        return {
          check: check(
            'warn',
            `The public IP ${pip.name} has no address yet; Azure assigns one when the VM starts.`,
          ),
          target,
        };
      }
      return {
        check: check(
          'fail',
          `The public IP ${pip.name} has no address although the VM is ${powerStateOf(facts.vm) ?? 'in an unknown power state'}: there is no route to it; check the public IP in the portal.`,
        ),
        target: none,
      };
    }
    return {
      check: check('pass', `RDP goes to the public IP ${address}${fqdn ? ` (${fqdn})` : ''}.`),
      target,
    };
  }
  if (facts.nat) {
    if (!facts.nat.ok)
      return { check: check('unknown', unreadable('The load balancer', facts.nat.error)), target: none };
    const nat = facts.nat.value;
    if (nat) {
      if (nat.publicIp && !nat.publicIp.ok) {
        return {
          check: check('unknown', unreadable("The load balancer's public IP address", nat.publicIp.error)),
          target: none,
        };
      }
      const pip = nat.publicIp?.ok ? nat.publicIp.value : null;
      const address = pip?.properties.ipAddress ?? null;
      const target = {
        address,
        port: nat.frontendPort,
        via: 'load-balancer-nat' as const,
        fqdn: pip?.properties.dnsSettings?.fqdn ?? null,
      };
      if (!address) {
        return {
          check: check(
            'fail',
            `The load balancer ${nat.loadBalancer.name} forwards port ${port} but has no public address.`,
          ),
          target,
        };
      }
      return {
        check: check(
          'pass',
          `RDP goes through the load balancer ${nat.loadBalancer.name}: ${address} port ${nat.frontendPort} to the VM's port ${port}.`,
        ),
        target,
      };
    }
  }
  return {
    check: check(
      'fail',
      `The VM has no public IP and no load balancer NAT rule to port ${port}: connect to its private IP${privateIp ? ` ${privateIp}` : ''} over VPN, ExpressRoute or peering, or add a public IP.`,
      privateIp ? ['use-private-ip'] : [],
    ),
    target: none,
  };
}

function layerDetail(layer: NsgLayerResult): NsgLayerDetail {
  return { nsgId: layer.nsgId, access: layer.access, rule: layer.rule };
}

function judgeNsg(input: JudgeInput, plan: FixPlan): Check {
  const { facts, port } = input;
  const { topology } = facts;
  // Both layers are always reported (docs/PROTOCOL.md §4); one that could not be read or judged has access null.
  const notJudged = (nsgId: string | null): NsgLayerDetail => ({ nsgId, access: null, rule: null });
  const unjudged = { subnet: notJudged(topology.subnetNsgId), nic: notJudged(topology.nicNsgId) };
  const unknown = (summary: string, detail: NonNullable<Check['detail']> = unjudged): Check => ({
    id: 'nsg',
    status: 'unknown',
    summary,
    fixes: [],
    detail,
  });
  if (facts.nic === null) return unknown('Without a network interface there is no NSG to check.');
  if (!facts.nic.ok) return unknown(unreadable('The network interface', facts.nic.error));
  const privateIp = facts.ipConfig?.properties.privateIPAddress;
  if (!privateIp)
    return unknown('The network interface has no private IP address to check the NSGs against.');

  // Each layer is evaluated with what could be read: an unreadable subnet (so its NSG is unknown) or NSG does
  // not keep the other layer from being judged and reported.
  const evaluation = evaluateNsgs(nsgInput(input, privateIp));
  const { subnet, nic } = evaluation.layers;
  const subnetUnread = facts.subnet?.ok === false || facts.subnetNsg?.ok === false;
  const detail = {
    subnet: subnetUnread ? notJudged(topology.subnetNsgId) : layerDetail(subnet),
    nic: facts.nicNsg?.ok === false ? notJudged(topology.nicNsgId) : layerDetail(nic),
  };
  if (facts.subnet?.ok === false) return unknown(unreadable('The subnet', facts.subnet.error), detail);
  if (facts.subnetNsg?.ok === false)
    return unknown(unreadable("The subnet's NSG", facts.subnetNsg.error), detail);
  if (facts.nicNsg?.ok === false) return unknown(unreadable("The NIC's NSG", facts.nicNsg.error), detail);

  const result: Check = {
    id: 'nsg',
    status: evaluation.status,
    summary: evaluation.summary,
    fixes: [],
    detail,
  };
  if (evaluation.status !== 'fail' || input.sourceIp === null || input.bastionSource) return result;
  const denying = [subnet, nic].filter((l) => l.certain && l.access === 'Deny');
  // A just-in-time deny is opened by requesting access, never by a rule of ours beside Defender's.
  if (denying.some((l) => l.jit)) return result;
  let opened = 0;
  for (const layer of denying) {
    const nsg = layer === subnet ? facts.subnetNsg : facts.nicNsg;
    if (!nsg?.ok || layer.priority === null) continue;
    // The same NSG on the subnet and the NIC: one rule in it opens both layers.
    const key = nsg.value.id.toLowerCase();
    if (plan.nsgRules.some((r) => r.nsgId.toLowerCase() === key)) {
      opened++;
      continue;
    }
    const priority = chooseAllowRulePriority(nsg.value, layer.priority);
    if (priority === null) continue;
    plan.nsgRules.push({
      nsgId: nsg.value.id,
      nsgName: nsg.value.name,
      priority,
      destinationIp: privateIp,
      port,
    });
    opened++;
  }
  if (opened === denying.length) result.fixes = ['add-nsg-rule'];
  return result;
}

function nsgInput(input: JudgeInput, privateIp: string) {
  const { facts } = input;
  return {
    subnetNsg: facts.subnetNsg?.ok ? facts.subnetNsg.value : null,
    nicNsg: facts.nicNsg?.ok ? facts.nicNsg.value : null,
    sourceIp: input.bastionSource ? null : input.sourceIp,
    ...(input.bastionSource && input.sourceIp !== null && { sourcePrefix: input.sourceIp }),
    destinationIp: privateIp,
    port: input.port,
    nicAsgIds: facts.ipConfig?.properties.applicationSecurityGroups?.map((a) => a.id) ?? [],
    virtualNetworkPrefixes: facts.vnet?.ok
      ? input.bastionSource
        ? reachablePrefixes(facts.vnet.value)
        : (facts.vnet.value.properties.addressSpace?.addressPrefixes ?? [])
      : [],
  };
}

/** The policy that puts this VM's RDP port under just-in-time access, if any. */
export function coveringPolicy(policies: readonly JitPolicy[], vmId: string, port: number) {
  const key = vmId.toLowerCase();
  for (const policy of policies) {
    const vm = policy.properties.virtualMachines.find((v) => v.id.toLowerCase() === key);
    const rule = vm?.ports.find((p) => p.number === port);
    if (rule) return { policy, rule };
  }
  return null;
}

/** The end of an active request for this VM and port whose allowed source covers `sourceIp`, if any. */
export function activeGrant(
  policy: JitPolicy,
  vmId: string,
  port: number,
  sourceIp: string,
  now: Date,
): Date | null {
  const key = vmId.toLowerCase();
  let latest: Date | null = null;
  for (const request of policy.properties.requests ?? []) {
    for (const vm of request.virtualMachines) {
      if (vm.id.toLowerCase() !== key) continue;
      for (const p of vm.ports) {
        const end = new Date(p.endTimeUtc);
        if (p.number !== port || p.status.toLowerCase() !== 'initiated' || !(end > now)) continue;
        const prefixes = [p.allowedSourceAddressPrefix, ...(p.allowedSourceAddressPrefixes ?? [])].filter(
          (x): x is string => typeof x === 'string',
        );
        const covers = prefixes.some(
          (prefix) => prefix === '*' || prefix.toLowerCase() === 'any' || holdsSource(prefix, sourceIp),
        );
        if (covers && (latest === null || end > latest)) latest = end;
      }
    }
  }
  return latest;
}

/** `prefix` holds the source: an IP, or (the Bastion route) every address of a prefix. */
function holdsSource(prefix: string, source: string): boolean {
  if (!source.includes('/')) return cidrContains(prefix, source);
  const outer = parseCidr(prefix);
  const inner = parseCidr(source);
  if (!outer || !inner || outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  return cidrContains(outer, { family: inner.family, value: inner.network });
}

function judgeJit(input: JudgeInput, plan: FixPlan): Check {
  const { facts, target, port, sourceIp, now } = input;
  const check = (status: Check['status'], summary: string, fixes: Check['fixes'] = []): Check => ({
    id: 'jit',
    status,
    summary,
    fixes,
  });
  if (!facts.jitPolicies.ok) {
    // Many users may not read Defender's policies: that must not block them.
    return check(
      'warn',
      `The just-in-time access policies could not be read (${facts.jitPolicies.error.message.replace(/\.$/, '')}); if the VM uses JIT, request access in the portal.`,
    );
  }
  const covering = coveringPolicy(facts.jitPolicies.value, target.id, port);
  if (!covering) return check('pass', `No just-in-time access policy covers port ${port} of this VM.`);
  if (sourceIp === null) {
    return check(
      'warn',
      `Port ${port} is under just-in-time access, and without your IP address it is unknown whether a request covers you.`,
    );
  }
  const until = activeGrant(covering.policy, target.id, port, sourceIp, now);
  if (until) {
    return check(
      'pass',
      `Just-in-time access to port ${port} is granted to ${sourceIp} until ${until.toISOString()}.`,
    );
  }
  plan.jit = {
    policyId: covering.policy.id,
    port,
    maxDuration: covering.rule.maxRequestAccessDuration,
    ...(input.bastionSource && { source: sourceIp }),
  };
  return check(
    'fail',
    `Port ${port} is under just-in-time access and no active request covers ${sourceIp}: request access (for at most ${describeDuration(covering.rule.maxRequestAccessDuration)}).`,
    ['request-jit'],
  );
}

/** `PT3H` → "3 hours", `PT90M` → "90 minutes"; the ISO text itself when it cannot be read. */
function describeDuration(iso: string): string {
  const ms = parseIsoDuration(iso);
  if (ms === null) return iso;
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 !== 0) return `${minutes} minutes`;
  return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
}
