/**
 * Only fixes that can work (issue 13, point 11): a Linux VM is offered SSH and no RDP fix, and the private route
 * never plans a rule or an access request for the public IP, saying which address Azure sees there instead.
 */
import { describe, expect, it } from 'vitest';
import type { JitPolicy, Nic, Nsg, Vm } from '../../../../shared/azure/shapes';
import type { Facts } from '../../../../shared/checks/gather';
import { judge } from '../../../../shared/checks/judge';
import { parseVmResourceId, type VmResourceId } from '../../../../shared/resource-id';

const RG = '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg';
const NET = `${RG}/providers/Microsoft.Network`;
const VM_ID = `${RG}/providers/Microsoft.Compute/virtualMachines/vm1`;
const NIC_ID = `${NET}/networkInterfaces/vm1-nic`;
const NSG_ID = `${NET}/networkSecurityGroups/vm1-nsg`;
const POLICY_ID = `${RG}/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default`;
const NOW = new Date('2026-11-25T10:00:00.000Z');
const target = parseVmResourceId(VM_ID) as VmResourceId;

function vm(power: string, osType?: 'Linux' | 'Windows'): Vm {
  return {
    id: VM_ID,
    name: 'vm1',
    location: 'westeurope',
    properties: {
      networkProfile: { networkInterfaces: [{ id: NIC_ID }] },
      instanceView: { statuses: [{ code: `PowerState/${power}` }] },
      ...(osType && { storageProfile: { osDisk: { osType } } }),
    },
  };
}

/** No custom rule: Azure's defaults deny RDP from outside the VNet. */
const nsg: Nsg = { id: NSG_ID, name: 'vm1-nsg', location: 'westeurope', properties: { securityRules: [] } };

const nic: Nic = {
  id: NIC_ID,
  name: 'vm1-nic',
  properties: {
    ipConfigurations: [
      {
        id: `${NIC_ID}/ipConfigurations/ipconfig1`,
        name: 'ipconfig1',
        properties: { privateIPAddress: '10.0.0.4' },
      },
    ],
    networkSecurityGroup: { id: NSG_ID },
  },
};

const jitPolicy: JitPolicy = {
  id: POLICY_ID,
  name: 'default',
  properties: {
    virtualMachines: [
      { id: VM_ID, ports: [{ number: 3389, protocol: '*', maxRequestAccessDuration: 'PT3H' }] },
    ],
    requests: [],
  },
};

function facts(theVm: Vm, jit = false): Facts {
  return {
    vm: theVm,
    nic: { ok: true, value: nic },
    ipConfig: nic.properties.ipConfigurations[0] ?? null,
    publicIp: null,
    vnet: {
      ok: true,
      value: {
        id: `${NET}/virtualNetworks/vnet`,
        name: 'vnet',
        properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } },
      },
    },
    subnet: null,
    nicNsg: { ok: true, value: nsg },
    subnetNsg: null,
    nat: null,
    jitPolicies: { ok: true, value: jit ? [jitPolicy] : [] },
    topology: {
      nicId: NIC_ID,
      vnetId: `${NET}/virtualNetworks/vnet`,
      subnetId: null,
      publicIpId: null,
      nicNsgId: NSG_ID,
      subnetNsgId: null,
      loadBalancerId: null,
      natPublicIpId: null,
    },
  };
}

const run = (f: Facts, sourceIp: string | null, privateMode: boolean) =>
  judge({ target, facts: f, sourceIp, port: 3389, privateMode, now: NOW });

describe('a Linux VM', () => {
  it('is told to use SSH and offered no RDP fix, however closed its port', () => {
    const { report, plan } = run(facts(vm('deallocated', 'Linux')), '203.0.113.7', false);
    expect(report.checks.find((c) => c.id === 'os')?.summary).toMatch(/runs Linux: connect with SSH/);
    expect(report.checks.flatMap((c) => c.fixes)).toEqual([]);
    expect(plan).toEqual({ startVm: false, jit: null, nsgRules: [] });
  });

  it('a Windows VM in the same state keeps its fixes', () => {
    const { report } = run(facts(vm('deallocated', 'Windows')), '203.0.113.7', false);
    expect(report.checks.flatMap((c) => c.fixes)).toEqual(
      expect.arrayContaining(['start-vm', 'add-nsg-rule']),
    );
  });
});

describe('the private route', () => {
  it('never plans a rule for the public IP, and says which address Azure sees', () => {
    const { report, plan } = run(facts(vm('running')), '203.0.113.7', true);
    const nsgCheck = report.checks.find((c) => c.id === 'nsg');
    expect(report.target.via).toBe('private-ip');
    expect(nsgCheck?.fixes).toEqual([]);
    expect(nsgCheck?.summary).toContain(
      'Over VPN, ExpressRoute or peering Azure sees your address inside the network, not your public IP 203.0.113.7: a rule or access request must name that address.',
    );
    expect(plan.nsgRules).toEqual([]);
  });

  it('never requests just-in-time access for the public IP either', () => {
    const { report, plan } = run(facts(vm('running'), true), '203.0.113.7', true);
    const jitCheck = report.checks.find((c) => c.id === 'jit');
    expect(jitCheck?.fixes).toEqual([]);
    expect(jitCheck?.summary).toMatch(/not your public IP 203\.0\.113\.7/);
    expect(plan.jit).toBeNull();
  });

  it('an address inside the network (typed by the user) is the one judged, with no note', () => {
    const { report } = run(facts(vm('running')), '172.16.8.20', true);
    const nsgCheck = report.checks.find((c) => c.id === 'nsg');
    expect(nsgCheck?.summary).toMatch(/allows TCP 3389 from 172\.16\.8\.20 by rule AllowVnetInBound only if/);
    expect(nsgCheck?.summary).not.toMatch(/Over VPN/);
  });
});

it('no CLI flag appears in the texts the extension shows', () => {
  const texts = [
    run(facts(vm('running')), '203.0.113.7', true),
    run(facts(vm('running')), '203.0.113.7', false),
    run(facts(vm('deallocated', 'Linux'), true), null, false),
  ].flatMap(({ report }) => report.checks.map((c) => c.summary));
  for (const text of texts) expect(text).not.toMatch(/(^|[\s(])--[a-z]/);
});
