/**
 * The Bastion route of shared/checks/bastion.ts and judge.ts on hand-made facts (docs/PROTOCOL.md §4.3): which
 * Bastion is the nearest, each verdict's sentence, and the NSG and JIT checks judged from the Bastion subnet.
 */
import { describe, expect, it } from 'vitest';
import { ArmError } from '../../../../shared/azure/arm';
import type { JitPolicy, Nic, Nsg, Vm, Vnet } from '../../../../shared/azure/shapes';
import {
  type BastionCandidate,
  bastionVnetId,
  judgeBastion,
  nearest,
} from '../../../../shared/checks/bastion';
import type { Facts } from '../../../../shared/checks/gather';
import { judge } from '../../../../shared/checks/judge';
import type { Check } from '../../../../shared/checks/report';
import { parseVmResourceId, type VmResourceId } from '../../../../shared/resource-id';

const SUB = '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c';
const NET = `${SUB}/resourceGroups/rg/providers/Microsoft.Network`;
const HUB = `${SUB}/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/hub`;
const VM_ID = `${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`;
const VNET_ID = `${NET}/virtualNetworks/spoke`;
const NSG_ID = `${NET}/networkSecurityGroups/nsg`;
const NOW = new Date('2026-12-02T10:00:00.000Z');
const target = parseVmResourceId(VM_ID) as VmResourceId;

const bastion = (over: Partial<BastionCandidate> = {}): BastionCandidate => ({
  id: `${SUB}/resourceGroups/hub/providers/Microsoft.Network/bastionHosts/bas`,
  name: 'bas',
  sku: 'Standard',
  dnsName: 'bst-1.bastion.azure.com',
  tunneling: true,
  state: 'Succeeded',
  vnetId: HUB.toLowerCase(),
  reach: 'Connected',
  subnetId: `${HUB}/subnets/AzureBastionSubnet`,
  subnetPrefix: '10.100.1.0/26',
  ...over,
});

describe('judgeBastion', () => {
  const verdict = (candidates: BastionCandidate[]) =>
    judgeBastion({ ok: true, value: { via: 'arm', candidates } }, 'spoke');

  it.each([
    [[], 'fail', /No Azure Bastion is in the virtual network spoke.*ask an admin to deploy/],
    [[bastion({ sku: 'Basic' })], 'fail', /Basic SKU.*ask an admin to upgrade/],
    [[bastion({ sku: 'Developer' })], 'fail', /Developer SKU/],
    [[bastion({ tunneling: false })], 'fail', /native client support turned off: ask an admin to turn it on/],
    [[bastion({ state: 'Updating' })], 'fail', /not provisioned \(its state is Updating\): ask an admin/],
    [[bastion({ reach: 'Initiated' })], 'fail', /peering .* is Initiated, not Connected: ask an admin/],
    [[bastion()], 'pass', /through the Azure Bastion bas/],
    [[bastion({ sku: 'Premium', reach: 'Self' })], 'pass', /bas \(Premium\)/],
  ] as const)('%#: %s', (candidates, status, summary) => {
    const { check } = verdict([...candidates]);
    expect(check).toMatchObject({ id: 'bastion', status, summary: expect.stringMatching(summary) });
  });

  it('the nearest: a usable one wins; else the own VNet before a Connected peer before another peer', () => {
    const own = bastion({ name: 'own', reach: 'Self', sku: 'Basic' });
    const peer = bastion({ name: 'peer', tunneling: false });
    const far = bastion({ name: 'far', reach: 'Disconnected' });
    expect(nearest([far, peer, own])?.name).toBe('own');
    expect(nearest([far, peer])?.name).toBe('peer');
    expect(nearest([own, peer, far, bastion({ name: 'good' })])?.name).toBe('good');
  });

  it('a refused read is unknown, naming the permission and the Reader role', () => {
    const error = new ArmError(
      'forbidden',
      'You lack …',
      403,
      'AuthorizationFailed',
      'Microsoft.Network/bastionHosts/read',
    );
    const { check } = judgeBastion({ ok: false, error }, 'spoke');
    expect(check).toMatchObject({
      status: 'unknown',
      summary: expect.stringMatching(/bastionHosts\/read.*Reader role/),
    });
  });

  it('the VNet of a Bastion: virtualNetwork (Developer), else its subnet without /subnets/…', () => {
    const base = { id: 'x', name: 'x', properties: {} };
    expect(bastionVnetId({ ...base, properties: { virtualNetwork: { id: HUB } } })).toBe(HUB.toLowerCase());
    expect(
      bastionVnetId({
        ...base,
        properties: {
          ipConfigurations: [{ properties: { subnet: { id: `${HUB}/subnets/AzureBastionSubnet` } } }],
        },
      }),
    ).toBe(HUB.toLowerCase());
  });
});

// ------------------------------------------------------------------------------------- judged on the route

const vm: Vm = {
  id: VM_ID,
  name: 'vm1',
  location: 'westeurope',
  properties: {
    networkProfile: { networkInterfaces: [{ id: `${NET}/networkInterfaces/nic` }] },
    instanceView: { statuses: [{ code: 'PowerState/running' }] },
  },
};
const theNic: Nic = {
  id: `${NET}/networkInterfaces/nic`,
  name: 'nic',
  properties: {
    networkSecurityGroup: { id: NSG_ID },
    ipConfigurations: [
      {
        name: 'ipconfig1',
        properties: {
          primary: true,
          subnet: { id: `${VNET_ID}/subnets/default` },
          privateIPAddress: '10.10.1.4',
        },
      },
    ],
  },
};
const vnet = (peeringState: string): Vnet =>
  ({
    id: VNET_ID,
    name: 'spoke',
    properties: {
      addressSpace: { addressPrefixes: ['10.10.0.0/16'] },
      virtualNetworkPeerings: [
        {
          properties: {
            peeringState,
            remoteVirtualNetwork: { id: HUB },
            remoteAddressSpace: { addressPrefixes: ['10.100.0.0/16'] },
          },
        },
      ],
    },
  }) as Vnet;
const rdpFrom = (source: string, access: 'Allow' | 'Deny' = 'Allow') => ({
  name: `rdp-${source}`,
  properties: {
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: '3389',
    sourceAddressPrefix: source,
    destinationAddressPrefix: '*',
    access,
    priority: 300,
    direction: 'Inbound',
  },
});
const nsgWith = (...rules: ReturnType<typeof rdpFrom>[]): Nsg => ({
  id: NSG_ID,
  name: 'nsg',
  properties: { securityRules: rules },
});

function facts(nsg: Nsg, over: Partial<Facts> = {}, candidate = bastion()): Facts {
  return {
    vm,
    nic: { ok: true, value: theNic },
    ipConfig: theNic.properties.ipConfigurations[0] ?? null,
    publicIp: null,
    vnet: { ok: true, value: vnet('Connected') },
    subnet: { ok: true, value: { id: `${VNET_ID}/subnets/default`, name: 'default', properties: {} } },
    nicNsg: { ok: true, value: nsg },
    subnetNsg: null,
    nat: null,
    jitPolicies: { ok: true, value: [] },
    topology: {
      nicId: theNic.id,
      vnetId: VNET_ID,
      subnetId: `${VNET_ID}/subnets/default`,
      publicIpId: null,
      nicNsgId: NSG_ID,
      subnetNsgId: null,
      loadBalancerId: null,
      natPublicIpId: null,
    },
    bastion: { ok: true, value: { via: 'resource-graph', candidates: [candidate] } },
    ...over,
  };
}
const run = (f: Facts) =>
  judge({ target, facts: f, sourceIp: '203.0.113.7', port: 3389, privateMode: false, now: NOW });
const byId = (f: Facts) =>
  Object.fromEntries(run(f).report.checks.map((c) => [c.id, c])) as Record<string, Check>;

describe('nsg and jit on the Bastion route: the Bastion subnet is the source', () => {
  it('the target is the private IP through the Bastion, and the report is ready', () => {
    const { report } = run(facts(nsgWith(rdpFrom('10.100.1.0/26'))));
    expect(report.target).toEqual({
      address: '10.10.1.4',
      port: 3389,
      via: 'bastion',
      fqdn: null,
      bastion: { id: bastion().id, name: 'bas', sku: 'Standard', dnsName: 'bst-1.bastion.azure.com' },
    });
    expect(report.ready).toBe(true);
  });

  it.each([
    ['10.100.0.0/16', 'pass'],
    ['10.100.1.0/28', 'warn'],
    ['10.200.0.0/16', 'fail'],
    ['203.0.113.7', 'fail'],
    ['Internet', 'fail'],
    ['*', 'pass'],
  ])('an allow rule from %s, then a deny from anywhere: %s', (source, status) => {
    const denyAll = {
      ...rdpFrom('*', 'Deny'),
      properties: { ...rdpFrom('*', 'Deny').properties, priority: 400 },
    };
    expect(byId(facts(nsgWith(rdpFrom(source), denyAll))).nsg?.status).toBe(status);
  });

  it('VirtualNetwork covers a Connected peer’s address space, not one that is not Connected', () => {
    expect(byId(facts(nsgWith(rdpFrom('VirtualNetwork')))).nsg?.status).toBe('pass');
    const notConnected = facts(nsgWith(rdpFrom('VirtualNetwork')), {
      vnet: { ok: true, value: vnet('Initiated') },
    });
    expect(byId(notConnected).nsg?.status).not.toBe('pass');
  });

  it('no add-nsg-rule on the Bastion route', () => {
    expect(byId(facts(nsgWith(rdpFrom('*', 'Deny')))).nsg).toMatchObject({ status: 'fail', fixes: [] });
  });

  it('JIT: a grant must hold the whole prefix; request-jit asks for the prefix', () => {
    const policy = (allowed: string | null): JitPolicy =>
      ({
        id: `${SUB}/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default`,
        name: 'default',
        properties: {
          virtualMachines: [{ id: VM_ID, ports: [{ number: 3389, maxRequestAccessDuration: 'PT3H' }] }],
          requests: allowed
            ? [
                {
                  virtualMachines: [
                    {
                      id: VM_ID,
                      ports: [
                        {
                          number: 3389,
                          status: 'Initiated',
                          endTimeUtc: '2026-12-02T11:00:00.000Z',
                          allowedSourceAddressPrefix: allowed,
                        },
                      ],
                    },
                  ],
                },
              ]
            : [],
        },
      }) as unknown as JitPolicy;
    const withJit = (allowed: string | null) =>
      facts(nsgWith(rdpFrom('10.100.1.0/26')), { jitPolicies: { ok: true, value: [policy(allowed)] } });
    expect(byId(withJit('10.100.0.0/16')).jit?.status).toBe('pass');
    expect(byId(withJit('203.0.113.7')).jit?.status).toBe('fail');
    const { plan } = run(withJit(null));
    expect(plan.jit?.source).toBe('10.100.1.0/26');
  });
});
