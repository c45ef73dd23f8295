import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INBOUND_RULES,
  evaluateNsgLayer,
  evaluateNsgs,
  isJitRuleName,
  type NetworkSecurityGroup,
  type NsgAccess,
  type NsgEvaluationInput,
  type NsgFlow,
  type NsgStatus,
  type SecurityRule,
} from '../../../../shared/nsg/evaluate.js';
import { allow, asgId, deny, nsgId, nsg as nsgWith, rule } from './rules.js';

const MY_IP = '203.0.113.7';
const VM_IP = '10.0.0.4';
const JIT_DENY = 'SecurityCenter-JITRule_-1105480617_9EF6964FE766478B9EC568B32FB82045';
const JIT_ALLOW = 'SecurityCenter-JITRule-1170687618-8C18BF8921F041989344B4F1E3A0C370';

/** The default rules as ARM returns them (inbound and outbound), as in the REST example NSG. */
const ARM_DEFAULTS: SecurityRule[] = [
  ...DEFAULT_INBOUND_RULES,
  {
    name: 'AllowVnetOutBound',
    properties: {
      priority: 65000,
      direction: 'Outbound',
      access: 'Allow',
      protocol: '*',
      sourceAddressPrefix: 'VirtualNetwork',
      sourcePortRange: '*',
      destinationAddressPrefix: 'VirtualNetwork',
      destinationPortRange: '*',
    },
  },
  {
    name: 'DenyAllOutBound',
    properties: {
      priority: 65500,
      direction: 'Outbound',
      access: 'Deny',
      protocol: '*',
      sourceAddressPrefix: '*',
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: '*',
    },
  },
];

const nsg = (name: string, rules: SecurityRule[], defaults: SecurityRule[] | undefined = ARM_DEFAULTS) =>
  nsgWith(name, rules, defaults);

function input(overrides: Partial<NsgEvaluationInput> = {}): NsgEvaluationInput {
  return {
    subnetNsg: null,
    nicNsg: null,
    sourceIp: MY_IP,
    destinationIp: VM_IP,
    nicAsgIds: [],
    ...overrides,
  };
}

interface Case {
  name: string;
  rules: SecurityRule[];
  flow?: Partial<NsgFlow>;
  status: NsgStatus;
  /** The NIC layer's deciding (first possibly matching) rule. */
  rule: string | null;
  /** Defaults to Allow for pass and Deny for fail. */
  access?: NsgAccess;
  jit?: boolean;
}

const cases: Case[] = [
  // Default rules and tags
  { name: 'default rules only: a public IP is denied', rules: [], status: 'fail', rule: 'DenyAllInBound' },
  {
    name: 'default rules only: a private source may be in the VNet',
    rules: [],
    flow: { sourceIp: '10.0.0.5' },
    status: 'warn',
    rule: 'AllowVnetInBound',
    access: 'Allow',
  },
  {
    name: 'default rules only: a source inside the given VNet prefixes is VirtualNetwork',
    rules: [],
    flow: { sourceIp: '10.0.0.5', virtualNetworkPrefixes: ['10.0.0.0/16'] },
    status: 'pass',
    rule: 'AllowVnetInBound',
  },
  {
    name: 'default rules only: a private source outside the VNet prefixes may still be peered',
    rules: [],
    flow: { sourceIp: '10.9.0.5', virtualNetworkPrefixes: ['10.0.0.0/16'] },
    status: 'warn',
    rule: 'AllowVnetInBound',
    access: 'Allow',
  },
  {
    name: 'default rules only: an unknown source may be in the VNet',
    rules: [],
    flow: { sourceIp: null },
    status: 'warn',
    rule: 'AllowVnetInBound',
    access: 'Allow',
  },
  { name: '* allows any source', rules: [allow('RDP', 300)], status: 'pass', rule: 'RDP' },
  {
    name: 'Any allows any source',
    rules: [allow('RDP', 300, { sourceAddressPrefix: 'Any' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'Internet matches a public IP',
    rules: [allow('RDP', 300, { sourceAddressPrefix: 'Internet' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'Internet is undecidable for a private IP',
    rules: [allow('RDP', 300, { sourceAddressPrefix: 'Internet' })],
    flow: { sourceIp: '10.1.2.3' },
    status: 'warn',
    rule: 'RDP',
    access: 'Allow',
  },
  {
    name: 'Internet does not match a source inside the VNet prefixes',
    rules: [deny('NoInternet', 200, { sourceAddressPrefix: 'Internet' })],
    flow: { sourceIp: '10.0.0.9', virtualNetworkPrefixes: ['10.0.0.0/16'] },
    status: 'pass',
    rule: 'AllowVnetInBound',
  },
  {
    name: 'VirtualNetwork does not match a public IP',
    rules: [allow('FromVnet', 300, { sourceAddressPrefix: 'VirtualNetwork' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'AzureLoadBalancer never matches a public IP',
    rules: [allow('FromLb', 300, { sourceAddressPrefix: 'AzureLoadBalancer' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'AzureLoadBalancer never matches even an unknown IP',
    rules: [allow('FromLb', 100, { sourceAddressPrefix: 'AzureLoadBalancer' }), deny('DenyAll', 4000)],
    flow: { sourceIp: null },
    status: 'fail',
    rule: 'DenyAll',
  },
  {
    name: 'AzureCloud cannot be resolved offline',
    rules: [allow('FromAzure', 300, { sourceAddressPrefix: 'AzureCloud' })],
    status: 'warn',
    rule: 'FromAzure',
    access: 'Allow',
  },
  {
    name: 'a regional service tag cannot be resolved offline',
    rules: [allow('FromStorage', 300, { sourceAddressPrefix: 'Storage.WestEurope' })],
    status: 'warn',
    rule: 'FromStorage',
    access: 'Allow',
  },
  {
    name: 'a service-tag deny before a * allow makes the verdict uncertain',
    rules: [deny('BlockAzure', 100, { sourceAddressPrefix: 'AzureCloud' }), allow('RDP', 200)],
    status: 'warn',
    rule: 'BlockAzure',
    access: 'Deny',
  },
  {
    name: 'a service-tag deny before the default deny still certainly denies',
    rules: [deny('BlockAzure', 100, { sourceAddressPrefix: 'AzureCloud' })],
    status: 'fail',
    rule: 'BlockAzure',
  },
  {
    name: 'an unrecognised prefix is undecidable',
    rules: [allow('Odd', 300, { sourceAddressPrefix: '10.0.0.0/33' })],
    status: 'warn',
    rule: 'Odd',
    access: 'Allow',
  },
  // IPv4 CIDRs and single addresses
  {
    name: 'a /24 containing the source',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.0/24' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'a /29 whose last address is the source',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.0/29' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'the /29 just after the source',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.8/29' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'a /31 holding the source as its upper address',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.6/31' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'the exact /32',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.7/32' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'a neighbouring single IP',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.6' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: '0.0.0.0/0 is any IPv4 source',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '0.0.0.0/0' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: '128.0.0.0/1 holds 203.0.113.7',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '128.0.0.0/1' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: '0.0.0.0/1 does not hold 203.0.113.7',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '0.0.0.0/1' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'host bits in a prefix are ignored',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.200/24' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'plural source prefixes, one containing the source',
    rules: [
      allow('RDP', 300, {
        sourceAddressPrefix: undefined,
        sourceAddressPrefixes: ['198.51.100.0/24', MY_IP],
      }),
    ],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'plural source prefixes, none containing the source',
    rules: [
      allow('RDP', 300, {
        sourceAddressPrefix: undefined,
        sourceAddressPrefixes: ['198.51.100.0/24', '192.0.2.1'],
      }),
    ],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  // Destination ports
  {
    name: 'a port range holding 3389',
    rules: [allow('RDP', 300, { destinationPortRange: '3000-4000' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'a port range starting just above 3389',
    rules: [allow('RDP', 300, { destinationPortRange: '3390-4000' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'a one-port range (effective-rules style)',
    rules: [allow('RDP', 300, { destinationPortRange: '3389-3389' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'a neighbouring single port',
    rules: [allow('RDP', 300, { destinationPortRange: '3388' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'any destination port',
    rules: [allow('All', 300, { destinationPortRange: '*' })],
    status: 'pass',
    rule: 'All',
  },
  {
    name: 'a port list holding 3389',
    rules: [allow('Mgmt', 300, { destinationPortRange: undefined, destinationPortRanges: ['22', '3389'] })],
    status: 'pass',
    rule: 'Mgmt',
  },
  {
    name: 'a port list without 3389',
    rules: [allow('Web', 300, { destinationPortRange: undefined, destinationPortRanges: ['22', '80-443'] })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'a port list of ranges just around 3389',
    rules: [
      allow('Around', 300, {
        destinationPortRange: undefined,
        destinationPortRanges: ['3300-3388', '3390-3400'],
      }),
    ],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'a custom RDP port is matched',
    rules: [allow('RDP', 300, { destinationPortRange: '3390' })],
    flow: { port: 3390 },
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'a rule for 3389 does not open a custom RDP port',
    rules: [allow('RDP', 300)],
    flow: { port: 3390 },
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  // Protocols
  ...(['Udp', 'Icmp', 'Esp', 'Ah'] as const).map(
    (protocol): Case => ({
      name: `protocol ${protocol} does not match TCP`,
      rules: [allow('RDP', 300, { protocol })],
      status: 'fail',
      rule: 'DenyAllInBound',
    }),
  ),
  ...(['*', 'Tcp', 'TCP'] as const).map(
    (protocol): Case => ({
      name: `protocol ${protocol} matches TCP`,
      rules: [allow('RDP', 300, { protocol })],
      status: 'pass',
      rule: 'RDP',
    }),
  ),
  // Source ports
  {
    name: 'source ports 1024-65535 cover every ephemeral port',
    rules: [allow('RDP', 300, { sourcePortRange: '1024-65535' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'source port list covering 1024-65535 in two pieces',
    rules: [
      allow('RDP', 300, { sourcePortRange: undefined, sourcePortRanges: ['40001-65535', '1024-40000'] }),
    ],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'source ports 49152-65535 may miss the client port',
    rules: [allow('RDP', 300, { sourcePortRange: '49152-65535' })],
    status: 'warn',
    rule: 'RDP',
    access: 'Allow',
  },
  {
    name: 'a single source port may miss the client port',
    rules: [allow('RDP', 300, { sourcePortRange: '80' })],
    status: 'warn',
    rule: 'RDP',
    access: 'Allow',
  },
  // Destination addresses
  {
    name: "the VM's private IP as destination",
    rules: [allow('RDP', 300, { destinationAddressPrefix: VM_IP })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: "the VM's subnet as destination",
    rules: [allow('RDP', 300, { destinationAddressPrefix: '10.0.0.0/24' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'another subnet as destination',
    rules: [allow('RDP', 300, { destinationAddressPrefix: '10.0.1.0/24' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'VirtualNetwork as destination holds the private IP',
    rules: [allow('RDP', 300, { destinationAddressPrefix: 'VirtualNetwork' })],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'Internet as destination does not hold the private IP',
    rules: [allow('RDP', 300, { destinationAddressPrefix: 'Internet' })],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'plural destination prefixes holding the private IP',
    rules: [
      allow('RDP', 300, {
        destinationAddressPrefix: undefined,
        destinationAddressPrefixes: ['10.0.1.5', VM_IP],
      }),
    ],
    status: 'pass',
    rule: 'RDP',
  },
  // Priority ordering
  {
    name: 'a deny at 100 wins over an allow at 200',
    rules: [deny('Block', 100), allow('RDP', 200)],
    status: 'fail',
    rule: 'Block',
  },
  {
    name: 'an allow at 100 wins over a deny at 200',
    rules: [allow('RDP', 100), deny('Block', 200)],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'rules listed out of order are sorted by priority',
    rules: [deny('Block', 500), allow('Late', 4000), allow('RDP', 150)],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'a UDP deny first does not decide TCP',
    rules: [deny('NoUdp', 100, { protocol: 'Udp' }), allow('RDP', 200)],
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'outbound rules are ignored',
    rules: [deny('NoOut', 100, { direction: 'Outbound' }), allow('RDP', 200)],
    status: 'pass',
    rule: 'RDP',
  },
  // Application security groups
  {
    name: 'destination ASG with the NIC a member',
    rules: [
      allow('ToRdpHosts', 300, {
        destinationAddressPrefix: undefined,
        destinationApplicationSecurityGroups: [{ id: asgId('rdp-hosts') }],
      }),
    ],
    flow: { nicAsgIds: [asgId('web'), asgId('rdp-hosts')] },
    status: 'pass',
    rule: 'ToRdpHosts',
  },
  {
    name: 'destination ASG membership is compared case-insensitively',
    rules: [
      allow('ToRdpHosts', 300, {
        destinationAddressPrefix: undefined,
        destinationApplicationSecurityGroups: [{ id: asgId('rdp-hosts') }],
      }),
    ],
    flow: { nicAsgIds: [asgId('rdp-hosts').toLowerCase()] },
    status: 'pass',
    rule: 'ToRdpHosts',
  },
  {
    name: 'destination ASG with the NIC not a member',
    rules: [
      allow('ToRdpHosts', 300, {
        destinationAddressPrefix: undefined,
        destinationApplicationSecurityGroups: [{ id: asgId('rdp-hosts') }],
      }),
    ],
    flow: { nicAsgIds: [asgId('web')] },
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'destination ASG with unknown membership',
    rules: [
      allow('ToRdpHosts', 300, {
        destinationAddressPrefix: undefined,
        destinationApplicationSecurityGroups: [{ id: asgId('rdp-hosts') }],
      }),
    ],
    flow: { nicAsgIds: null },
    status: 'warn',
    rule: 'ToRdpHosts',
    access: 'Allow',
  },
  {
    name: 'source ASG never matches a public IP',
    rules: [
      allow('FromJump', 300, {
        sourceAddressPrefix: undefined,
        sourceApplicationSecurityGroups: [{ id: asgId('jump') }],
      }),
    ],
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'source ASG is undecidable for an unknown IP',
    rules: [
      allow('FromJump', 300, {
        sourceAddressPrefix: undefined,
        sourceApplicationSecurityGroups: [{ id: asgId('jump') }],
      }),
      deny('DenyAll', 4000),
    ],
    flow: { sourceIp: null },
    status: 'warn',
    rule: 'FromJump',
    access: 'Allow',
  },
  // Just-in-time rules
  {
    name: 'a JIT deny without a grant',
    rules: [deny(JIT_DENY, 1000, { protocol: '*', destinationAddressPrefix: VM_IP })],
    status: 'fail',
    rule: JIT_DENY,
    jit: true,
  },
  {
    name: 'a JIT allow for the source IP (a granted window)',
    rules: [
      allow(JIT_ALLOW, 100, { protocol: '*', sourceAddressPrefix: MY_IP, destinationAddressPrefix: VM_IP }),
      deny(JIT_DENY, 1000, { protocol: '*', destinationAddressPrefix: VM_IP }),
    ],
    status: 'pass',
    rule: JIT_ALLOW,
    jit: true,
  },
  {
    name: 'a JIT allow for someone else leaves the JIT deny',
    rules: [
      allow(JIT_ALLOW, 100, {
        protocol: '*',
        sourceAddressPrefix: '198.51.100.9',
        destinationAddressPrefix: VM_IP,
      }),
      deny(JIT_DENY, 1000, { protocol: '*', destinationAddressPrefix: VM_IP }),
    ],
    status: 'fail',
    rule: JIT_DENY,
    jit: true,
  },
  {
    name: 'a JIT allow with an unknown source IP',
    rules: [
      allow(JIT_ALLOW, 100, { protocol: '*', sourceAddressPrefix: MY_IP, destinationAddressPrefix: VM_IP }),
      deny(JIT_DENY, 1000, { protocol: '*', destinationAddressPrefix: VM_IP }),
    ],
    flow: { sourceIp: null },
    status: 'warn',
    rule: JIT_ALLOW,
    access: 'Allow',
    jit: true,
  },
  // Unknown source IP
  {
    name: 'unknown source: a * allow decides',
    rules: [allow('RDP', 300)],
    flow: { sourceIp: null },
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'unknown source: 0.0.0.0/0 decides',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '0.0.0.0/0' })],
    flow: { sourceIp: null },
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'unknown source: a CIDR allow is uncertain',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.0/24' })],
    flow: { sourceIp: null },
    status: 'warn',
    rule: 'RDP',
    access: 'Allow',
  },
  {
    name: 'unknown source: a * deny decides',
    rules: [deny('Block', 100), allow('RDP', 200, { sourceAddressPrefix: '203.0.113.0/24' })],
    flow: { sourceIp: null },
    status: 'fail',
    rule: 'Block',
  },
  {
    name: 'a source that is not an IP address is treated as unknown',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.0/24' })],
    flow: { sourceIp: 'not-an-ip' },
    status: 'warn',
    rule: 'RDP',
    access: 'Allow',
  },
  // IPv6
  {
    name: 'an IPv6 source in an IPv6 prefix',
    rules: [allow('RDP6', 300, { sourceAddressPrefix: '2001:db8::/32' })],
    flow: { sourceIp: '2001:db8:0:1::7', destinationIp: 'fd00::4' },
    status: 'pass',
    rule: 'RDP6',
  },
  {
    name: 'an IPv6 source outside an IPv6 prefix',
    rules: [allow('RDP6', 300, { sourceAddressPrefix: '2001:db8::/32' })],
    flow: { sourceIp: '2001:db9::7', destinationIp: 'fd00::4' },
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'an IPv4 destination prefix does not hold an IPv6 private IP',
    rules: [allow('RDP', 300, { destinationAddressPrefix: '10.0.0.0/8' })],
    flow: { sourceIp: '2001:db8::7', destinationIp: 'fd00::4' },
    status: 'fail',
    rule: 'DenyAllInBound',
  },
  {
    name: 'an IPv6 destination prefix holds the IPv6 private IP',
    rules: [allow('RDP', 300, { destinationAddressPrefix: 'fd00::/64' })],
    flow: { sourceIp: '2001:db8::7', destinationIp: 'fd00::4' },
    status: 'pass',
    rule: 'RDP',
  },
  {
    name: 'an IPv4-mapped IPv6 source is matched as IPv4',
    rules: [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.0/24' })],
    flow: { sourceIp: '::ffff:203.0.113.7' },
    status: 'pass',
    rule: 'RDP',
  },
];

describe('evaluateNsgs: one NIC NSG', () => {
  it.each(cases)('$name', (c) => {
    const result = evaluateNsgs(input({ nicNsg: nsg('vm1-nsg', c.rules), ...c.flow }));
    expect(result.status).toBe(c.status);
    const nic = result.layers.nic;
    expect(nic.nsgId).toBe(nsgId('vm1-nsg'));
    expect(nic.rule).toBe(c.rule);
    expect(nic.access).toBe(c.access ?? (c.status === 'pass' ? 'Allow' : 'Deny'));
    expect(nic.certain).toBe(c.status !== 'warn');
    expect(nic.jit).toBe(c.jit ?? false);
    expect(result.layers.subnet).toMatchObject({ nsgId: null, access: 'Allow', rule: null, certain: true });
  });

  it('has a large table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });
});

describe('evaluateNsgs: both layers', () => {
  const openRdp = () => nsg('open-nsg', [allow('RDP', 300)]);
  const closed = () => nsg('closed-nsg', []);
  const maybe = () => nsg('maybe-nsg', [allow('FromAzure', 300, { sourceAddressPrefix: 'AzureCloud' })]);
  const layerCases: Array<{
    name: string;
    subnet: NetworkSecurityGroup | null;
    nic: NetworkSecurityGroup | null;
    status: NsgStatus;
    subnetRule: string | null;
    nicRule: string | null;
  }> = [
    { name: 'no NSG anywhere', subnet: null, nic: null, status: 'pass', subnetRule: null, nicRule: null },
    {
      name: 'only a NIC NSG that allows',
      subnet: null,
      nic: openRdp(),
      status: 'pass',
      subnetRule: null,
      nicRule: 'RDP',
    },
    {
      name: 'only a subnet NSG that allows',
      subnet: openRdp(),
      nic: null,
      status: 'pass',
      subnetRule: 'RDP',
      nicRule: null,
    },
    {
      name: 'both allow',
      subnet: openRdp(),
      nic: openRdp(),
      status: 'pass',
      subnetRule: 'RDP',
      nicRule: 'RDP',
    },
    {
      name: 'subnet denies, NIC allows (NIC still evaluated)',
      subnet: closed(),
      nic: openRdp(),
      status: 'fail',
      subnetRule: 'DenyAllInBound',
      nicRule: 'RDP',
    },
    {
      name: 'subnet allows, NIC denies',
      subnet: openRdp(),
      nic: closed(),
      status: 'fail',
      subnetRule: 'RDP',
      nicRule: 'DenyAllInBound',
    },
    {
      name: 'both deny',
      subnet: closed(),
      nic: closed(),
      status: 'fail',
      subnetRule: 'DenyAllInBound',
      nicRule: 'DenyAllInBound',
    },
    {
      name: 'subnet allows, NIC uncertain',
      subnet: openRdp(),
      nic: maybe(),
      status: 'warn',
      subnetRule: 'RDP',
      nicRule: 'FromAzure',
    },
    {
      name: 'subnet uncertain, NIC denies',
      subnet: maybe(),
      nic: closed(),
      status: 'fail',
      subnetRule: 'FromAzure',
      nicRule: 'DenyAllInBound',
    },
  ];

  it.each(layerCases)('$name', (c) => {
    const result = evaluateNsgs(input({ subnetNsg: c.subnet, nicNsg: c.nic }));
    expect(result.status).toBe(c.status);
    expect(result.layers.subnet.rule).toBe(c.subnetRule);
    expect(result.layers.nic.rule).toBe(c.nicRule);
    expect(result.layers.subnet.nsgId).toBe(c.subnet?.id ?? null);
    expect(result.layers.nic.nsgId).toBe(c.nic?.id ?? null);
  });

  it('reports a subnet JIT deny on the subnet layer only', () => {
    const subnet = nsg('subnet-nsg', [deny(JIT_DENY, 1000, { protocol: '*' })]);
    const result = evaluateNsgs(input({ subnetNsg: subnet, nicNsg: openRdp() }));
    expect(result.status).toBe('fail');
    expect(result.layers.subnet).toMatchObject({ access: 'Deny', jit: true, certain: true, priority: 1000 });
    expect(result.layers.nic).toMatchObject({ access: 'Allow', jit: false, certain: true, priority: 300 });
  });
});

describe('summaries', () => {
  it('names the layer, NSG and rule of a deny', () => {
    const result = evaluateNsgs(input({ nicNsg: nsg('vm1-nsg', []) }));
    expect(result.summary).toBe(
      "The NIC's NSG vm1-nsg denies TCP 3389 from 203.0.113.7 by rule DenyAllInBound.",
    );
  });

  it('names both layers when both deny', () => {
    const result = evaluateNsgs(input({ subnetNsg: nsg('snet-nsg', []), nicNsg: nsg('vm1-nsg', []) }));
    expect(result.summary).toBe(
      "The subnet's NSG snet-nsg denies TCP 3389 from 203.0.113.7 by rule DenyAllInBound, " +
        "and the NIC's NSG vm1-nsg denies it as well by rule DenyAllInBound.",
    );
  });

  it('sends a JIT deny to a JIT request, not a new NSG rule', () => {
    const result = evaluateNsgs(input({ nicNsg: nsg('vm1-nsg', [deny(JIT_DENY, 1000)]) }));
    expect(result.summary).toBe(
      `The NIC's NSG vm1-nsg denies TCP 3389 from 203.0.113.7 by just-in-time rule ${JIT_DENY}; ` +
        'request just-in-time access for this IP instead of adding an NSG rule.',
    );
  });

  it('says a pass cannot see Virtual Network Manager admin rules', () => {
    const result = evaluateNsgs(input({ nicNsg: nsg('vm1-nsg', [allow('RDP', 300)]) }));
    expect(result.summary).toBe(
      "The NIC's NSG vm1-nsg allows TCP 3389 from 203.0.113.7 by rule RDP and the subnet has no NSG " +
        '(Virtual Network Manager security admin rules, if any, are not visible to this check).',
    );
  });

  it('says when no NSG is attached at all', () => {
    expect(evaluateNsgs(input()).summary).toMatch(/^No NSG is attached to the subnet or the NIC/);
  });

  it('names a granted JIT window', () => {
    const rules = [allow(JIT_ALLOW, 100, { sourceAddressPrefix: MY_IP }), deny(JIT_DENY, 1000)];
    const result = evaluateNsgs(
      input({ subnetNsg: nsg('snet-nsg', [allow('RDP', 200)]), nicNsg: nsg('vm1-nsg', rules) }),
    );
    expect(result.summary).toContain(
      `and the NIC's NSG vm1-nsg allows it by just-in-time rule ${JIT_ALLOW} (a granted JIT window)`,
    );
  });

  it('explains an unknown source IP and what decides otherwise', () => {
    const rules = [allow('RDP', 300, { sourceAddressPrefix: '203.0.113.0/24' })];
    const result = evaluateNsgs(input({ nicNsg: nsg('vm1-nsg', rules), sourceIp: null }));
    expect(result.summary).toBe(
      "The NIC's NSG vm1-nsg allows TCP 3389 from an unknown source IP by rule RDP only if that rule applies " +
        '(the source IP is unknown); otherwise rule DenyAllInBound denies it.',
    );
  });

  it('names an unresolvable service tag', () => {
    const rules = [allow('FromAzure', 300, { sourceAddressPrefix: 'AzureCloud' })];
    const result = evaluateNsgs(input({ nicNsg: nsg('vm1-nsg', rules) }));
    expect(result.summary).toContain('service tag AzureCloud cannot be resolved offline');
  });

  it('mentions the fallback when the first deny may not apply', () => {
    const rules = [deny('BlockAzure', 100, { sourceAddressPrefix: 'AzureCloud' })];
    const result = evaluateNsgs(input({ nicNsg: nsg('vm1-nsg', rules) }));
    expect(result.summary).toBe(
      "The NIC's NSG vm1-nsg denies TCP 3389 from 203.0.113.7 by rule BlockAzure, " +
        'or by rule DenyAllInBound if BlockAzure does not apply.',
    );
  });
});

describe('default rules and ARM shapes', () => {
  it('uses the well-known default rules when defaultSecurityRules are missing', () => {
    const layer = evaluateNsgLayer(nsg('n', [], undefined), {
      sourceIp: MY_IP,
      destinationIp: VM_IP,
      nicAsgIds: [],
    });
    expect(layer).toMatchObject({ access: 'Deny', rule: 'DenyAllInBound', priority: 65500, certain: true });
  });

  it('uses the well-known default rules when properties are missing', () => {
    const layer = evaluateNsgLayer(
      { id: nsgId('bare') },
      { sourceIp: MY_IP, destinationIp: VM_IP, nicAsgIds: [] },
    );
    expect(layer).toMatchObject({ nsgName: 'bare', access: 'Deny', rule: 'DenyAllInBound' });
  });

  it('uses the well-known default rules when only outbound defaults are given', () => {
    const outboundOnly = ARM_DEFAULTS.filter((r) => r.properties?.direction === 'Outbound');
    const layer = evaluateNsgLayer(nsg('n', [], outboundOnly), {
      sourceIp: null,
      destinationIp: VM_IP,
      nicAsgIds: [],
    });
    expect(layer.candidates.map((c) => c.name)).toEqual(['AllowVnetInBound', 'DenyAllInBound']);
  });

  it('takes rule names from ids when names are missing', () => {
    const { name: _omitted, ...unnamed } = allow('FromId', 300);
    const layer = evaluateNsgLayer(nsg('n', [unnamed]), {
      sourceIp: MY_IP,
      destinationIp: VM_IP,
      nicAsgIds: [],
    });
    expect(layer.rule).toBe('FromId');
  });

  it('reads the REST example NSG (port 80 only)', () => {
    // The body of network_NetworkSecurityGroups_Get_2024-05-01.json (inbound part), with its extra fields.
    const body = {
      name: 'testnsg',
      id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/testnsg',
      type: 'Microsoft.Network/networkSecurityGroups',
      location: 'westus',
      properties: {
        provisioningState: 'Succeeded',
        securityRules: [
          {
            name: 'rule1',
            id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/testnsg/securityRules/rule1',
            properties: {
              provisioningState: 'Succeeded',
              protocol: '*',
              sourcePortRange: '*',
              destinationPortRange: '80',
              sourceAddressPrefix: '*',
              destinationAddressPrefix: '*',
              access: 'Allow',
              priority: 130,
              direction: 'Inbound',
            },
          },
        ],
        defaultSecurityRules: ARM_DEFAULTS,
      },
    };
    const flow = { sourceIp: MY_IP, destinationIp: VM_IP, nicAsgIds: [] };
    expect(evaluateNsgLayer(body, flow)).toMatchObject({
      access: 'Deny',
      rule: 'DenyAllInBound',
      certain: true,
    });
    expect(evaluateNsgLayer(body, { ...flow, port: 80 })).toMatchObject({ access: 'Allow', rule: 'rule1' });
  });

  it('rejects an impossible port', () => {
    expect(() => evaluateNsgs(input({ port: 0 }))).toThrow(RangeError);
    expect(() => evaluateNsgs(input({ port: 65536 }))).toThrow(RangeError);
    expect(() => evaluateNsgs(input({ port: 3389.5 }))).toThrow(RangeError);
  });
});

describe('isJitRuleName', () => {
  it.each([
    [JIT_DENY, true],
    [JIT_ALLOW, true],
    ['securitycenter-jitrule_123_ABC', true],
    ['SecurityCenter-JITRuleX', false],
    ['MyJITRule', false],
    ['RDP', false],
  ])('%s → %s', (name, expected) => {
    expect(isJitRuleName(name)).toBe(expected);
  });
});

// --- Property tests against a naive reference model -----------------------------------------------------------

interface ModelRule {
  name: string;
  priority: number;
  access: NsgAccess;
  protocol: string;
  sources: string[];
  ports: string[];
}

const octet = fc.constantFrom(0, 7, 8, 113, 128, 255);
const modelIp = fc.tuple(fc.constantFrom(20, 52, 203), octet, octet, octet).map((parts) => parts.join('.'));
const modelPort = fc.constantFrom(22, 80, 3388, 3389, 3390, 443);
const modelCidr = fc
  .tuple(modelIp, fc.constantFrom(0, 1, 7, 8, 16, 23, 24, 25, 31, 32))
  .map(([ip, bits]) => `${ip}/${bits}`);
const modelSource = fc.oneof(fc.constant('*'), modelCidr, modelIp);
const modelPortSpec = fc.oneof(
  fc.constant('*'),
  modelPort.map(String),
  fc.tuple(modelPort, modelPort).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
);

const modelRules = fc
  .uniqueArray(fc.integer({ min: 100, max: 4096 }), { maxLength: 8 })
  .chain((priorities) =>
    fc.tuple(
      ...priorities.map((priority, i) =>
        fc.record({
          name: fc.constant(`r${i}`),
          priority: fc.constant(priority),
          access: fc.constantFrom<NsgAccess>('Allow', 'Deny'),
          protocol: fc.constantFrom('*', 'Tcp', 'Udp', 'Icmp'),
          sources: fc.array(modelSource, { minLength: 1, maxLength: 3 }),
          ports: fc.array(modelPortSpec, { minLength: 1, maxLength: 3 }),
        }),
      ),
    ),
  )
  .map((rules): ModelRule[] => rules);

function toArm(rules: ModelRule[]): SecurityRule[] {
  return rules.map((r) =>
    rule(r.name, r.priority, r.access, {
      protocol: r.protocol,
      sourceAddressPrefix: undefined,
      sourceAddressPrefixes: r.sources,
      destinationPortRange: undefined,
      destinationPortRanges: r.ports,
    }),
  );
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function naiveInCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base) / size);
}

function naivePort(spec: string, port: number): boolean {
  if (spec === '*') return true;
  const [low, high = low] = spec.split('-').map(Number);
  return low !== undefined && high !== undefined && low <= port && port <= high;
}

/** First match over the custom rules, then the default DenyAllInBound (the source is public). */
function naive(rules: ModelRule[], ip: string, port: number): { access: NsgAccess; rule: string } {
  const sorted = [...rules].sort((a, b) => a.priority - b.priority);
  for (const r of sorted) {
    if (r.protocol !== '*' && r.protocol !== 'Tcp') continue;
    if (!r.sources.some((s) => s === '*' || naiveInCidr(ip, s))) continue;
    if (!r.ports.some((p) => naivePort(p, port))) continue;
    return { access: r.access, rule: r.name };
  }
  return { access: 'Deny', rule: 'DenyAllInBound' };
}

describe('properties', () => {
  it('first match equals the naive model for a known public source', () => {
    fc.assert(
      fc.property(modelRules, modelIp, modelPort, (rules, ip, port) => {
        const layer = evaluateNsgLayer(nsg('n', toArm(rules)), {
          sourceIp: ip,
          destinationIp: VM_IP,
          nicAsgIds: [],
          port,
        });
        const expected = naive(rules, ip, port);
        expect(layer.certain).toBe(true);
        expect(layer.access).toBe(expected.access);
        expect(layer.rule).toBe(expected.rule);
      }),
      { numRuns: 500 },
    );
  });

  it('IPv4 prefix containment equals arithmetic containment', () => {
    const publicIp = fc
      .integer({ min: 0, max: 2 ** 32 - 1 })
      .map((n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'))
      .filter(
        (ip) =>
          !/^(0|10|127)\.|^169\.254\.|^192\.168\.|^172\.(1[6-9]|2\d|3[01])\.|^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./.test(
            ip,
          ),
      );
    const anyIp = fc
      .integer({ min: 0, max: 2 ** 32 - 1 })
      .map((n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
    fc.assert(
      fc.property(publicIp, anyIp, fc.integer({ min: 0, max: 32 }), (ip, base, bits) => {
        const cidr = `${base}/${bits}`;
        const result = evaluateNsgs(
          input({ sourceIp: ip, nicNsg: nsg('n', [allow('RDP', 300, { sourceAddressPrefix: cidr })]) }),
        );
        expect(result.status).toBe(naiveInCidr(ip, cidr) ? 'pass' : 'fail');
      }),
      { numRuns: 1000 },
    );
  });

  it('an unknown source is certain only when every concrete source agrees', () => {
    fc.assert(
      fc.property(
        modelRules,
        fc.array(modelIp, { minLength: 1, maxLength: 6 }),
        modelPort,
        (rules, ips, port) => {
          const group = nsg('n', toArm(rules));
          const unknown = evaluateNsgLayer(group, {
            sourceIp: null,
            destinationIp: VM_IP,
            nicAsgIds: [],
            port,
          });
          // With an unknown source, the default AllowVnetInBound may match, so a Deny can never be certain
          // unless a custom rule certainly matches; an IP-dependent decision is never certain.
          if (unknown.certain) {
            const decider = unknown.candidates.at(-1);
            const deciderRule = rules.find((r) => r.name === decider?.name);
            expect(deciderRule?.sources.some((s) => s === '*' || s.endsWith('/0'))).toBe(true);
            for (const ip of ips) expect(naive(rules, ip, port).access).toBe(unknown.access);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('two layers: fail iff either layer denies, and both are always reported', () => {
    const maybeRules = fc.option(modelRules, { nil: null });
    fc.assert(
      fc.property(maybeRules, maybeRules, modelIp, modelPort, (subnetRules, nicRules, ip, port) => {
        const result = evaluateNsgs(
          input({
            subnetNsg: subnetRules === null ? null : nsg('s', toArm(subnetRules)),
            nicNsg: nicRules === null ? null : nsg('n', toArm(nicRules)),
            sourceIp: ip,
            port,
          }),
        );
        const subnet = subnetRules === null ? { access: 'Allow', rule: null } : naive(subnetRules, ip, port);
        const nic = nicRules === null ? { access: 'Allow', rule: null } : naive(nicRules, ip, port);
        expect(result.layers.subnet).toMatchObject(subnet);
        expect(result.layers.nic).toMatchObject(nic);
        expect(result.status).toBe(subnet.access === 'Deny' || nic.access === 'Deny' ? 'fail' : 'pass');
      }),
      { numRuns: 500 },
    );
  });
});
