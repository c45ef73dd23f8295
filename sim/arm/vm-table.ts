/**
 * The simulated subscription's VMs as data: one short description per named VM (power state, OS, NICs, public
 * IPs, NSG rules, JIT) and the shared network around them. world.ts builds the ARM resources from it.
 */
import { HUB_GROUP, NETWORK_GROUP } from './ids';
import type { PowerState } from './shapes';

export const SIM_VM_NAMES = [
  'vm-ready',
  'vm-deallocated',
  'vm-stopped',
  'vm-jit',
  'vm-nsg-deny',
  'vm-private',
  'vm-lb-nat',
  'vm-linux',
  'vm-multi-nic',
  'vm-service-tag',
  'vm-bastion',
  'vm-bastion-basic',
  'vm-bastion-notunnel',
  'vm-bastion-unpeered',
] as const;
export type SimVmName = (typeof SIM_VM_NAMES)[number];

export interface RuleSpec {
  name: string;
  access: 'Allow' | 'Deny';
  protocol: string;
  source: string;
  port: string;
  priority: number;
  description?: string;
  destination?: string;
}

const RDP_FROM_ANYWHERE: RuleSpec = {
  name: 'RDP',
  access: 'Allow',
  protocol: 'Tcp',
  source: '*',
  port: '3389',
  priority: 300,
};

export const VNET = 'vnet-demo';
export const SUBNETS = {
  default: { prefix: '10.0.1.0/24', nsg: undefined },
  locked: { prefix: '10.0.2.0/24', nsg: 'nsg-locked-subnet' },
} as const;
export type SubnetName = keyof typeof SUBNETS;

export const JIT_POLICY = 'default';
const JIT_DENY_RULE = 'SecurityCenter-JITRule_-1105480617_9EF6D1D2A1';
export const JIT_ALLOW_RULES: Readonly<Record<number, string>> = {
  3389: 'SecurityCenter-JITRule-1170687618-8C18A5E1',
  22: 'SecurityCenter-JITRule-1170687618-3D52B0F7',
};
export const LB = {
  name: 'lb-demo',
  frontend: 'LoadBalancerFrontEnd',
  natRule: 'rdp-vm-lb-nat',
  ip: 'lb-demo-ip',
} as const;

export interface PublicIpSpec {
  name: string;
  allocation: 'Static' | 'Dynamic';
  /** Held now (a dynamic IP of a deallocated VM holds none). */
  address?: string;
  /** Assigned when the VM starts (dynamic IPs). */
  addressWhenStarted?: string;
  dnsLabel?: string;
}

export interface NicSpec {
  name: string;
  privateIp: string;
  subnet: SubnetName;
  /** A VNet of BASTION_VNETS (its `default` subnet) instead of vnet-demo's `subnet`. */
  vnet?: string;
  /** Written on the VM's NIC reference as `properties.primary`; omitted for a single NIC. */
  primary?: boolean;
  publicIp?: PublicIpSpec;
  nsg?: RuleSpec[];
  /** The NIC is the backend of the load balancer's RDP NAT rule. */
  natRule?: boolean;
}

export interface VmSpec {
  name: SimVmName;
  os: 'Windows' | 'Linux';
  power: PowerState;
  nics: NicSpec[];
  jit?: boolean;
}

const single = (name: SimVmName, privateIp: string, nic: Omit<NicSpec, 'name' | 'privateIp' | 'subnet'>) => [
  { name: `${name}-nic`, privateIp, subnet: 'default' as const, ...nic },
];
export const staticIp = (name: string, address: string): PublicIpSpec => ({
  name,
  allocation: 'Static',
  address,
});

const DIRECT_VMS: readonly VmSpec[] = [
  {
    name: 'vm-ready',
    os: 'Windows',
    power: 'running',
    nics: single('vm-ready', '10.0.1.4', {
      publicIp: { ...staticIp('vm-ready-ip', '20.50.1.10'), dnsLabel: 'vm-ready' },
      nsg: [RDP_FROM_ANYWHERE],
    }),
  },
  {
    name: 'vm-deallocated',
    os: 'Windows',
    power: 'deallocated',
    nics: single('vm-deallocated', '10.0.1.5', {
      publicIp: { name: 'vm-deallocated-ip', allocation: 'Dynamic', addressWhenStarted: '20.50.1.20' },
      nsg: [RDP_FROM_ANYWHERE],
    }),
  },
  {
    name: 'vm-stopped',
    os: 'Windows',
    power: 'stopped',
    nics: single('vm-stopped', '10.0.1.7', {
      publicIp: staticIp('vm-stopped-ip', '20.50.1.30'),
      nsg: [RDP_FROM_ANYWHERE],
    }),
  },
  {
    name: 'vm-jit',
    os: 'Windows',
    power: 'running',
    jit: true,
    nics: single('vm-jit', '10.0.1.8', {
      publicIp: staticIp('vm-jit-ip', '20.50.1.40'),
      nsg: [
        {
          name: JIT_DENY_RULE,
          access: 'Deny',
          protocol: 'Tcp',
          source: '*',
          port: '3389',
          priority: 1000,
          destination: '10.0.1.8',
          description: `ASC JIT Network Access rule for policy '${JIT_POLICY}' of VM 'vm-jit'.`,
        },
      ],
    }),
  },
  {
    name: 'vm-nsg-deny',
    os: 'Windows',
    power: 'running',
    nics: [
      {
        name: 'vm-nsg-deny-nic',
        privateIp: '10.0.2.4',
        subnet: 'locked',
        publicIp: staticIp('vm-nsg-deny-ip', '20.50.1.50'),
      },
    ],
  },
  {
    name: 'vm-private',
    os: 'Windows',
    power: 'running',
    nics: single('vm-private', '10.0.1.6', {
      nsg: [{ ...RDP_FROM_ANYWHERE, name: 'AllowRdpFromVirtualNetwork', source: 'VirtualNetwork' }],
    }),
  },
  {
    name: 'vm-lb-nat',
    os: 'Windows',
    power: 'running',
    nics: single('vm-lb-nat', '10.0.1.9', { natRule: true, nsg: [RDP_FROM_ANYWHERE] }),
  },
  {
    name: 'vm-linux',
    os: 'Linux',
    power: 'running',
    nics: single('vm-linux', '10.0.1.10', {
      publicIp: staticIp('vm-linux-ip', '20.50.1.80'),
      nsg: [{ ...RDP_FROM_ANYWHERE, name: 'SSH', port: '22' }],
    }),
  },
  {
    name: 'vm-multi-nic',
    os: 'Windows',
    power: 'running',
    nics: [
      { name: 'vm-multi-nic-nic1', privateIp: '10.0.1.11', subnet: 'default', primary: false },
      {
        name: 'vm-multi-nic-nic2',
        privateIp: '10.0.1.12',
        subnet: 'default',
        primary: true,
        publicIp: staticIp('vm-multi-nic-ip', '20.50.1.90'),
        nsg: [RDP_FROM_ANYWHERE],
      },
    ],
  },
  {
    name: 'vm-service-tag',
    os: 'Windows',
    power: 'running',
    nics: single('vm-service-tag', '10.0.1.13', {
      publicIp: staticIp('vm-service-tag-ip', '20.50.1.100'),
      nsg: [{ ...RDP_FROM_ANYWHERE, name: 'AllowRdpFromAzureCloud', source: 'AzureCloud', priority: 200 }],
    }),
  },
];

// ------------------------------------------------------------------------------------------ the Bastion route

export interface PeeringSpec {
  remote: string;
  state: 'Connected' | 'Initiated' | 'Disconnected';
}

/** VNets beside vnet-demo; each has a `default` subnet, and `bastionSubnet` when a Bastion lives there. */
export interface VnetSpec {
  name: string;
  group: string;
  prefix: string;
  defaultSubnet?: string;
  bastionSubnet?: string;
  peerings: PeeringSpec[];
}

export const BASTION_VNETS: readonly VnetSpec[] = [
  {
    name: 'vnet-hub',
    group: HUB_GROUP,
    prefix: '10.100.0.0/16',
    bastionSubnet: '10.100.1.0/26',
    peerings: [{ remote: 'vnet-spoke', state: 'Connected' }],
  },
  {
    name: 'vnet-spoke',
    group: NETWORK_GROUP,
    prefix: '10.10.0.0/16',
    defaultSubnet: '10.10.1.0/24',
    peerings: [{ remote: 'vnet-hub', state: 'Connected' }],
  },
  {
    name: 'vnet-basic',
    group: NETWORK_GROUP,
    prefix: '10.20.0.0/16',
    defaultSubnet: '10.20.1.0/24',
    bastionSubnet: '10.20.255.0/26',
    peerings: [],
  },
  {
    name: 'vnet-notunnel',
    group: NETWORK_GROUP,
    prefix: '10.30.0.0/16',
    defaultSubnet: '10.30.1.0/24',
    bastionSubnet: '10.30.255.0/26',
    peerings: [],
  },
  {
    // The hub side of this peering was deleted: Azure then shows this side as Disconnected.
    name: 'vnet-unpeered',
    group: NETWORK_GROUP,
    prefix: '10.40.0.0/16',
    defaultSubnet: '10.40.1.0/24',
    peerings: [{ remote: 'vnet-hub', state: 'Disconnected' }],
  },
];

export interface BastionSpec {
  name: string;
  vnet: string;
  sku: 'Basic' | 'Standard' | 'Premium' | 'Developer';
  tunneling: boolean;
}

export const BASTIONS: readonly BastionSpec[] = [
  { name: 'bas-hub', vnet: 'vnet-hub', sku: 'Standard', tunneling: true },
  { name: 'bas-basic', vnet: 'vnet-basic', sku: 'Basic', tunneling: false },
  { name: 'bas-notunnel', vnet: 'vnet-notunnel', sku: 'Standard', tunneling: false },
];

const inVnet = (name: SimVmName, vnet: string, privateIp: string, nsg?: RuleSpec[]): NicSpec[] => [
  { name: `${name}-nic`, privateIp, subnet: 'default', vnet, ...(nsg ? { nsg } : {}) },
];

/** One VM per verdict of the `bastion` check; appended to VMS so the other VMs keep their order. */
export const BASTION_VMS: readonly VmSpec[] = [
  {
    name: 'vm-bastion',
    os: 'Windows',
    power: 'running',
    nics: inVnet('vm-bastion', 'vnet-spoke', '10.10.1.4', [
      { ...RDP_FROM_ANYWHERE, name: 'AllowRdpFromBastion', source: '10.100.1.0/26' },
      { ...RDP_FROM_ANYWHERE, name: 'DenyRdp', access: 'Deny', priority: 400 },
    ]),
  },
  {
    name: 'vm-bastion-basic',
    os: 'Windows',
    power: 'running',
    nics: inVnet('vm-bastion-basic', 'vnet-basic', '10.20.1.4'),
  },
  {
    name: 'vm-bastion-notunnel',
    os: 'Windows',
    power: 'running',
    nics: inVnet('vm-bastion-notunnel', 'vnet-notunnel', '10.30.1.4'),
  },
  {
    name: 'vm-bastion-unpeered',
    os: 'Windows',
    power: 'running',
    nics: inVnet('vm-bastion-unpeered', 'vnet-unpeered', '10.40.1.4'),
  },
];

export const VMS: readonly VmSpec[] = [...DIRECT_VMS, ...BASTION_VMS];
