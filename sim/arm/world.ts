/**
 * The simulated subscription's initial resources, built from the short description of each named VM in
 * vm-table.ts. Every id is consistent across the chain VM → NIC → public IP → subnet/VNet (another resource
 * group) → NSG → load balancer → JIT policy. `createWorld()` returns fresh objects: `reset()` simply builds a new world.
 */
import { createHash } from 'node:crypto';
import {
  bastionId,
  diskId,
  ipConfigurationId,
  jitPolicyId,
  LOCATION,
  loadBalancerId,
  NETWORK_GROUP,
  nicId,
  nsgId,
  publicIpId,
  resourceId,
  subnetId,
  VM_GROUP,
  vmId,
  vnetId,
} from './ids';
import type {
  BastionHost,
  JitPolicy,
  LoadBalancer,
  NetworkInterface,
  NetworkSecurityGroup,
  PowerState,
  PublicIpAddress,
  SecurityRule,
  SecurityRuleProperties,
  VirtualMachine,
  VirtualNetwork,
} from './shapes';
import {
  BASTION_VNETS,
  BASTIONS,
  type BastionSpec,
  JIT_ALLOW_RULES,
  JIT_POLICY,
  LB,
  type NicSpec,
  type PublicIpSpec,
  type RuleSpec,
  SUBNETS,
  type SubnetName,
  staticIp,
  VMS,
  type VmSpec,
  VNET,
  type VnetSpec,
} from './vm-table';

export interface VmRecord {
  id: string;
  /** The VM body as ARM returns it without `$expand` (the instance view is derived from `powerState`). */
  body: VirtualMachine;
  powerState: PowerState;
}

/** A started VM's `Microsoft.Compute/locations/{loc}/operations/{id}`. */
export interface StartOperation {
  id: string;
  vmKey: string;
  polls: number;
  startTime: string;
  endTime?: string;
}

export interface World {
  /** Every map is keyed by the lower-cased resource id (ARM ids are case-insensitive). */
  vms: Map<string, VmRecord>;
  nics: Map<string, NetworkInterface>;
  publicIps: Map<string, PublicIpAddress>;
  nsgs: Map<string, NetworkSecurityGroup>;
  vnets: Map<string, VirtualNetwork>;
  loadBalancers: Map<string, LoadBalancer>;
  bastions: Map<string, BastionHost>;
  jitPolicies: Map<string, JitPolicy>;
  /** The address a dynamic public IP gets when its VM starts, by public IP key. */
  dynamicAddresses: Map<string, string>;
  /** Name of the NSG allow rule JIT writes for a grant, by `${vm key}|${port}`. */
  jitAllowRuleNames: Map<string, string>;
  operations: Map<string, StartOperation>;
}

export const key = (id: string) => id.toLowerCase();

/** Deterministic ids so that two runs of the simulation answer the same bodies. */
export function stableGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function stableHex(seed: string, length: number): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, length).toUpperCase();
}

// ---------------------------------------------------------------------------------------------- rules

export function securityRule(nsg: string, name: string, properties: SecurityRuleProperties): SecurityRule {
  return { name, id: `${nsg}/securityRules/${name}`, properties };
}

function customRule(nsg: string, spec: RuleSpec): SecurityRule {
  return securityRule(nsg, spec.name, {
    provisioningState: 'Succeeded',
    ...(spec.description === undefined ? {} : { description: spec.description }),
    protocol: spec.protocol,
    sourcePortRange: '*',
    destinationPortRange: spec.port,
    sourceAddressPrefix: spec.source,
    destinationAddressPrefix: spec.destination ?? '*',
    access: spec.access,
    priority: spec.priority,
    direction: 'Inbound',
  });
}

/** The six rules every NSG has, exactly as in network_NetworkSecurityGroups_Get. */
function defaultRules(nsg: string): SecurityRule[] {
  const rule = (
    name: string,
    description: string,
    source: string,
    destination: string,
    access: 'Allow' | 'Deny',
    priority: number,
    direction: 'Inbound' | 'Outbound',
  ): SecurityRule => ({
    name,
    id: `${nsg}/defaultSecurityRules/${name}`,
    properties: {
      provisioningState: 'Succeeded',
      description,
      protocol: '*',
      sourcePortRange: '*',
      destinationPortRange: '*',
      sourceAddressPrefix: source,
      destinationAddressPrefix: destination,
      access,
      priority,
      direction,
    },
  });
  return [
    rule(
      'AllowVnetInBound',
      'Allow inbound traffic from all VMs in VNET',
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow',
      65000,
      'Inbound',
    ),
    rule(
      'AllowAzureLoadBalancerInBound',
      'Allow inbound traffic from azure load balancer',
      'AzureLoadBalancer',
      '*',
      'Allow',
      65001,
      'Inbound',
    ),
    rule('DenyAllInBound', 'Deny all inbound traffic', '*', '*', 'Deny', 65500, 'Inbound'),
    rule(
      'AllowVnetOutBound',
      'Allow outbound traffic from all VMs to all VMs in VNET',
      'VirtualNetwork',
      'VirtualNetwork',
      'Allow',
      65000,
      'Outbound',
    ),
    rule(
      'AllowInternetOutBound',
      'Allow outbound traffic from all VMs to Internet',
      '*',
      'Internet',
      'Allow',
      65001,
      'Outbound',
    ),
    rule('DenyAllOutBound', 'Deny all outbound traffic', '*', '*', 'Deny', 65500, 'Outbound'),
  ];
}

function networkSecurityGroup(group: string, name: string, rules: RuleSpec[]): NetworkSecurityGroup {
  const id = nsgId(group, name);
  return {
    name,
    id,
    type: 'Microsoft.Network/networkSecurityGroups',
    location: LOCATION,
    properties: {
      provisioningState: 'Succeeded',
      securityRules: rules.map((r) => customRule(id, r)),
      defaultSecurityRules: defaultRules(id),
    },
  };
}

function virtualMachine(spec: VmSpec): VirtualMachine {
  const windows = spec.os === 'Windows';
  const diskName = `${spec.name}_OsDisk_1_${stableHex(`${spec.name}/disk`, 32).toLowerCase()}`;
  return {
    name: spec.name,
    id: vmId(spec.name),
    type: 'Microsoft.Compute/virtualMachines',
    location: LOCATION,
    tags: { purpose: 'rdp-now-demo' },
    etag: '"3"',
    properties: {
      vmId: stableGuid(`${spec.name}/vmId`),
      hardwareProfile: { vmSize: 'Standard_B2s' },
      storageProfile: {
        imageReference: windows
          ? {
              publisher: 'MicrosoftWindowsServer',
              offer: 'WindowsServer',
              sku: '2022-datacenter-azure-edition',
              version: 'latest',
            }
          : {
              publisher: 'Canonical',
              offer: '0001-com-ubuntu-server-jammy',
              sku: '22_04-lts-gen2',
              version: 'latest',
            },
        osDisk: {
          osType: spec.os,
          name: diskName,
          createOption: 'FromImage',
          caching: 'ReadWrite',
          managedDisk: { storageAccountType: 'Premium_LRS', id: diskId(diskName) },
          diskSizeGB: windows ? 127 : 30,
        },
        dataDisks: [],
      },
      osProfile: {
        computerName: spec.name,
        adminUsername: 'azureuser',
        ...(windows
          ? { windowsConfiguration: { provisionVMAgent: true, enableAutomaticUpdates: true } }
          : { linuxConfiguration: { disablePasswordAuthentication: true, provisionVMAgent: true } }),
        secrets: [],
      },
      networkProfile: {
        networkInterfaces: spec.nics.map((nic) =>
          nic.primary === undefined
            ? { id: nicId(nic.name) }
            : { id: nicId(nic.name), properties: { primary: nic.primary } },
        ),
      },
      diagnosticsProfile: { bootDiagnostics: { enabled: true } },
      extensionsTimeBudget: 'PT1H30M',
      provisioningState: 'Succeeded',
      timeCreated: '2024-11-04T08:15:27.4107368+00:00',
    },
  };
}

function networkInterface(vm: VmSpec, nic: NicSpec, index: number): NetworkInterface {
  const config = 'ipconfig1';
  return {
    name: nic.name,
    id: nicId(nic.name),
    location: LOCATION,
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [
        {
          name: config,
          id: ipConfigurationId(nic.name, config),
          properties: {
            provisioningState: 'Succeeded',
            privateIPAddress: nic.privateIp,
            privateIPAllocationMethod: 'Dynamic',
            ...(nic.publicIp ? { publicIPAddress: { id: publicIpId(nic.publicIp.name) } } : {}),
            subnet: { id: subnetId(nic.vnet ?? VNET, nic.subnet) },
            primary: true,
            privateIPAddressVersion: 'IPv4',
            ...(nic.natRule
              ? {
                  loadBalancerInboundNatRules: [
                    { id: `${loadBalancerId(LB.name)}/inboundNatRules/${LB.natRule}` },
                  ],
                }
              : {}),
          },
        },
      ],
      dnsSettings: {
        dnsServers: [],
        appliedDnsServers: [],
        internalDomainNameSuffix: 'k3vq0dqy5ceuxhwkrfj2lbjcre.ax.internal.cloudapp.net',
      },
      macAddress: stableHex(`${nic.name}/mac`, 12).replace(/(..)(?!$)/g, '$1-'),
      enableAcceleratedNetworking: false,
      disableTcpStateTracking: false,
      enableIPForwarding: false,
      ...(nic.nsg ? { networkSecurityGroup: { id: nsgId(VM_GROUP, `${vm.name}-nsg`) } } : {}),
      primary: nic.primary ?? index === 0,
      virtualMachine: { id: vmId(vm.name) },
      vnetEncryptionSupported: false,
    },
    type: 'Microsoft.Network/networkInterfaces',
  };
}

function publicIpAddress(spec: PublicIpSpec, ipConfiguration: string): PublicIpAddress {
  return {
    name: spec.name,
    id: publicIpId(spec.name),
    location: LOCATION,
    properties: {
      provisioningState: 'Succeeded',
      ...(spec.address === undefined ? {} : { ipAddress: spec.address }),
      publicIPAddressVersion: 'IPv4',
      publicIPAllocationMethod: spec.allocation,
      idleTimeoutInMinutes: 4,
      ...(spec.dnsLabel === undefined
        ? {}
        : {
            dnsSettings: {
              domainNameLabel: spec.dnsLabel,
              fqdn: `${spec.dnsLabel}.${LOCATION}.cloudapp.azure.com`,
            },
          }),
      ipConfiguration: { id: ipConfiguration },
      ddosSettings: { protectionMode: 'VirtualNetworkInherited' },
      ipTags: [],
    },
    type: 'Microsoft.Network/publicIPAddresses',
  };
}

function virtualNetwork(): VirtualNetwork {
  return {
    name: VNET,
    id: vnetId(VNET),
    type: 'Microsoft.Network/virtualNetworks',
    location: LOCATION,
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
      subnets: (Object.keys(SUBNETS) as SubnetName[]).map((name) => {
        const { prefix, nsg } = SUBNETS[name];
        return {
          id: subnetId(VNET, name),
          name,
          properties: {
            addressPrefix: prefix,
            provisioningState: 'Succeeded',
            ...(nsg === undefined ? {} : { networkSecurityGroup: { id: nsgId(NETWORK_GROUP, nsg) } }),
          },
        };
      }),
      virtualNetworkPeerings: [],
      enableDdosProtection: false,
    },
  };
}

function loadBalancer(backendIpConfiguration: string): LoadBalancer {
  const id = loadBalancerId(LB.name);
  const frontend = `${id}/frontendIPConfigurations/${LB.frontend}`;
  const natRule = `${id}/inboundNatRules/${LB.natRule}`;
  return {
    name: LB.name,
    id,
    type: 'Microsoft.Network/loadBalancers',
    location: LOCATION,
    sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded',
      frontendIPConfigurations: [
        {
          name: LB.frontend,
          id: frontend,
          type: 'Microsoft.Network/loadBalancers/frontendIPConfigurations',
          properties: {
            provisioningState: 'Succeeded',
            privateIPAllocationMethod: 'Dynamic',
            publicIPAddress: { id: publicIpId(LB.ip) },
            inboundNatRules: [{ id: natRule }],
          },
        },
      ],
      backendAddressPools: [],
      loadBalancingRules: [],
      probes: [],
      inboundNatRules: [
        {
          name: LB.natRule,
          id: natRule,
          type: 'Microsoft.Network/loadBalancers/inboundNatRules',
          properties: {
            provisioningState: 'Succeeded',
            frontendIPConfiguration: { id: frontend },
            frontendPort: 50001,
            backendPort: 3389,
            protocol: 'Tcp',
            enableFloatingIP: false,
            idleTimeoutInMinutes: 4,
            enableTcpReset: false,
            backendIPConfiguration: { id: backendIpConfiguration },
          },
        },
      ],
      outboundRules: [],
      inboundNatPools: [],
    },
  };
}

function jitPolicy(vms: readonly VmSpec[]): JitPolicy {
  return {
    kind: 'Basic',
    properties: {
      virtualMachines: vms.map((vm) => ({
        id: vmId(vm.name),
        ports: [22, 3389].map((number) => ({
          number,
          protocol: '*' as const,
          allowedSourceAddressPrefix: '*',
          maxRequestAccessDuration: 'PT3H',
        })),
      })),
      requests: [],
      provisioningState: 'Succeeded',
    },
    id: jitPolicyId(JIT_POLICY),
    name: JIT_POLICY,
    type: 'Microsoft.Security/locations/jitNetworkAccessPolicies',
    location: LOCATION,
  };
}

export function createWorld(): World {
  const world: World = {
    vms: new Map(),
    nics: new Map(),
    publicIps: new Map(),
    nsgs: new Map(),
    vnets: new Map(),
    loadBalancers: new Map(),
    bastions: new Map(),
    jitPolicies: new Map(),
    dynamicAddresses: new Map(),
    jitAllowRuleNames: new Map(),
    operations: new Map(),
  };
  const add = <T extends { id: string }>(map: Map<string, T>, resource: T) =>
    map.set(key(resource.id), resource);

  let natBackend: string | undefined;
  for (const spec of VMS) {
    add(world.vms, { id: vmId(spec.name), body: virtualMachine(spec), powerState: spec.power });
    spec.nics.forEach((nicSpec, index) => {
      const nic = networkInterface(spec, nicSpec, index);
      add(world.nics, nic);
      const config = nic.properties.ipConfigurations[0]?.id ?? '';
      if (nicSpec.natRule) natBackend = config;
      if (nicSpec.publicIp) {
        const ip = publicIpAddress(nicSpec.publicIp, config);
        add(world.publicIps, ip);
        if (nicSpec.publicIp.addressWhenStarted)
          world.dynamicAddresses.set(key(ip.id), nicSpec.publicIp.addressWhenStarted);
      }
      if (nicSpec.nsg) add(world.nsgs, networkSecurityGroup(VM_GROUP, `${spec.name}-nsg`, nicSpec.nsg));
    });
    if (spec.jit) {
      for (const [port, rule] of Object.entries(JIT_ALLOW_RULES)) {
        world.jitAllowRuleNames.set(`${key(vmId(spec.name))}|${port}`, rule);
      }
    }
  }
  if (natBackend) {
    const lb = loadBalancer(natBackend);
    add(world.loadBalancers, lb);
    const frontend = lb.properties.frontendIPConfigurations[0]?.id ?? '';
    add(world.publicIps, publicIpAddress(staticIp(LB.ip, '20.50.1.99'), frontend));
  }
  add(world.nsgs, networkSecurityGroup(NETWORK_GROUP, 'nsg-locked-subnet', []));
  add(world.vnets, virtualNetwork());
  for (const spec of BASTION_VNETS) add(world.vnets, bastionVnet(spec));
  for (const spec of BASTIONS) {
    const vnet = BASTION_VNETS.find((n) => n.name === spec.vnet) as VnetSpec;
    const host = bastionHost(spec, vnet.group);
    add(world.bastions, host);
    const config = host.properties.ipConfigurations[0];
    if (config) {
      const ip = publicIpAddress(staticIp(`${spec.name}-ip`, bastionAddress(spec.name)), config.id);
      add(world.publicIps, { ...ip, id: config.properties.publicIPAddress.id });
    }
  }
  add(world.jitPolicies, jitPolicy(VMS.filter((vm) => vm.jit)));
  return world;
}

// ------------------------------------------------------------------------------------------ the Bastion route

const BASTION_SUBNET = 'AzureBastionSubnet';

function bastionAddress(name: string): string {
  return `20.50.2.${10 + BASTIONS.findIndex((b) => b.name === name)}`;
}

function bastionVnet(spec: VnetSpec): VirtualNetwork {
  const id = vnetId(spec.name);
  const subnets = [
    ...(spec.defaultSubnet ? [{ name: 'default', prefix: spec.defaultSubnet }] : []),
    ...(spec.bastionSubnet ? [{ name: BASTION_SUBNET, prefix: spec.bastionSubnet }] : []),
  ];
  return {
    name: spec.name,
    id,
    type: 'Microsoft.Network/virtualNetworks',
    location: LOCATION,
    properties: {
      provisioningState: 'Succeeded',
      addressSpace: { addressPrefixes: [spec.prefix] },
      subnets: subnets.map(({ name, prefix }) => ({
        id: subnetId(spec.name, name),
        name,
        properties: { addressPrefix: prefix, provisioningState: 'Succeeded' },
      })),
      virtualNetworkPeerings: spec.peerings.map((peering) => {
        const remote = BASTION_VNETS.find((n) => n.name === peering.remote) as VnetSpec;
        const name = `peer-${peering.remote}`;
        return {
          name,
          id: `${id}/virtualNetworkPeerings/${name}`,
          type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings',
          properties: {
            provisioningState: 'Succeeded',
            peeringState: peering.state,
            peeringSyncLevel: peering.state === 'Connected' ? 'FullyInSync' : 'RemoteNotInSync',
            remoteVirtualNetwork: { id: vnetId(remote.name) },
            allowVirtualNetworkAccess: true,
            allowForwardedTraffic: false,
            allowGatewayTransit: false,
            useRemoteGateways: false,
            remoteAddressSpace: { addressPrefixes: [remote.prefix] },
            remoteVirtualNetworkAddressSpace: { addressPrefixes: [remote.prefix] },
          },
        };
      }),
      enableDdosProtection: false,
    },
  };
}

/** The DNS name of a simulated Bastion: `bst-<guid>.bastion.azure.com`, as in BastionHostGet.json. */
export function bastionDnsName(name: string): string {
  return `bst-${stableGuid(`${name}/dns`)}.bastion.azure.com`;
}

function bastionHost(spec: BastionSpec, group: string): BastionHost {
  const id = bastionId(group, spec.name);
  const config = 'IpConf';
  return {
    name: spec.name,
    id,
    type: 'Microsoft.Network/bastionHosts',
    location: LOCATION,
    sku: { name: spec.sku },
    properties: {
      provisioningState: 'Succeeded',
      dnsName: bastionDnsName(spec.name),
      scaleUnits: 2,
      disableCopyPaste: false,
      enableFileCopy: false,
      enableIpConnect: false,
      enableShareableLink: false,
      enableTunneling: spec.tunneling,
      enableKerberos: false,
      ipConfigurations: [
        {
          name: config,
          id: `${id}/bastionHostIpConfigurations/${config}`,
          type: 'Microsoft.Network/bastionHosts/bastionHostIpConfigurations',
          properties: {
            provisioningState: 'Succeeded',
            privateIPAllocationMethod: 'Dynamic',
            subnet: { id: subnetId(spec.vnet, BASTION_SUBNET) },
            publicIPAddress: {
              id: resourceId(group, 'Microsoft.Network/publicIPAddresses', `${spec.name}-ip`),
            },
          },
        },
      ],
    },
  };
}
