/**
 * Network security group evaluation for inbound RDP: TCP from the user's source IP to the RDP port of a VM's
 * private IP, with the semantics of Azure Network Watcher's IP flow verify (see
 * docs/notes/azure-arm.md): the subnet NSG first, then the NIC NSG, both must allow; a layer without an
 * NSG allows; in each NSG the inbound rules are taken by ascending priority and the first match decides.
 *
 * Evaluation is offline, so some matches cannot be decided (an unknown source IP, service tags, peered and
 * on-premises ranges, source port restrictions). Such a rule is a "candidate": the verdict is `certain` only
 * when every rule that may decide agrees on the access.
 *
 * Assumptions about tags (source side):
 * - `*`, `Any`, and `0.0.0.0/0` / `::/0` of the flow's address family match any source, even an unknown one.
 * - A public source IP (`isPublicIp` in shared/ip.ts: anything outside 0/8, 10/8, 100.64/10, 127/8,
 *   169.254/16, 172.16/12, 192.168/16, ::/128, ::1/128, fc00::/7, fe80::/10) is taken to be in `Internet` and
 *   not in `VirtualNetwork`, unless it lies in the VNet prefixes the caller passes. VNets, peered VNets and
 *   on-premises networks may use public ranges; that is invisible offline and accepted here, as the research
 *   notes describe.
 * - A non-public source IP may be in the VNet, a peered VNet or a connected on-premises range: `VirtualNetwork`
 *   and `Internet` are then undecidable unless the caller's VNet prefixes contain it.
 * - `AzureLoadBalancer` (the platform's 168.63.129.16) never matches a user's source IP.
 * - Any other service tag (`AzureCloud`, `Storage.WestEurope`, …) cannot be resolved offline.
 * - Source application security groups never match a public source IP; for another or an unknown source
 *   they are undecidable.
 * Destination side: the VM's private IP is in `VirtualNetwork` and not in `Internet` or `AzureLoadBalancer`;
 * destination ASGs match exactly when the NIC is a member.
 *
 * Pure: no Node or browser APIs.
 */

import { type Cidr, cidrContains, type IpAddress, isPublicIp, parseCidr, parseIp, unmapIpv4 } from '../ip';

export type NsgAccess = 'Allow' | 'Deny';

/** A reference to another ARM resource, e.g. an application security group. */
export interface ArmResourceRef {
  id?: string | undefined;
}

/** The subset of an ARM security rule's `properties` that evaluation reads. */
export interface SecurityRuleProperties {
  priority?: number | undefined;
  direction?: string | undefined;
  access?: string | undefined;
  protocol?: string | undefined;
  sourceAddressPrefix?: string | undefined;
  sourceAddressPrefixes?: readonly string[] | undefined;
  destinationAddressPrefix?: string | undefined;
  destinationAddressPrefixes?: readonly string[] | undefined;
  sourcePortRange?: string | undefined;
  sourcePortRanges?: readonly string[] | undefined;
  destinationPortRange?: string | undefined;
  destinationPortRanges?: readonly string[] | undefined;
  sourceApplicationSecurityGroups?: readonly ArmResourceRef[] | undefined;
  destinationApplicationSecurityGroups?: readonly ArmResourceRef[] | undefined;
  description?: string | undefined;
}

/** An ARM security rule (`securityRules[]` or `defaultSecurityRules[]` of an NSG). */
export interface SecurityRule {
  name?: string | undefined;
  id?: string | undefined;
  properties?: SecurityRuleProperties | undefined;
}

/** The subset of an ARM network security group (`GET …/networkSecurityGroups/{nsg}`) that evaluation reads. */
export interface NetworkSecurityGroup {
  id: string;
  name?: string | undefined;
  properties?:
    | {
        securityRules?: readonly SecurityRule[] | undefined;
        defaultSecurityRules?: readonly SecurityRule[] | undefined;
      }
    | undefined;
}

/** The flow to evaluate: inbound TCP from `sourceIp` to `destinationIp`:`port`. */
export interface NsgFlow {
  /** The user's public (or VPN) source IP; null when unknown. */
  sourceIp: string | null;
  /** The VM's private IP on the NIC (inbound traffic is matched after NAT). */
  destinationIp: string;
  /** The port the VM's RDP service listens on; default 3389. */
  port?: number | undefined;
  /** Ids of the application security groups the NIC's ip configuration belongs to; null when unknown. */
  nicAsgIds: readonly string[] | null;
  /** The VNet's own address space, when known: refines `VirtualNetwork` and `Internet` for the source. */
  virtualNetworkPrefixes?: readonly string[] | undefined;
  /**
   * The Bastion route: the source is any address of this prefix (the Bastion's subnet) and `sourceIp` is not
   * used. A rule's source matches when it contains the whole prefix; a partial overlap is undecided (warn).
   */
  sourcePrefix?: string | undefined;
}

export interface NsgEvaluationInput extends NsgFlow {
  /** The NSG associated with the NIC's subnet; null when none is attached. */
  subnetNsg: NetworkSecurityGroup | null;
  /** The NSG associated with the NIC; null when none is attached. */
  nicNsg: NetworkSecurityGroup | null;
}

/** A rule that decides the flow or may decide it. */
export interface NsgCandidateRule {
  name: string;
  priority: number;
  access: NsgAccess;
  jit: boolean;
  /** null when the rule certainly matches the flow; otherwise why its match cannot be decided offline. */
  doubt: string | null;
}

export interface NsgLayerResult {
  /** The NSG's id; null when no NSG is attached (the layer then allows). */
  nsgId: string | null;
  nsgName: string | null;
  /** The access of `rule`; null only when no inbound rule can match at all (malformed input). */
  access: NsgAccess | null;
  /** The highest-priority rule that matches or may match the flow (default rules by name). */
  rule: string | null;
  priority: number | null;
  /** True when every rule that may decide the flow has the same access, and one of them certainly matches. */
  certain: boolean;
  /** True when `rule` is a Microsoft Defender for Cloud just-in-time rule. */
  jit: boolean;
  /** The rules that match or may match, by ascending priority, up to the first that certainly matches. */
  candidates: NsgCandidateRule[];
}

export type NsgStatus = 'pass' | 'fail' | 'warn';

export interface NsgEvaluation {
  /** `pass`: both layers certainly allow; `fail`: a layer certainly denies; `warn`: otherwise. */
  status: NsgStatus;
  layers: { subnet: NsgLayerResult; nic: NsgLayerResult };
  /** One sentence a person can act on. */
  summary: string;
}

export const RDP_PORT = 3389;

function defaultRule(name: string, priority: number, access: NsgAccess, source: string, destination: string) {
  return {
    name,
    properties: {
      priority,
      direction: 'Inbound',
      access,
      protocol: '*',
      sourceAddressPrefix: source,
      sourcePortRange: '*',
      destinationAddressPrefix: destination,
      destinationPortRange: '*',
    },
  } satisfies SecurityRule;
}

/** Azure's default inbound rules, used when an NSG's `defaultSecurityRules` hold no inbound rule. */
export const DEFAULT_INBOUND_RULES: readonly SecurityRule[] = [
  defaultRule('AllowVnetInBound', 65000, 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  defaultRule('AllowAzureLoadBalancerInBound', 65001, 'Allow', 'AzureLoadBalancer', '*'),
  defaultRule('DenyAllInBound', 65500, 'Deny', '*', '*'),
];

/**
 * Defender for Cloud names its JIT rules `SecurityCenter-JITRule_<n>_<hex>` (the deny it keeps in place, e.g.
 * `SecurityCenter-JITRule_-1105480617_9EF6964FE766478B9EC568B32FB82045`) and `SecurityCenter-JITRule-<n>-<hex>`
 * (the allow of an active request). The tail is undocumented, so only the fixed prefix and separator are checked.
 */
const JIT_RULE_NAME = /^SecurityCenter-JITRule[-_]/i;

export function isJitRuleName(name: string): boolean {
  return JIT_RULE_NAME.test(name);
}

// --- Addresses --------------------------------------------------------------------------------------------

/** A flow endpoint: white space around it is ignored and an IPv4-mapped IPv6 address counts as IPv4. */
function parseEndpoint(text: string): IpAddress | null {
  const ip = parseIp(text.trim());
  return ip === null ? null : unmapIpv4(ip);
}

/** An address prefix or bare address from ARM, white space around it ignored. */
function parsePrefix(text: string): Cidr | null {
  return parseCidr(text.trim());
}

// --- Matching -----------------------------------------------------------------------------------------------

/** A match that cannot be decided offline, with the reason (a clause that fits after "only if … applies ("). */
interface Undecided {
  why: string;
}

type Match = boolean | Undecided;

/** Any true wins; else the first undecided; else false. */
function anyOf(matches: readonly Match[]): Match {
  if (matches.includes(true)) return true;
  return matches.find((m): m is Undecided => typeof m === 'object') ?? false;
}

/** Any false wins; else the first undecided; else true. */
function allOf(matches: readonly Match[]): Match {
  if (matches.includes(false)) return false;
  return matches.find((m): m is Undecided => typeof m === 'object') ?? true;
}

interface FlowContext {
  port: number;
  sourceText: string | null;
  source: IpAddress | null;
  sourcePublic: boolean;
  /** Why the source cannot be matched against prefixes, when it is unknown or not an IP address. */
  unknownSource: Undecided;
  /** True when the caller's VNet prefixes contain the source IP. */
  sourceInVnet: boolean;
  destinationText: string;
  destination: IpAddress | null;
  /** The flow's address family: the destination's (a flow never changes family in Azure). */
  family: 4 | 6;
  nicAsgIds: ReadonlySet<string> | null;
  /** The source prefix of the Bastion route, with whether the VNet prefixes hold it whole. */
  sourceRange: { cidr: Cidr; inVnet: boolean } | null;
}

/** Every address of `inner` is in `outer`. */
function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    cidrContains(outer, { family: inner.family, value: inner.network })
  );
}

function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && (cidrCovers(a, b) || cidrCovers(b, a));
}

function matchSourceRange(
  prefix: string,
  range: NonNullable<FlowContext['sourceRange']>,
  text: string,
): Match {
  if (isAny(prefix)) return true;
  switch (prefix.toLowerCase()) {
    case 'azureloadbalancer':
    case 'internet':
      return false;
    case 'virtualnetwork':
      return range.inVnet ? true : { why: `it is not known whether ${text} is in the virtual network` };
  }
  const parsed = parsePrefix(prefix);
  if (parsed === null) return unresolvable(prefix);
  if (cidrCovers(parsed, range.cidr)) return true;
  return cidrOverlaps(parsed, range.cidr) ? { why: `${prefix} covers only part of ${text}` } : false;
}

function flowContext(flow: NsgFlow): FlowContext {
  const port = flow.port ?? RDP_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`The RDP port must be an integer from 1 to 65535, not ${String(port)}.`);
  }
  const source = flow.sourceIp === null ? null : parseEndpoint(flow.sourceIp);
  const destination = parseEndpoint(flow.destinationIp);
  const vnetPrefixes = (flow.virtualNetworkPrefixes ?? [])
    .map(parsePrefix)
    .filter((p): p is Cidr => p !== null);
  const range = flow.sourcePrefix === undefined ? null : parsePrefix(flow.sourcePrefix);
  if (range !== null && flow.sourcePrefix !== undefined) {
    return {
      port,
      sourceText: `the Bastion subnet ${flow.sourcePrefix}`,
      source: null,
      sourcePublic: false,
      unknownSource: { why: 'the Bastion subnet is unknown' },
      sourceInVnet: false,
      destinationText: flow.destinationIp,
      destination,
      family: destination?.family ?? range.family,
      nicAsgIds: flow.nicAsgIds === null ? null : new Set(flow.nicAsgIds.map((id) => id.toLowerCase())),
      sourceRange: { cidr: range, inVnet: vnetPrefixes.some((p) => cidrCovers(p, range)) },
    };
  }
  return {
    sourceRange: null,
    port,
    sourceText: source === null ? null : flow.sourceIp,
    source,
    sourcePublic: source !== null && isPublicIp(source),
    unknownSource: {
      why: flow.sourceIp === null ? 'the source IP is unknown' : `'${flow.sourceIp}' is not an IP address`,
    },
    sourceInVnet: source !== null && vnetPrefixes.some((p) => cidrContains(p, source)),
    destinationText: flow.destinationIp,
    destination,
    family: destination?.family ?? source?.family ?? 4,
    nicAsgIds: flow.nicAsgIds === null ? null : new Set(flow.nicAsgIds.map((id) => id.toLowerCase())),
  };
}

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*$/;

function isAny(text: string): boolean {
  return text === '*' || text.toLowerCase() === 'any';
}

function unresolvable(prefix: string): Undecided {
  return SERVICE_TAG.test(prefix)
    ? { why: `service tag ${prefix} cannot be resolved offline` }
    : { why: `address prefix '${prefix}' is not recognised` };
}

function matchSourcePrefix(prefix: string, ctx: FlowContext): Match {
  if (ctx.sourceRange) return matchSourceRange(prefix, ctx.sourceRange, ctx.sourceText ?? '');
  if (isAny(prefix)) return true;
  const { source } = ctx;
  switch (prefix.toLowerCase()) {
    case 'azureloadbalancer':
      return false;
    case 'virtualnetwork':
      if (source === null) return ctx.unknownSource;
      if (ctx.sourceInVnet) return true;
      if (ctx.sourcePublic) return false;
      return {
        why: `it is not known whether ${ctx.sourceText} is in the virtual network, a peered network or a connected on-premises range`,
      };
    case 'internet':
      if (source === null) return ctx.unknownSource;
      if (ctx.sourceInVnet) return false;
      if (ctx.sourcePublic) return true;
      return { why: `it is not known whether ${ctx.sourceText} is outside the virtual network (Internet)` };
  }
  const parsed = parsePrefix(prefix);
  if (parsed === null) return unresolvable(prefix);
  if (source === null) return parsed.prefix === 0 && parsed.family === ctx.family ? true : ctx.unknownSource;
  return cidrContains(parsed, source);
}

function matchDestinationPrefix(prefix: string, ctx: FlowContext): Match {
  if (isAny(prefix)) return true;
  switch (prefix.toLowerCase()) {
    case 'virtualnetwork':
      return true;
    case 'internet':
    case 'azureloadbalancer':
      return false;
  }
  const parsed = parsePrefix(prefix);
  if (parsed === null) return unresolvable(prefix);
  if (ctx.destination === null)
    return { why: `the VM's private IP '${ctx.destinationText}' is not an IP address` };
  return cidrContains(parsed, ctx.destination);
}

/** `*`, `n` or `a-b`, as [low, high]; null when malformed. */
function parsePortRange(text: string): [number, number] | null {
  const trimmed = text.trim();
  if (trimmed === '*') return [0, 65535];
  const match = /^([0-9]{1,5})(?:\s*-\s*([0-9]{1,5}))?$/.exec(trimmed);
  if (match === null) return null;
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  return low <= high && high <= 65535 ? [low, high] : null;
}

function collect(single: string | undefined, plural: readonly string[] | undefined): string[] {
  return [...(single === undefined ? [] : [single]), ...(plural ?? [])].filter((s) => s.trim() !== '');
}

function matchDestinationPorts(ranges: readonly string[], ctx: FlowContext): Match {
  if (ranges.length === 0) return { why: 'the rule names no destination port' };
  return anyOf(
    ranges.map((text): Match => {
      const range = parsePortRange(text);
      if (range === null) return { why: `destination port range '${text}' is not recognised` };
      return range[0] <= ctx.port && ctx.port <= range[1];
    }),
  );
}

/** The client's source port is an unknown ephemeral port: only ranges covering 1024-65535 surely match it. */
function matchSourcePorts(ranges: readonly string[]): Match {
  if (ranges.length === 0) return { why: 'the rule names no source port' };
  const parsed = ranges.map(parsePortRange).filter((r): r is [number, number] => r !== null);
  parsed.sort((a, b) => a[0] - b[0]);
  let coveredTo = 1023;
  for (const [low, high] of parsed) {
    if (low > coveredTo + 1) break;
    coveredTo = Math.max(coveredTo, high);
  }
  if (coveredTo >= 65535) return true;
  return { why: `it limits source ports to ${ranges.join(', ')} and the client's source port is not known` };
}

function matchProtocol(protocol: string | undefined): Match {
  switch (protocol?.toLowerCase()) {
    case '*':
    case 'all':
    case 'tcp':
      return true;
    case 'udp':
    case 'icmp':
    case 'esp':
    case 'ah':
      return false;
    default:
      return { why: `protocol '${protocol ?? ''}' is not recognised` };
  }
}

function asgName(id: string): string {
  return id.split('/').pop() || id;
}

function matchRule(props: SecurityRuleProperties, ctx: FlowContext): Match {
  const protocol = matchProtocol(props.protocol);
  if (protocol === false) return false;
  const destinationPorts = matchDestinationPorts(
    collect(props.destinationPortRange, props.destinationPortRanges),
    ctx,
  );
  if (destinationPorts === false) return false;

  const destinationAsgs = (props.destinationApplicationSecurityGroups ?? []).flatMap((ref) =>
    ref.id === undefined ? [] : [ref.id],
  );
  const destination = anyOf([
    ...collect(props.destinationAddressPrefix, props.destinationAddressPrefixes).map((p) =>
      matchDestinationPrefix(p, ctx),
    ),
    ...destinationAsgs.map((id): Match => {
      if (ctx.nicAsgIds === null) return { why: "the NIC's application security groups are unknown" };
      return ctx.nicAsgIds.has(id.toLowerCase());
    }),
  ]);
  if (destination === false) return false;

  const sourceAsgs = (props.sourceApplicationSecurityGroups ?? []).flatMap((ref) =>
    ref.id === undefined ? [] : [ref.id],
  );
  const source = anyOf([
    ...collect(props.sourceAddressPrefix, props.sourceAddressPrefixes).map((p) => matchSourcePrefix(p, ctx)),
    ...sourceAsgs.map((id): Match => {
      // A Bastion is never a member of an application security group.
      if (ctx.sourcePublic || ctx.sourceRange) return false;
      if (ctx.source === null) return ctx.unknownSource;
      return {
        why: `it is not known whether ${ctx.sourceText} belongs to application security group ${asgName(id)}`,
      };
    }),
  ]);

  return allOf([
    protocol,
    destinationPorts,
    destination,
    source,
    matchSourcePorts(collect(props.sourcePortRange, props.sourcePortRanges)),
  ]);
}

// --- Layers -------------------------------------------------------------------------------------------------

interface InboundRule {
  name: string;
  priority: number;
  access: NsgAccess;
  properties: SecurityRuleProperties;
}

function parseAccess(access: string | undefined): NsgAccess | null {
  switch (access?.toLowerCase()) {
    case 'allow':
      return 'Allow';
    case 'deny':
      return 'Deny';
    default:
      return null;
  }
}

function ruleName(rule: SecurityRule, priority: number): string {
  return rule.name ?? (rule.id?.split('/').pop() || `priority ${priority}`);
}

/** Inbound rules with a usable priority and access (ARM always has both), unsorted. */
function inbound(rules: readonly SecurityRule[]): InboundRule[] {
  return rules.flatMap((rule) => {
    const properties = rule.properties;
    if (properties?.direction?.toLowerCase() !== 'inbound') return [];
    const priority = properties.priority;
    const access = parseAccess(properties.access);
    if (typeof priority !== 'number' || !Number.isFinite(priority) || access === null) return [];
    return [{ name: ruleName(rule, priority), priority, access, properties }];
  });
}

function nsgName(nsg: NetworkSecurityGroup): string {
  return nsg.name ?? (nsg.id.split('/').pop() || nsg.id);
}

function evaluateWithContext(nsg: NetworkSecurityGroup | null, ctx: FlowContext): NsgLayerResult {
  if (nsg === null) {
    return {
      nsgId: null,
      nsgName: null,
      access: 'Allow',
      rule: null,
      priority: null,
      certain: true,
      jit: false,
      candidates: [],
    };
  }
  const custom = inbound(nsg.properties?.securityRules ?? []);
  const givenDefaults = inbound(nsg.properties?.defaultSecurityRules ?? []);
  const defaults = givenDefaults.length > 0 ? givenDefaults : inbound(DEFAULT_INBOUND_RULES);
  // Array.prototype.sort is stable, so equal priorities (invalid in Azure) keep custom rules first.
  const rules = [...custom, ...defaults].sort((a, b) => a.priority - b.priority);

  const candidates: NsgCandidateRule[] = [];
  for (const rule of rules) {
    const match = matchRule(rule.properties, ctx);
    if (match === false) continue;
    candidates.push({
      name: rule.name,
      priority: rule.priority,
      access: rule.access,
      jit: isJitRuleName(rule.name),
      doubt: match === true ? null : match.why,
    });
    if (match === true) break;
  }
  const first = candidates[0];
  const last = candidates.at(-1);
  const certain =
    first !== undefined && last?.doubt === null && candidates.every((c) => c.access === first.access);
  return {
    nsgId: nsg.id,
    nsgName: nsgName(nsg),
    access: first?.access ?? null,
    rule: first?.name ?? null,
    priority: first?.priority ?? null,
    certain,
    jit: first?.jit ?? false,
    candidates,
  };
}

/** Evaluates one NSG (null: none attached, which allows) for the flow. */
export function evaluateNsgLayer(nsg: NetworkSecurityGroup | null, flow: NsgFlow): NsgLayerResult {
  return evaluateWithContext(nsg, flowContext(flow));
}

// --- Summary ------------------------------------------------------------------------------------------------

type LayerName = 'subnet' | 'nic';

function layerLabel(layer: LayerName, result: NsgLayerResult): string {
  return `the ${layer === 'subnet' ? "subnet's" : "NIC's"} NSG ${result.nsgName ?? ''}`;
}

function verb(access: NsgAccess): string {
  return access === 'Allow' ? 'allows' : 'denies';
}

function ruleRef(candidate: NsgCandidateRule): string {
  if (!candidate.jit) return `rule ${candidate.name}`;
  return candidate.access === 'Allow'
    ? `just-in-time rule ${candidate.name} (a granted JIT window)`
    : `just-in-time rule ${candidate.name}`;
}

/** A layer whose access is certain: "the NIC's NSG x denies TCP 3389 from y by rule z". */
function certainClause(layer: LayerName, result: NsgLayerResult, flow: string): string {
  const [first] = result.candidates;
  const decider = result.candidates.at(-1);
  if (first === undefined || decider === undefined) return `${layerLabel(layer, result)} decides nothing`;
  const text = `${layerLabel(layer, result)} ${verb(first.access)} ${flow} by ${ruleRef(first)}`;
  return first === decider ? text : `${text}, or by ${ruleRef(decider)} if ${first.name} does not apply`;
}

/** A layer whose access is not certain: what decides if the first candidate applies, and what otherwise. */
function uncertainClause(layer: LayerName, result: NsgLayerResult, flow: string): string {
  const label = layerLabel(layer, result);
  const [first] = result.candidates;
  if (first === undefined) return `${label} has no inbound rule that matches ${flow}`;
  const text = `${label} ${verb(first.access)} ${flow} by ${ruleRef(first)} only if that rule applies (${first.doubt ?? 'it applies'})`;
  const other = result.candidates.find((c) => c.access !== first.access);
  if (other === undefined) return `${text}; otherwise no rule in it decides`;
  const base = other.access === 'Allow' ? 'allow' : 'deny';
  return other.doubt === null
    ? `${text}; otherwise ${ruleRef(other)} ${verb(other.access)} it`
    : `${text}; otherwise ${ruleRef(other)} may ${base} it`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const AVNM_NOTE = 'Virtual Network Manager security admin rules, if any, are not visible to this check';

function summarise(status: NsgStatus, layers: Record<LayerName, NsgLayerResult>, flow: string): string {
  const names: LayerName[] = ['subnet', 'nic'];
  if (status === 'pass') {
    const filtered = names.filter((n) => layers[n].nsgId !== null);
    const [one, two] = filtered;
    if (one === undefined) {
      return `No NSG is attached to the subnet or the NIC, so nothing filters ${flow} (${AVNM_NOTE}).`;
    }
    if (two === undefined) {
      const without = one === 'subnet' ? 'the NIC has' : 'the subnet has';
      return `${capitalise(certainClause(one, layers[one], flow))} and ${without} no NSG (${AVNM_NOTE}).`;
    }
    return `${capitalise(certainClause(one, layers[one], flow))}, and ${certainClause(two, layers[two], 'it')} (${AVNM_NOTE}).`;
  }
  if (status === 'fail') {
    const denying = names.filter((n) => layers[n].certain && layers[n].access === 'Deny');
    const clauses = denying.map((n, i) => certainClause(n, layers[n], i === 0 ? flow : 'it as well'));
    const jit = denying.some((n) => layers[n].jit)
      ? '; request just-in-time access for this IP instead of adding an NSG rule'
      : '';
    return `${capitalise(clauses.join(', and '))}${jit}.`;
  }
  const doubtful = names.filter((n) => !layers[n].certain);
  const clauses = doubtful.map((n, i) => uncertainClause(n, layers[n], i === 0 ? flow : 'it'));
  return `${capitalise(clauses.join('; and '))}.`;
}

/**
 * Evaluates inbound TCP to the RDP port through the subnet NSG and then the NIC NSG. Both layers are always
 * evaluated and reported, even when the subnet already denies.
 */
export function evaluateNsgs(input: NsgEvaluationInput): NsgEvaluation {
  const ctx = flowContext(input);
  const layers = {
    subnet: evaluateWithContext(input.subnetNsg, ctx),
    nic: evaluateWithContext(input.nicNsg, ctx),
  };
  const all = [layers.subnet, layers.nic];
  const status: NsgStatus = all.some((l) => l.certain && l.access === 'Deny')
    ? 'fail'
    : all.every((l) => l.certain && l.access === 'Allow')
      ? 'pass'
      : 'warn';
  const from = ctx.sourceText ?? (input.sourceIp === null ? 'an unknown source IP' : `'${input.sourceIp}'`);
  return { status, layers, summary: summarise(status, layers, `TCP ${ctx.port} from ${from}`) };
}
