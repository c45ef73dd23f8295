/**
 * The nsg check of shared/checks/judge.ts on hand-made facts: both layers are always in `detail` (docs/PROTOCOL.md
 * §4), whatever could not be read; and one NSG on both the subnet and the NIC is planned one rule, not two.
 */
import { describe, expect, it } from 'vitest';
import { ArmError } from '../../../../shared/azure/arm';
import type { JitPolicy, Nic, Nsg, Subnet, Vm, Vnet } from '../../../../shared/azure/shapes';
import { plannedRules, RULE_HOURS } from '../../../../shared/checks/fixes';
import type { Facts, Topology } from '../../../../shared/checks/gather';
import { activeGrant, coveringPolicy, judge } from '../../../../shared/checks/judge';
import type { Check } from '../../../../shared/checks/report';
import { parseVmResourceId, type VmResourceId } from '../../../../shared/resource-id';

const RG = '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg';
const NET = `${RG}/providers/Microsoft.Network`;
const VM_ID = `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`;
const NIC_ID = `${NET}/networkInterfaces/vm1-nic`;
const VNET_ID = `${NET}/virtualNetworks/vnet`;
const SUBNET_ID = `${VNET_ID}/subnets/default`;
const NSG_ID = `${NET}/networkSecurityGroups/shared-nsg`;
const NOW = new Date('2026-11-25T10:00:00.000Z');
const target = parseVmResourceId(VM_ID) as VmResourceId;

const forbidden = (what: string) =>
  new ArmError('forbidden', `You lack the permission ${what}.`, 403, 'AuthorizationFailed', what);

const vm: Vm = {
  id: VM_ID,
  name: 'vm1',
  location: 'westeurope',
  properties: {
    networkProfile: { networkInterfaces: [{ id: NIC_ID }] },
    instanceView: { statuses: [{ code: 'PowerState/running' }] },
  },
};

/** An NSG with no custom rule: Azure's defaults deny RDP from the internet (DenyAllInBound). */
const nsg = (id = NSG_ID): Nsg => ({
  id,
  name: id.split('/').pop() as string,
  properties: { securityRules: [] },
});

function nic(privateIp: string | undefined, nsgId: string | null): Nic {
  return {
    id: NIC_ID,
    name: 'vm1-nic',
    properties: {
      ...(nsgId && { networkSecurityGroup: { id: nsgId } }),
      ipConfigurations: [
        {
          name: 'ipconfig1',
          properties: {
            primary: true,
            subnet: { id: SUBNET_ID },
            ...(privateIp && { privateIPAddress: privateIp }),
          },
        },
      ],
    },
  };
}

const subnet = (nsgId: string | null): Subnet => ({
  id: SUBNET_ID,
  name: 'default',
  properties: { addressPrefix: '10.0.0.0/24', ...(nsgId && { networkSecurityGroup: { id: nsgId } }) },
});
const vnet: Vnet = {
  id: VNET_ID,
  name: 'vnet',
  properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } },
};

function facts(overrides: Partial<Facts> = {}, topology: Partial<Topology> = {}): Facts {
  const theNic = nic('10.0.0.4', NSG_ID);
  return {
    vm,
    nic: { ok: true, value: theNic },
    ipConfig: theNic.properties.ipConfigurations[0] ?? null,
    publicIp: null,
    vnet: { ok: true, value: vnet },
    subnet: { ok: true, value: subnet(NSG_ID) },
    nicNsg: { ok: true, value: nsg() },
    subnetNsg: { ok: true, value: nsg() },
    nat: null,
    jitPolicies: { ok: true, value: [] },
    topology: {
      nicId: NIC_ID,
      vnetId: VNET_ID,
      subnetId: SUBNET_ID,
      publicIpId: null,
      nicNsgId: NSG_ID,
      subnetNsgId: NSG_ID,
      loadBalancerId: null,
      natPublicIpId: null,
      ...topology,
    },
    ...overrides,
  };
}

const run = (f: Facts, sourceIp: string | null = '203.0.113.7') =>
  judge({ target, facts: f, sourceIp, port: 3389, privateMode: false, now: NOW });
const nsgCheck = (f: Facts, sourceIp?: string | null) =>
  run(f, sourceIp).report.checks.find((c) => c.id === 'nsg') as Check;

describe('nsg detail: both layers, always', () => {
  it('the NIC has no private IP: both layers, not judged, with the NSG ids Azure gave', () => {
    const theNic = nic(undefined, NSG_ID);
    const check = nsgCheck(
      facts({ nic: { ok: true, value: theNic }, ipConfig: theNic.properties.ipConfigurations[0] ?? null }),
    );
    expect(check.status).toBe('unknown');
    expect(check.detail).toEqual({
      subnet: { nsgId: NSG_ID, access: null, rule: null },
      nic: { nsgId: NSG_ID, access: null, rule: null },
    });
  });

  it('the subnet is unreadable: the subnet layer has access null, the NIC layer is still judged', () => {
    const check = nsgCheck(
      facts(
        {
          subnet: { ok: false, error: forbidden('Microsoft.Network/virtualNetworks/subnets/read') },
          subnetNsg: null,
        },
        { subnetNsgId: null },
      ),
    );
    expect(check.status).toBe('unknown');
    expect(check.summary).toMatch(/subnet could not be read.*subnets\/read/);
    expect(check.detail).toEqual({
      subnet: { nsgId: null, access: null, rule: null },
      nic: { nsgId: NSG_ID, access: 'Deny', rule: 'DenyAllInBound' },
    });
  });

  it('the network interface is unreadable, or there is none: both layers with access null', () => {
    const unreadable = nsgCheck(
      facts(
        { nic: { ok: false, error: forbidden('Microsoft.Network/networkInterfaces/read') }, ipConfig: null },
        { nicNsgId: null, subnetNsgId: null, subnetId: null, vnetId: null },
      ),
    );
    const none = { nsgId: null, access: null, rule: null };
    expect(unreadable).toMatchObject({ status: 'unknown', detail: { subnet: none, nic: none } });
    const missing = nsgCheck(
      facts({ nic: null, ipConfig: null }, { nicId: null, nicNsgId: null, subnetNsgId: null }),
    );
    expect(missing).toMatchObject({ status: 'unknown', detail: { subnet: none, nic: none } });
  });

  it('an unreadable NSG keeps its id and access null; the other layer is judged', () => {
    const check = nsgCheck(facts({ nicNsg: { ok: false, error: forbidden('x/read') } }));
    expect(check.detail).toEqual({
      subnet: { nsgId: NSG_ID, access: 'Deny', rule: 'DenyAllInBound' },
      nic: { nsgId: NSG_ID, access: null, rule: null },
    });
  });
});

describe('the rules planned for denying NSGs', () => {
  it('one NSG on both the subnet and the NIC is planned once, and add-nsg-rule is offered', () => {
    const { report, plan } = run(facts());
    expect(report.checks.find((c) => c.id === 'nsg')).toMatchObject({
      status: 'fail',
      fixes: ['add-nsg-rule'],
    });
    expect(plan.nsgRules).toEqual([
      { nsgId: NSG_ID, nsgName: 'shared-nsg', priority: 4096, destinationIp: '10.0.0.4', port: 3389 },
    ]);
  });

  it('the same NSG is recognised whatever the casing of its id', () => {
    const upper = NSG_ID.toUpperCase();
    const { plan } = run(
      facts({ subnet: { ok: true, value: subnet(upper) }, subnetNsg: { ok: true, value: nsg(upper) } }),
    );
    expect(plan.nsgRules).toHaveLength(1);
  });

  it('two different denying NSGs get one rule each', () => {
    const other = `${NET}/networkSecurityGroups/subnet-nsg`;
    const { plan, report } = run(
      facts(
        { subnet: { ok: true, value: subnet(other) }, subnetNsg: { ok: true, value: nsg(other) } },
        { subnetNsgId: other },
      ),
    );
    expect(plan.nsgRules.map((r) => r.nsgName)).toEqual(['subnet-nsg', 'shared-nsg']);
    expect(report.checks.find((c) => c.id === 'nsg')?.fixes).toEqual(['add-nsg-rule']);
  });

  it('plannedRules writes the expiry into the rule, RULE_HOURS (8) from now by default', () => {
    const { plan } = run(facts());
    expect(RULE_HOURS).toBe(8);
    const [rule] = plannedRules(plan, '203.0.113.7', NOW);
    expect(rule?.expires).toBe('2026-11-25T18:00:00.000Z');
    expect(rule?.properties.description).toBe(`Added by RDP now for 203.0.113.7; expires ${rule?.expires}.`);
  });
});

function policy(requests: NonNullable<JitPolicy['properties']['requests']> = []): JitPolicy {
  return {
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default',
    name: 'default',
    properties: {
      virtualMachines: [
        {
          id: VM_ID.toLowerCase(),
          ports: [{ number: 3389, maxRequestAccessDuration: 'PT3H', protocol: '*' }],
        },
      ],
      requests,
    },
  };
}

const request = (prefix: string, end: string, status = 'Initiated') => ({
  virtualMachines: [
    { id: VM_ID, ports: [{ number: 3389, endTimeUtc: end, status, allowedSourceAddressPrefix: prefix }] },
  ],
});

describe('just-in-time policies', () => {
  it('finds the policy covering the VM (ids compared case-insensitively) and port', () => {
    expect(coveringPolicy([policy()], VM_ID, 3389)?.rule.maxRequestAccessDuration).toBe('PT3H');
    expect(coveringPolicy([policy()], VM_ID, 3390)).toBeNull();
    expect(coveringPolicy([policy()], `${VM_ID}2`, 3389)).toBeNull();
  });

  it('recognises an active grant for the source IP, not an expired, revoked or someone else’s', () => {
    const later = '2026-11-25T12:00:00Z';
    expect(activeGrant(policy([request('203.0.113.7', later)]), VM_ID, 3389, '203.0.113.7', NOW)).toEqual(
      new Date(later),
    );
    expect(
      activeGrant(policy([request('203.0.113.0/24', later)]), VM_ID, 3389, '203.0.113.7', NOW),
    ).not.toBeNull();
    expect(activeGrant(policy([request('*', later)]), VM_ID, 3389, '203.0.113.7', NOW)).not.toBeNull();
    expect(
      activeGrant(policy([request('203.0.113.7', '2026-11-25T09:00:00Z')]), VM_ID, 3389, '203.0.113.7', NOW),
    ).toBeNull();
    expect(
      activeGrant(policy([request('203.0.113.7', later, 'Revoked')]), VM_ID, 3389, '203.0.113.7', NOW),
    ).toBeNull();
    expect(activeGrant(policy([request('198.51.100.1', later)]), VM_ID, 3389, '203.0.113.7', NOW)).toBeNull();
  });
});

describe('a public IP without an address', () => {
  const PIP_ID = `${NET}/publicIPAddresses/vm1-ip`;
  const withState = (state: string): Facts =>
    facts({
      vm: {
        ...vm,
        properties: { ...vm.properties, instanceView: { statuses: [{ code: `PowerState/${state}` }] } },
      },
      publicIp: {
        ok: true,
        value: { id: PIP_ID, name: 'vm1-ip', properties: { publicIPAllocationMethod: 'Dynamic' } },
      },
    });
  const address = (state: string) => {
    const { report } = run(withState(state));
    return { target: report.target, check: report.checks.find((c) => c.id === 'address') as Check };
  };

  it.each(['deallocated', 'deallocating', 'stopping'])(
    'a %s VM waits for it: via public-ip, warn, assigned when the VM starts',
    (state) => {
      const { target: t, check } = address(state);
      expect(t).toMatchObject({ address: null, via: 'public-ip' });
      expect(check.status).toBe('warn');
      expect(check.summary).toMatch(/assigns one when the VM starts/);
    },
  );

  it.each(['running', 'starting', 'stopped'])('a %s VM has no route: via null, fail', (state) => {
    const { target: t, check } = address(state);
    expect(t).toMatchObject({ address: null, via: null });
    expect(check.status).toBe('fail');
    expect(check.summary).not.toMatch(/when the VM starts/);
  });
});
