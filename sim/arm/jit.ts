/**
 * Microsoft.Security just-in-time VM access: the policies (lists per subscription, resource group and
 * location; GET by id) and `POST {policy}/initiate`, which records the request in `properties.requests[]` and
 * writes Defender's allow rule for the requested source into the VM's NSGs, as the real service does. Grants
 * end at their `endTimeUtc`: the request is then `Revoked` (`Expired`) and the allow rule removed.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { param, type Reply, type RequestContext } from './context';
import { badRequest, resourceNotFound } from './errors';
import { SUBSCRIPTION } from './ids';
import { listPage } from './paging';
import type {
  JitPolicy,
  JitPolicyPort,
  JitRequest,
  JitRequestPort,
  NetworkSecurityGroup,
  SecurityRule,
} from './shapes';
import { key, securityRule, type World } from './world';

/** Who the simulation's signed-in user is, as JIT records it. */
export const REQUESTOR = 'alex.demo@contoso.com';
/** Clock skew ARM tolerates on `endTimeUtc` beyond the port's maximum duration. */
const SKEW_MS = 60_000;
const POLICIES = 'Microsoft.Security/locations';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function policyId(ctx: RequestContext): string {
  return `${SUBSCRIPTION}/resourceGroups/${param(ctx, 'rg')}/providers/${POLICIES}/${param(ctx, 'location')}/jitNetworkAccessPolicies/${param(ctx, 'name')}`;
}

function findPolicy(ctx: RequestContext): JitPolicy {
  const policy = ctx.world.jitPolicies.get(key(policyId(ctx)));
  if (!policy) {
    throw resourceNotFound(
      `${POLICIES}/${param(ctx, 'location')}/jitNetworkAccessPolicies/${param(ctx, 'name')}`,
      param(ctx, 'rg'),
    );
  }
  return policy;
}

export function getPolicy(ctx: RequestContext): Reply {
  return { status: 200, body: findPolicy(ctx) };
}

/** Lists by subscription, optionally narrowed to the route's `{rg}` and `{location}`. */
export function listPolicies(ctx: RequestContext): Reply {
  const group = ctx.params.rg?.toLowerCase();
  const location = ctx.params.location?.toLowerCase();
  const policies = [...ctx.world.jitPolicies.values()].filter(
    (p) =>
      (group === undefined || key(p.id).startsWith(`${key(SUBSCRIPTION)}/resourcegroups/${group}/`)) &&
      (location === undefined || p.location.toLowerCase() === location),
  );
  return listPage(ctx, policies);
}

/** ISO 8601 durations as JIT uses them (`PT3H`, `PT30M`, `P1D`), in milliseconds. */
export function durationMs(duration: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) return null;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000;
}

function isSourcePrefix(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value === '*' || isIP(value) !== 0) return true;
  const cidr = /^(.+)\/(\d{1,3})$/.exec(value);
  return cidr !== null && isIP(cidr[1] ?? '') === 4 && Number(cidr[2]) <= 32;
}

function allowedByPolicy(port: JitPolicyPort, requested: readonly string[]): boolean {
  const allowed = port.allowedSourceAddressPrefixes ?? [port.allowedSourceAddressPrefix ?? '*'];
  return allowed.includes('*') || requested.every((r) => allowed.includes(r));
}

/** One requested port, checked against the policy's port. */
function checkPort(
  vmId: string,
  policyPorts: readonly JitPolicyPort[],
  port: unknown,
  now: Date,
): JitRequestPort {
  if (!isObject(port) || typeof port.number !== 'number') {
    throw badRequest('BadRequest', `Every requested port of ${vmId} needs a "number".`);
  }
  const policyPort = policyPorts.find((p) => p.number === port.number);
  if (!policyPort) {
    throw badRequest(
      'BadRequest',
      `Port ${port.number} is not configured for just-in-time access on ${vmId}.`,
    );
  }
  const end = typeof port.endTimeUtc === 'string' ? Date.parse(port.endTimeUtc) : Number.NaN;
  if (Number.isNaN(end))
    throw badRequest('BadRequest', `Port ${port.number}: "endTimeUtc" must be an ISO 8601 UTC time.`);
  const max = durationMs(policyPort.maxRequestAccessDuration) ?? 0;
  if (end <= now.getTime())
    throw badRequest('BadRequest', `Port ${port.number}: "endTimeUtc" is in the past.`);
  if (end - now.getTime() > max + SKEW_MS) {
    throw badRequest(
      'BadRequest',
      `Port ${port.number}: the requested access ends after the maximum request access duration (${policyPort.maxRequestAccessDuration}).`,
    );
  }
  const single = port.allowedSourceAddressPrefix;
  const plural = port.allowedSourceAddressPrefixes;
  if ((single === undefined) === (plural === undefined)) {
    throw badRequest(
      'BadRequest',
      `Port ${port.number}: give exactly one of "allowedSourceAddressPrefix" and "allowedSourceAddressPrefixes".`,
    );
  }
  const prefixes = single === undefined ? plural : [single];
  if (!Array.isArray(prefixes) || prefixes.length === 0 || !prefixes.every(isSourcePrefix)) {
    throw badRequest(
      'BadRequest',
      `Port ${port.number}: the allowed source must be IP addresses or CIDR ranges.`,
    );
  }
  if (!allowedByPolicy(policyPort, prefixes)) {
    throw badRequest(
      'BadRequest',
      `Port ${port.number}: the policy does not allow access from ${prefixes.join(', ')}.`,
    );
  }
  return {
    number: port.number,
    ...(typeof single === 'string'
      ? { allowedSourceAddressPrefix: single }
      : { allowedSourceAddressPrefixes: prefixes }),
    endTimeUtc: new Date(end).toISOString(),
    status: 'Initiated',
    statusReason: 'UserRequested',
  };
}

/** The request body checked against the policy; throws ARM's 400 naming the problem. */
function parseRequest(policy: JitPolicy, body: unknown, now: Date): JitRequest {
  if (!isObject(body) || !Array.isArray(body.virtualMachines) || body.virtualMachines.length === 0) {
    throw badRequest('BadRequest', 'The request needs a non-empty "virtualMachines" list.');
  }
  const justification = body.justification;
  if (justification !== undefined && typeof justification !== 'string') {
    throw badRequest('BadRequest', '"justification" must be a string.');
  }
  const virtualMachines = body.virtualMachines.map((vm: unknown) => {
    const id = isObject(vm) && typeof vm.id === 'string' ? vm.id : undefined;
    const covered =
      id === undefined ? undefined : policy.properties.virtualMachines.find((v) => key(v.id) === key(id));
    if (!covered) {
      throw badRequest(
        'BadRequest',
        `Virtual machine '${id ?? '(no id)'}' is not covered by the just-in-time policy '${policy.id}'.`,
      );
    }
    const ports = (vm as Json).ports;
    if (!Array.isArray(ports) || ports.length === 0) {
      throw badRequest('BadRequest', `The request for ${covered.id} needs a non-empty "ports" list.`);
    }
    return { id: covered.id, ports: ports.map((p: unknown) => checkPort(covered.id, covered.ports, p, now)) };
  });
  return {
    virtualMachines,
    startTimeUtc: now.toISOString(),
    requestor: REQUESTOR,
    ...(justification === undefined ? {} : { justification }),
  };
}

/** The NSGs JIT writes for a VM: each NIC's own and each of its subnets', with the NIC's private IP. */
function vmNsgs(world: World, vmId: string): Array<{ nsg: NetworkSecurityGroup; privateIp: string }> {
  const found = new Map<string, { nsg: NetworkSecurityGroup; privateIp: string }>();
  const vm = world.vms.get(key(vmId));
  for (const ref of vm?.body.properties.networkProfile.networkInterfaces ?? []) {
    const nic = world.nics.get(key(ref.id));
    const config = nic?.properties.ipConfigurations.find((c) => c.properties.primary);
    if (!nic || !config) continue;
    const subnetId = key(config.properties.subnet.id);
    const subnet = [...world.vnets.values()]
      .flatMap((v) => v.properties.subnets)
      .find((s) => key(s.id) === subnetId);
    for (const nsgRef of [nic.properties.networkSecurityGroup, subnet?.properties.networkSecurityGroup]) {
      const nsg = nsgRef ? world.nsgs.get(key(nsgRef.id)) : undefined;
      if (nsg && !found.has(key(nsg.id)))
        found.set(key(nsg.id), { nsg, privateIp: config.properties.privateIPAddress });
    }
  }
  return [...found.values()];
}

function allowRuleName(world: World, vmId: string, port: number): string {
  const known = world.jitAllowRuleNames.get(`${key(vmId)}|${port}`);
  if (known) return known;
  const hash = createHash('sha1')
    .update(`${key(vmId)}|${port}`)
    .digest('hex')
    .slice(0, 8)
    .toUpperCase();
  return `SecurityCenter-JITRule-1170687618-${hash}`;
}

function freePriority(nsg: NetworkSecurityGroup): number {
  const taken = new Set(
    nsg.properties.securityRules
      .filter((r) => r.properties.direction === 'Inbound')
      .map((r) => r.properties.priority),
  );
  let priority = 100;
  while (taken.has(priority)) priority += 1;
  return priority;
}

function writeAllowRules(world: World, policy: JitPolicy, vmId: string, port: JitRequestPort): void {
  const vmName = vmId.split('/').pop() ?? vmId;
  const name = allowRuleName(world, vmId, port.number);
  for (const { nsg, privateIp } of vmNsgs(world, vmId)) {
    const rules = nsg.properties.securityRules;
    const index = rules.findIndex((r) => r.name === name);
    const rule: SecurityRule = securityRule(nsg.id, name, {
      provisioningState: 'Succeeded',
      description: `ASC JIT Network Access rule created by an initiation request for policy '${policy.name}' of VM '${vmName}'.`,
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: String(port.number),
      ...(port.allowedSourceAddressPrefixes
        ? { sourceAddressPrefixes: port.allowedSourceAddressPrefixes }
        : { sourceAddressPrefix: port.allowedSourceAddressPrefix ?? '*' }),
      destinationAddressPrefix: privateIp,
      access: 'Allow',
      priority: rules[index]?.properties.priority ?? freePriority(nsg),
      direction: 'Inbound',
    });
    if (index >= 0) rules[index] = rule;
    else rules.push(rule);
  }
}

function removeAllowRules(world: World, vmId: string, port: number): void {
  const name = allowRuleName(world, vmId, port);
  for (const { nsg } of vmNsgs(world, vmId)) {
    nsg.properties.securityRules = nsg.properties.securityRules.filter((r) => r.name !== name);
  }
}

function activeGrants(policy: JitPolicy): Array<{ vmId: string; port: JitRequestPort }> {
  return policy.properties.requests.flatMap((request) =>
    request.virtualMachines.flatMap((vm) =>
      vm.ports.filter((p) => p.status === 'Initiated').map((port) => ({ vmId: vm.id, port })),
    ),
  );
}

/** `POST {policy}/initiate`: 202 with the request as the fixture shows it (ports `Initiating`). */
export function initiate(ctx: RequestContext): Reply {
  const policy = findPolicy(ctx);
  const request = parseRequest(policy, ctx.body, ctx.now);
  for (const vm of request.virtualMachines) {
    for (const port of vm.ports) {
      for (const older of activeGrants(policy)) {
        if (key(older.vmId) === key(vm.id) && older.port.number === port.number) {
          older.port.status = 'Revoked';
          older.port.statusReason = 'NewerRequestInitiated';
        }
      }
      writeAllowRules(ctx.world, policy, vm.id, port);
    }
  }
  policy.properties.requests.push(request);
  const answer: JitRequest = {
    ...request,
    virtualMachines: request.virtualMachines.map((vm) => ({
      id: vm.id,
      ports: vm.ports.map((p) => ({ ...p, status: 'Initiating' as const })),
    })),
  };
  return { status: 202, body: answer };
}

/** Ends the grants whose time is up: request `Revoked`/`Expired`, allow rule gone. Run before each request. */
export function expireGrants(world: World, now: Date): void {
  for (const policy of world.jitPolicies.values()) {
    const ended = activeGrants(policy).filter(({ port }) => Date.parse(port.endTimeUtc) <= now.getTime());
    for (const { vmId, port } of ended) {
      port.status = 'Revoked';
      port.statusReason = 'Expired';
      const stillActive = activeGrants(policy).some(
        (g) => key(g.vmId) === key(vmId) && g.port.number === port.number,
      );
      if (!stillActive) removeAllowRules(world, vmId, port.number);
    }
  }
}
