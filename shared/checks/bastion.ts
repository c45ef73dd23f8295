/**
 * The Bastion route (docs/PROTOCOL.md §4.3): finding the Azure Bastions in reach of a VM with no public route
 * and judging whether one can carry a native-client tunnel. Discovery asks Resource Graph once; when Resource
 * Graph refuses or fails it falls back to ARM reads (the VM's VNet and the Bastion lists), started beside it so
 * the chain stays as short either way. Background and sources: docs/notes/bastion.md.
 */
import * as v from 'valibot';
import { API, type Arm, ArmError, RESOURCE_GRAPH_PATH } from '../azure/arm';
import { parentId, type Read, read } from '../azure/resources';
import type { Vnet } from '../azure/shapes';
import type { Check, CheckReport } from './report';

export const RESOURCE_GRAPH_API = '2024-04-01';

const Ref = v.looseObject({ id: v.string() });

export const BastionSchema = v.looseObject({
  id: v.string(),
  name: v.string(),
  sku: v.optional(v.looseObject({ name: v.optional(v.string()) })),
  properties: v.looseObject({
    provisioningState: v.optional(v.string()),
    dnsName: v.optional(v.string()),
    enableTunneling: v.optional(v.boolean()),
    virtualNetwork: v.optional(v.nullable(Ref)),
    ipConfigurations: v.optional(
      v.array(v.looseObject({ properties: v.optional(v.looseObject({ subnet: v.optional(Ref) })) })),
    ),
  }),
});
export type BastionBody = v.InferOutput<typeof BastionSchema>;

export const PeeringSchema = v.looseObject({
  properties: v.optional(
    v.looseObject({
      peeringState: v.optional(v.string()),
      remoteVirtualNetwork: v.optional(Ref),
      remoteAddressSpace: v.optional(v.looseObject({ addressPrefixes: v.optional(v.array(v.string())) })),
    }),
  ),
});
export type Peering = v.InferOutput<typeof PeeringSchema>;

/** One Bastion whose VNet is the VM's own (`Self`) or peered with it (the peering's state otherwise). */
export interface BastionCandidate {
  id: string;
  name: string;
  sku: string;
  dnsName: string | null;
  tunneling: boolean;
  state: string;
  vnetId: string;
  /** `Self`, or the state of the VM VNet's peering to the Bastion's VNet (`Connected`, `Initiated`, …). */
  reach: string;
  subnetId: string | null;
  /** The Bastion subnet's prefix, the source of the RDP traffic the VM sees; null when it could not be read. */
  subnetPrefix: string | null;
}

export interface BastionFacts {
  /** How the Bastions were found. */
  via: 'resource-graph' | 'arm';
  candidates: BastionCandidate[];
}

/** The VNet of a Bastion: `virtualNetwork.id` (Developer SKU), else its subnet's VNet. Lower-cased. */
export function bastionVnetId(bastion: BastionBody): string | null {
  const vnet = bastion.properties.virtualNetwork?.id;
  if (vnet) return vnet.toLowerCase();
  const subnet = bastion.properties.ipConfigurations?.[0]?.properties?.subnet?.id;
  return subnet ? parentId(subnet, 'subnets').toLowerCase() : null;
}

/** The peerings of a VNet body (its schema keeps them as unknown). */
export function peeringsOf(vnet: Vnet): Peering[] {
  const raw = (vnet.properties as { virtualNetworkPeerings?: unknown }).virtualNetworkPeerings;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p) => {
    const parsed = v.safeParse(PeeringSchema, p);
    return parsed.success ? [parsed.output] : [];
  });
}

const quote = (s: string) => s.replace(/'/g, "\\'");

/** The Resource Graph query: every Bastion in the VNet `vnetId` or a VNet peered with it, with its subnet's prefix. */
export function bastionQuery(vnetId: string): string {
  const V = quote(vnetId);
  return [
    "resources | where type =~ 'microsoft.network/bastionhosts'",
    '| extend subnetId = tolower(tostring(properties.ipConfigurations[0].properties.subnet.id))',
    "| extend vnetId = tolower(coalesce(tostring(properties.virtualNetwork.id), extract('(.*/virtualnetworks/[^/]+)/', 1, subnetId)))",
    `| join kind=inner (resources | where type =~ 'microsoft.network/virtualnetworks' and id =~ '${V}'`,
    '    | mv-expand p = properties.virtualNetworkPeerings limit 400',
    '    | project vnetId = tolower(tostring(p.properties.remoteVirtualNetwork.id)), reach = tostring(p.properties.peeringState)',
    `    | union (resources | where type =~ 'microsoft.network/virtualnetworks' and id =~ '${V}'`,
    "        | project vnetId = tolower(id), reach = 'Self')) on vnetId",
    "| join kind=leftouter (resources | where type =~ 'microsoft.network/virtualnetworks'",
    '    | mv-expand s = properties.subnets limit 400',
    "    | where tostring(s.name) =~ 'AzureBastionSubnet'",
    '    | project subnetId = tolower(tostring(s.id)), subnetPrefix = tostring(s.properties.addressPrefix)) on subnetId',
    '| project id, name, sku = tostring(sku.name), dnsName = tostring(properties.dnsName),',
    '    tunneling = tobool(properties.enableTunneling), state = tostring(properties.provisioningState),',
    '    vnetId, reach, subnetId, subnetPrefix',
  ].join('\n');
}

const GraphRow = v.looseObject({
  id: v.string(),
  name: v.string(),
  sku: v.optional(v.nullable(v.string())),
  dnsName: v.optional(v.nullable(v.string())),
  tunneling: v.optional(v.nullable(v.boolean())),
  state: v.optional(v.nullable(v.string())),
  vnetId: v.string(),
  reach: v.string(),
  subnetId: v.optional(v.nullable(v.string())),
  subnetPrefix: v.optional(v.nullable(v.string())),
});
const GraphReply = v.looseObject({ data: v.array(GraphRow) });

export interface DiscoverInput {
  subscriptionId: string;
  vnetId: string;
  /** The VM's VNet (its peerings), as gather reads it anyway. */
  vnet: Promise<Read<Vnet> | null>;
  /** A GET of a network resource (through the check's reader, so a body already read is reused). */
  resolve(id: string): Promise<unknown>;
}

/**
 * Resource Graph first; its refusal or failure (or an unreadable answer) falls back to ARM reads. The fallback's
 * first list (Bastions of the VM's subscription) starts beside the query, so either way the chain is one deep
 * after the NIC. A 403 of an ARM read rejects with that ArmError (the check is then `unknown`).
 */
export async function discoverBastions(arm: Arm, input: DiscoverInput): Promise<BastionFacts> {
  const lists = new Map<string, Promise<unknown[]>>();
  const listBastions = (subscription: string) => {
    const key = subscription.toLowerCase();
    let list = lists.get(key);
    if (!list) {
      list = arm.list(`/subscriptions/${subscription}/providers/Microsoft.Network/bastionHosts`, API.network);
      list.catch(() => undefined);
      lists.set(key, list);
    }
    return list;
  };
  listBastions(input.subscriptionId);
  try {
    const answer = await arm.send('POST', RESOURCE_GRAPH_PATH, RESOURCE_GRAPH_API, {
      query: bastionQuery(input.vnetId),
      options: { resultFormat: 'objectArray' },
    });
    // Arm.send resolves with the SDK's response when the POST needs no polling: its body is the answer.
    const body =
      answer !== null && typeof answer === 'object' && 'body' in answer && 'status' in answer
        ? (answer as { body: unknown }).body
        : answer;
    const parsed = v.safeParse(GraphReply, body);
    if (parsed.success) {
      return {
        via: 'resource-graph',
        candidates: parsed.output.data.map((row) => ({
          id: row.id,
          name: row.name,
          sku: row.sku ?? '',
          dnsName: row.dnsName || null,
          tunneling: row.tunneling === true,
          state: row.state ?? '',
          vnetId: row.vnetId,
          reach: row.reach,
          subnetId: row.subnetId || null,
          subnetPrefix: row.subnetPrefix || null,
        })),
      };
    }
  } catch (error) {
    if (!(error instanceof ArmError)) throw error;
    // Refused (403), throttled, unknown to the cloud…: ARM reads answer the same question.
  }
  return discoverWithArm(input, listBastions);
}

async function discoverWithArm(
  input: DiscoverInput,
  listBastions: (subscription: string) => Promise<unknown[]>,
): Promise<BastionFacts> {
  const vnet = await input.vnet;
  if (vnet && !vnet.ok) throw vnet.error;
  const reach = new Map<string, { state: string }>([[input.vnetId.toLowerCase(), { state: 'Self' }]]);
  for (const peering of vnet?.ok ? peeringsOf(vnet.value) : []) {
    const remote = peering.properties?.remoteVirtualNetwork?.id;
    if (remote) reach.set(remote.toLowerCase(), { state: peering.properties?.peeringState ?? 'Unknown' });
  }
  const subscriptions = new Set([...reach.keys()].map((id) => id.split('/')[2] ?? ''));
  const bodies = (await Promise.all([...subscriptions].filter(Boolean).map(listBastions))).flat();
  const found: BastionCandidate[] = [];
  for (const body of bodies) {
    const parsed = v.safeParse(BastionSchema, body);
    if (!parsed.success) continue;
    const bastion = parsed.output;
    const vnetId = bastionVnetId(bastion);
    const state = vnetId ? reach.get(vnetId) : undefined;
    if (!vnetId || !state) continue;
    found.push({
      id: bastion.id,
      name: bastion.name,
      sku: bastion.sku?.name ?? '',
      dnsName: bastion.properties.dnsName || null,
      tunneling: bastion.properties.enableTunneling === true,
      state: bastion.properties.provisioningState ?? '',
      vnetId,
      reach: state.state,
      subnetId: bastion.properties.ipConfigurations?.[0]?.properties?.subnet?.id ?? null,
      subnetPrefix: null,
    });
  }
  // Only the one the route would use needs its subnet's prefix (the NSG source).
  const chosen = nearest(found);
  if (chosen?.subnetId && blocker(chosen) === null) {
    const subnet = await read(input.resolve(chosen.subnetId));
    const prefix = subnet.ok
      ? (subnet.value as { properties?: { addressPrefix?: unknown } })?.properties?.addressPrefix
      : undefined;
    chosen.subnetPrefix = typeof prefix === 'string' ? prefix : null;
  }
  return { via: 'arm', candidates: found };
}

/** What keeps a Bastion from carrying the tunnel, or null when it is usable and in reach. */
export function blocker(c: BastionCandidate): 'peering' | 'sku' | 'tunneling' | 'provisioning' | null {
  if (c.reach !== 'Self' && c.reach !== 'Connected') return 'peering';
  if (c.sku !== 'Standard' && c.sku !== 'Premium') return 'sku';
  if (!c.tunneling) return 'tunneling';
  if (c.state !== 'Succeeded') return 'provisioning';
  return null;
}

/** The usable one if any, else the nearest: the VM's own VNet first, then Connected peers, then the others. */
export function nearest(candidates: readonly BastionCandidate[]): BastionCandidate | null {
  const rank = (c: BastionCandidate) =>
    (blocker(c) === null ? 0 : 3) + (c.reach === 'Self' ? 0 : c.reach === 'Connected' ? 1 : 2);
  const sorted = [...candidates].sort((a, b) => rank(a) - rank(b));
  return sorted[0] ?? null;
}

export interface BastionVerdict {
  check: Check;
  /** The Bastion the check judged (null when none was found or none could be read). */
  bastion: BastionCandidate | null;
}

/** The `bastion` check of docs/PROTOCOL.md §4.3. `facts` null: the lookup could not start (no VNet known). */
export function judgeBastion(facts: Read<BastionFacts> | null, vnetName: string | null): BastionVerdict {
  const check = (status: Check['status'], summary: string): Check => ({
    id: 'bastion',
    status,
    summary,
    fixes: [],
  });
  if (facts === null) {
    return {
      check: check('unknown', "Without the VM's virtual network no Azure Bastion can be looked for."),
      bastion: null,
    };
  }
  if (!facts.ok) {
    const error = facts.error;
    if (error.kind === 'forbidden') {
      return {
        check: check(
          'unknown',
          `The Bastion hosts or the VM's virtual network could not be read (you lack ${error.permission ?? 'Microsoft.Network/bastionHosts/read'}): ask an admin for the Reader role on the Bastion and the virtual networks.`,
        ),
        bastion: null,
      };
    }
    return {
      check: check('unknown', `The Bastion hosts could not be read: ${error.message}`),
      bastion: null,
    };
  }
  const chosen = nearest(facts.value.candidates);
  const where = vnetName ? `the virtual network ${vnetName}` : "the VM's virtual network";
  if (!chosen) {
    return {
      check: check(
        'fail',
        `No Azure Bastion is in ${where} or a VNet peered with it: ask an admin to deploy a Standard Bastion with native client support there (or to give the VM a public IP).`,
      ),
      bastion: null,
    };
  }
  const name = chosen.name;
  switch (blocker(chosen)) {
    case null:
      return {
        check: check(
          'pass',
          `RDP goes through the Azure Bastion ${name} (${chosen.sku}${chosen.reach === 'Self' ? '' : ', in a peered VNet'}) to the VM's private IP.`,
        ),
        bastion: chosen,
      };
    case 'peering':
      return {
        check: check(
          'fail',
          `The Bastion ${name} is in a VNet whose peering with ${where} is ${chosen.reach}, not Connected: ask an admin to re-sync or re-create the peering on both sides.`,
        ),
        bastion: chosen,
      };
    case 'sku':
      return {
        check: check(
          'fail',
          `The Bastion ${name} has the ${chosen.sku || 'unknown'} SKU, which native clients cannot use: ask an admin to upgrade it to Standard and turn on native client support.`,
        ),
        bastion: chosen,
      };
    case 'tunneling':
      return {
        check: check(
          'fail',
          `The Bastion ${name} has native client support turned off: ask an admin to turn it on (Bastion → Configuration → Native client support).`,
        ),
        bastion: chosen,
      };
    default:
      return {
        check: check(
          'fail',
          `The Bastion ${name} is not provisioned (its state is ${chosen.state || 'unknown'}): ask an admin to repair or redeploy it.`,
        ),
        bastion: chosen,
      };
  }
}

export interface BastionRoute {
  check: Check;
  /** The report's target on this route (or the direct one, with the judged Bastion named). */
  target: CheckReport['target'];
  /** When the route passes: the address check's verdict on it. */
  address: Check | null;
  /**
   * The source the NSG and JIT checks judge on the Bastion route (the Bastion subnet's prefix; null when it
   * could not be read); undefined when the route is not the Bastion's.
   */
  source?: string | null;
}

/** The `bastion` check and what it changes in the report; null when no Bastion was looked for. */
export function bastionRoute(
  facts: {
    bastion?: Read<BastionFacts> | null | undefined;
    topology: { vnetId: string | null };
    ipConfig: { properties: { privateIPAddress?: string | undefined } } | null;
  },
  direct: CheckReport['target'],
  port: number,
  forced: boolean,
): BastionRoute | null {
  if (facts.bastion === undefined || facts.bastion === null) return null;
  const vnetName = facts.topology.vnetId?.split('/').pop() ?? null;
  const verdict = judgeBastion(facts.bastion, vnetName);
  const chosen = verdict.bastion;
  const ref = chosen
    ? { bastion: { id: chosen.id, name: chosen.name, sku: chosen.sku, dnsName: chosen.dnsName } }
    : {};
  const none = { address: null, port, via: null, fqdn: null };
  if (verdict.check.status !== 'pass' || !chosen) {
    return { check: verdict.check, target: { ...(forced ? none : direct), ...ref }, address: null };
  }
  const privateIp = facts.ipConfig?.properties.privateIPAddress ?? null;
  return {
    check: verdict.check,
    target: { address: privateIp, port, via: 'bastion', fqdn: null, ...ref },
    address: {
      id: 'address',
      status: privateIp ? 'pass' : 'fail',
      summary: privateIp
        ? `RDP goes to the private IP ${privateIp} through the Azure Bastion ${chosen.name}.`
        : 'The network interface has no private IP address for the Bastion to reach.',
      fixes: [],
    },
    source: chosen.subnetPrefix,
  };
}

/** The VNet prefixes `VirtualNetwork` stands for on the Bastion route: the VM's VNet and its Connected peers. */
export function reachablePrefixes(vnet: Vnet): string[] {
  const own = vnet.properties.addressSpace?.addressPrefixes ?? [];
  const peers = peeringsOf(vnet)
    .filter((p) => p.properties?.peeringState === 'Connected')
    .flatMap((p) => p.properties?.remoteAddressSpace?.addressPrefixes ?? []);
  return [...own, ...peers];
}
