/**
 * Gathers every fact the checks judge, reading in parallel (see ResourceReader for how the chain is kept short).
 * Values are always read fresh; only resource ids (the topology) may come from a cache.
 */
import * as v from 'valibot';
import { API, type Arm } from '../azure/arm';
import { parentId, type Read, ResourceReader, read } from '../azure/resources';
import {
  type IpConfiguration,
  type JitPolicy,
  JitPolicySchema,
  type LoadBalancer,
  LoadBalancerSchema,
  type Nic,
  NicSchema,
  type Nsg,
  NsgSchema,
  type PublicIp,
  PublicIpSchema,
  parseBody,
  type Subnet,
  SubnetSchema,
  type Vm,
  VmSchema,
  type Vnet,
  VnetSchema,
} from '../azure/shapes';
import type { VmResourceId } from '../resource-id';
import { type BastionFacts, discoverBastions } from './bastion';

const Id = v.nullable(v.pipe(v.string(), v.maxLength(1024)));

/** Ids that change only when someone re-wires the VM: safe to cache, and re-checked against fresh reads. */
export const TopologySchema = v.object({
  nicId: Id,
  vnetId: Id,
  subnetId: Id,
  publicIpId: Id,
  nicNsgId: Id,
  subnetNsgId: Id,
  loadBalancerId: Id,
  natPublicIpId: Id,
});
export type Topology = v.InferOutput<typeof TopologySchema>;

export interface NatFacts {
  loadBalancer: LoadBalancer;
  frontendPort: number;
  publicIp: Read<PublicIp> | null;
}

export interface Facts {
  vm: Vm;
  nic: Read<Nic> | null;
  ipConfig: IpConfiguration | null;
  publicIp: Read<PublicIp> | null;
  vnet: Read<Vnet> | null;
  subnet: Read<Subnet> | null;
  nicNsg: Read<Nsg> | null;
  subnetNsg: Read<Nsg> | null;
  nat: Read<NatFacts | null> | null;
  jitPolicies: Read<JitPolicy[]>;
  topology: Topology;
  /** The Bastions in reach, when they were looked for (see `GatherOptions.via`); absent or null otherwise. */
  bastion?: Read<BastionFacts> | null;
}

/** Which routes to consider (docs/PROTOCOL.md §4.1 `--via`): `auto` looks for a Bastion when there is no public route. */
export type Via = 'direct' | 'bastion' | 'auto';

export interface GatherOptions {
  /** The port the VM's RDP service listens on. */
  port: number;
  /** The ids remembered from an earlier check of this VM, if any; may still be on its way (the VM is asked first). */
  known: Topology | null | Promise<Topology | null>;
  /** Default `direct` (no Bastion lookup); `--private` is `direct` too. */
  via?: Via;
}

/** Reads the VM (its failure is the caller's: nothing can be judged without it) and everything around it. */
export async function gatherFacts(arm: Arm, target: VmResourceId, options: GatherOptions): Promise<Facts> {
  // The VM is the root of the chain: asked first, so no connection limit ever queues it behind the others.
  const vmBody = arm.get(target.id, API.compute, { $expand: 'instanceView' });
  vmBody.catch(() => undefined);
  const known = await options.known;
  const reader = new ResourceReader(arm, known === null);
  if (known) {
    const { subnetId, ...rest } = known;
    // The subnet comes inside its VNet; only without a known VNet is it read on its own.
    for (const id of Object.values(rest)) if (id) reader.prefetch(id);
    if (subnetId && !known.vnetId) reader.prefetch(subnetId);
  } else {
    reader.prefetchGroup(target.id);
  }
  const jitPolicies = read(
    arm
      .list(
        `/subscriptions/${target.subscriptionId}/providers/Microsoft.Security/jitNetworkAccessPolicies`,
        API.security,
      )
      .then((items) => items.map((item) => parseBody(JitPolicySchema, item, 'a just-in-time access policy'))),
  );
  jitPolicies.catch(() => undefined);

  const vm = parseBody(VmSchema, await vmBody, `the virtual machine ${target.name}`);
  const nicId = primaryNicId(vm);
  const topology: Topology = {
    nicId,
    vnetId: null,
    subnetId: null,
    publicIpId: null,
    nicNsgId: null,
    subnetNsgId: null,
    loadBalancerId: null,
    natPublicIpId: null,
  };
  const fetch = <T>(id: string, schema: Parameters<typeof parseBody>[0], what: string): Promise<Read<T>> =>
    read(reader.resolve(id).then((body) => parseBody(schema, body, what) as T));

  const nic = nicId ? await fetch<Nic>(nicId, NicSchema, 'the network interface') : null;
  const ipConfig = nic?.ok ? primaryIpConfig(nic.value) : null;
  const props = ipConfig?.properties;
  topology.subnetId = props?.subnet?.id ?? null;
  topology.vnetId = topology.subnetId ? parentId(topology.subnetId, 'subnets') : null;
  topology.publicIpId = props?.publicIPAddress?.id ?? null;
  topology.nicNsgId = nic?.ok ? (nic.value.properties.networkSecurityGroup?.id ?? null) : null;

  const via = options.via ?? 'direct';
  const lookForBastion = () =>
    topology.vnetId
      ? read(
          discoverBastions(arm, {
            subscriptionId: target.subscriptionId,
            vnetId: topology.vnetId,
            vnet: fetch<Vnet>(topology.vnetId, VnetSchema, 'the virtual network'),
            resolve: (id) => arm.get(id, API.network),
          }),
        )
      : Promise.resolve(null);
  // Started with the other reads when no public route is possible; after the NAT rule when it might be one.
  const natRules = props?.loadBalancerInboundNatRules?.length ?? 0;
  const early =
    nic?.ok && (via === 'bastion' || (via === 'auto' && !topology.publicIpId && natRules === 0))
      ? lookForBastion()
      : null;
  const [publicIp, network, nicNsg, nat] = await Promise.all([
    topology.publicIpId
      ? fetch<PublicIp>(topology.publicIpId, PublicIpSchema, 'the public IP address')
      : null,
    readSubnet(topology, fetch),
    topology.nicNsgId ? fetch<Nsg>(topology.nicNsgId, NsgSchema, "the NIC's network security group") : null,
    readNat(ipConfig, options.port, topology, fetch),
  ]);
  const noNatRoute = nat?.ok === true && nat.value === null;
  const bastion =
    early ?? (nic?.ok && via === 'auto' && !topology.publicIpId && noNatRoute ? lookForBastion() : null);
  return {
    vm,
    nic,
    ipConfig,
    publicIp,
    vnet: network.vnet,
    subnet: network.subnet,
    nicNsg,
    subnetNsg: network.subnetNsg,
    nat,
    jitPolicies: await jitPolicies,
    topology,
    bastion: bastion ? await bastion : null,
  };
}

type Fetch = <T>(id: string, schema: Parameters<typeof parseBody>[0], what: string) => Promise<Read<T>>;

/** The subnet comes inside its VNet (which also gives the VNet's address space), then the subnet's NSG. */
async function readSubnet(topology: Topology, fetch: Fetch) {
  if (!topology.subnetId || !topology.vnetId) return { vnet: null, subnet: null, subnetNsg: null };
  const subnetKey = topology.subnetId.toLowerCase();
  const vnet = await fetch<Vnet>(topology.vnetId, VnetSchema, 'the virtual network');
  const inline = vnet.ok
    ? vnet.value.properties.subnets?.find((s) => s.id.toLowerCase() === subnetKey)
    : undefined;
  const subnet: Read<Subnet> = inline
    ? { ok: true, value: inline }
    : await fetch<Subnet>(topology.subnetId, SubnetSchema, 'the subnet');
  topology.subnetNsgId = subnet.ok ? (subnet.value.properties.networkSecurityGroup?.id ?? null) : null;
  const subnetNsg = topology.subnetNsgId
    ? await fetch<Nsg>(topology.subnetNsgId, NsgSchema, "the subnet's network security group")
    : null;
  return { vnet, subnet, subnetNsg };
}

/** A public load balancer's inbound NAT rule to the RDP port: its frontend port and public IP. */
async function readNat(
  ipConfig: IpConfiguration | null,
  port: number,
  topology: Topology,
  fetch: Fetch,
): Promise<Read<NatFacts | null> | null> {
  const ruleIds = ipConfig?.properties.loadBalancerInboundNatRules?.map((r) => r.id) ?? [];
  if (ruleIds.length === 0) return null;
  for (const ruleId of ruleIds) {
    topology.loadBalancerId = parentId(ruleId, 'inboundNatRules');
    const lb = await fetch<LoadBalancer>(topology.loadBalancerId, LoadBalancerSchema, 'the load balancer');
    if (!lb.ok) return lb;
    const rule = lb.value.properties.inboundNatRules?.find(
      (r) => r.id.toLowerCase() === ruleId.toLowerCase() && r.properties.backendPort === port,
    );
    if (!rule || rule.properties.frontendPort === undefined) continue;
    const frontendId = rule.properties.frontendIPConfiguration?.id.toLowerCase();
    const frontend = lb.value.properties.frontendIPConfigurations?.find(
      (f) => f.id.toLowerCase() === frontendId,
    );
    topology.natPublicIpId = frontend?.properties?.publicIPAddress?.id ?? null;
    const publicIp = topology.natPublicIpId
      ? await fetch<PublicIp>(topology.natPublicIpId, PublicIpSchema, "the load balancer's public IP address")
      : null;
    return {
      ok: true,
      value: { loadBalancer: lb.value, frontendPort: rule.properties.frontendPort, publicIp },
    };
  }
  return { ok: true, value: null };
}

/** The NIC marked primary, or the only (or first) one. */
export function primaryNicId(vm: Vm): string | null {
  const nics = vm.properties.networkProfile?.networkInterfaces ?? [];
  return (nics.find((n) => n.properties?.primary) ?? nics[0])?.id ?? null;
}

export function primaryIpConfig(nic: Nic): IpConfiguration | null {
  const configs = nic.properties.ipConfigurations;
  return configs.find((c) => c.properties.primary) ?? configs[0] ?? null;
}

export function powerStateOf(vm: Vm): string | null {
  const code = vm.properties.instanceView?.statuses?.find((s) => s.code.startsWith('PowerState/'))?.code;
  return code ? code.slice('PowerState/'.length) : null;
}
