/**
 * The simulated Azure Resource Manager (sim/arm) over real HTTPS: bodies in the shapes of Azure's REST examples,
 * a consistent resource chain for every named VM, the start LRO, JIT initiate, NSG rule writes, ARM's errors,
 * and the controls (latency, faults, permissions, reset, request log). Also driven through the Azure SDK's own
 * pipeline (@azure-rest/core-client, @azure/core-lro), as the product uses it.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { createHttpPoller } from '@azure/core-lro';
import { getClient, type HttpResponse } from '@azure-rest/core-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIM_VM_NAMES, type SimulatedAzure, type SimVmName, startSimulatedAzure } from '../../sim/arm/index';

// biome-ignore lint/suspicious/noExplicitAny: the tests walk ARM's JSON freely and assert on what they find.
type Json = any;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: Json;
  socket: TLSSocket;
}

interface CallOptions {
  /** `null` sends no Authorization header; default `test-token`. */
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  servername?: string;
}

let sim: SimulatedAzure;
let agent: https.Agent;

function request(
  target: SimulatedAzure,
  via: https.Agent,
  method: string,
  path: string,
  options: CallOptions = {},
) {
  const url = new URL(path.startsWith('https://') ? path : `${target.url}${path}`);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? 'test-token'}` }),
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  return new Promise<Answer>((resolve, reject) => {
    const req = https.request(
      url,
      { method, headers, agent: via, ...(options.servername ? { servername: options.servername } : {}) },
      (res) => {
        const socket = res.socket as TLSSocket;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          let parsed: Json;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed, socket });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const call = (method: string, path: string, options?: CallOptions) =>
  request(sim, agent, method, path, options);
const get = (path: string, options?: CallOptions) => call('GET', path, options);

function fixture(name: string): Json {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/azure-rest-examples/${name}.json`, import.meta.url), 'utf8'),
  );
}

const keys = (o: object) => Object.keys(o).sort();
const without = (list: string[], ...omit: string[]) => list.filter((k) => !omit.includes(k));

const SUB = '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c';
const DEMO = `${SUB}/resourceGroups/rg-rdpnow-demo`;
const NETWORK = `${SUB}/resourceGroups/rg-network`;
const NET = 'providers/Microsoft.Network';
const nsgPath = (name: string) => `${DEMO}/${NET}/networkSecurityGroups/${name}`;
const JIT_POLICY = `${DEMO}/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default`;
const JIT_ALLOW = 'SecurityCenter-JITRule-1170687618-8C18A5E1';
const JIT_DENY = 'SecurityCenter-JITRule_-1105480617_9EF6D1D2A1';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const jitRequest = (vm: string, port: number, endTimeUtc: string, prefix = '203.0.113.7') => ({
  virtualMachines: [{ id: vm, ports: [{ number: port, endTimeUtc, allowedSourceAddressPrefix: prefix }] }],
  justification: 'RDP now',
});

beforeAll(async () => {
  sim = await startSimulatedAzure();
  agent = new https.Agent({ ca: sim.caCertPem, keepAlive: true });
});

afterEach(() => sim.reset());

afterAll(async () => {
  agent.destroy();
  await sim.close();
});

// ---------------------------------------------------------------------------------------------------------------

describe('bodies have the shapes of the REST examples', () => {
  it('VM: the keys of VirtualMachines_Get, and with $expand=instanceView those of the instance view', async () => {
    const example = fixture('compute_VirtualMachines_Get_2024-07-01').responses['200'].body;
    const vm = (await get(sim.vm('vm-ready'))).body;
    // Left out on purpose: managedBy (scale-set members only), resources (VMs with extensions only),
    // availabilitySet/proximityPlacementGroup/applicationProfile (not used), userData (only with $expand=userData).
    expect(keys(vm)).toEqual(without(keys(example), 'managedBy', 'resources'));
    expect(keys(vm.properties)).toEqual(
      without(
        keys(example.properties),
        'availabilitySet',
        'proximityPlacementGroup',
        'applicationProfile',
        'userData',
      ),
    );
    expect(keys(vm.properties.storageProfile.osDisk)).toEqual(keys(example.properties.storageProfile.osDisk));
    expect(keys(vm.properties.storageProfile.imageReference)).toEqual(
      keys(example.properties.storageProfile.imageReference),
    );
    expect(vm.properties.instanceView).toBeUndefined();

    const view = fixture('compute_VirtualMachines_InstanceView_2024-07-01').responses['200'].body;
    const expanded = (await get(`${sim.vm('vm-ready')}?$expand=instanceView&api-version=2024-07-01`)).body;
    const instanceView = expanded.properties.instanceView;
    for (const k of keys(instanceView)) expect(keys(view)).toContain(k);
    for (const status of instanceView.statuses)
      expect(keys(view.statuses[0])).toEqual(expect.arrayContaining(keys(status)));
    expect(instanceView.statuses.map((s: Json) => s.code)).toEqual([
      'ProvisioningState/succeeded',
      'PowerState/running',
    ]);
    expect(keys(instanceView.vmAgent.statuses[0])).toEqual(keys(view.vmAgent.statuses[0]));
    // The instanceView sub-resource answers the same object.
    expect((await get(`${sim.vm('vm-ready')}/instanceView`)).body.statuses).toEqual(instanceView.statuses);
  });

  it('NIC, public IP, subnet and NSG: the keys of their Get examples', async () => {
    const nicExample = fixture('network_NetworkInterfaces_Get_2024-05-01').responses['200'].body;
    const nic = (await get(`${DEMO}/${NET}/networkInterfaces/vm-ready-nic`)).body;
    expect(keys(nic)).toEqual(keys(nicExample));
    expect(keys(nic.properties)).toEqual(without(keys(nicExample.properties), 'dscpConfiguration'));
    expect(keys(nic.properties.ipConfigurations[0])).toEqual(keys(nicExample.properties.ipConfigurations[0]));
    expect(keys(nic.properties.ipConfigurations[0].properties)).toEqual(
      keys(nicExample.properties.ipConfigurations[0].properties),
    );

    const ipExample = fixture('network_PublicIPAddresses_Get_2024-05-01').responses['200'].body;
    const dynamic = (await get(`${DEMO}/${NET}/publicIPAddresses/vm-deallocated-ip`)).body;
    expect(keys(dynamic)).toEqual(keys(ipExample));
    expect(keys(dynamic.properties)).toEqual(keys(ipExample.properties));
    // An address and a DNS name, as in the List example's second entry.
    const withAddress = fixture('network_PublicIPAddresses_List_2024-05-01').responses['200'].body.value[1];
    const ready = (await get(`${DEMO}/${NET}/publicIPAddresses/vm-ready-ip`)).body;
    expect(keys(ready.properties)).toEqual(
      [...keys(ipExample.properties), 'ipAddress', 'dnsSettings'].sort(),
    );
    for (const k of keys(withAddress.properties)) expect(ready.properties).toHaveProperty(k);
    expect(ready.properties.dnsSettings).toEqual({
      domainNameLabel: 'vm-ready',
      fqdn: 'vm-ready.westeurope.cloudapp.azure.com',
    });

    const subnetExample = fixture('network_Subnets_Get_2024-05-01').responses['200'].body;
    const open = (await get(`${NETWORK}/${NET}/virtualNetworks/vnet-demo/subnets/default`)).body;
    expect(keys(open)).toEqual(keys(subnetExample));
    expect(keys(open.properties)).toEqual(keys(subnetExample.properties));
    const locked = (await get(`${NETWORK}/${NET}/virtualNetworks/vnet-demo/subnets/locked`)).body;
    expect(keys(locked.properties)).toEqual(
      [...keys(subnetExample.properties), 'networkSecurityGroup'].sort(),
    );

    const nsgExample = fixture('network_NetworkSecurityGroups_Get_2024-05-01').responses['200'].body;
    const nsg = (await get(nsgPath('vm-ready-nsg'))).body;
    expect(keys(nsg)).toEqual(keys(nsgExample));
    expect(keys(nsg.properties)).toEqual(keys(nsgExample.properties));
    expect(keys(nsg.properties.securityRules[0].properties)).toEqual(
      keys(nsgExample.properties.securityRules[0].properties),
    );
    // The six default rules are exactly Azure's, under this NSG's id.
    const strip = (rules: Json[]) => rules.map((r) => ({ name: r.name, properties: r.properties }));
    expect(strip(nsg.properties.defaultSecurityRules)).toEqual(
      strip(nsgExample.properties.defaultSecurityRules),
    );
    for (const rule of nsg.properties.defaultSecurityRules) {
      expect(rule.id).toBe(`${nsgPath('vm-ready-nsg')}/defaultSecurityRules/${rule.name}`);
    }
  });

  it('security rule PUT: the CreateOrUpdate example body is answered with the example response', async () => {
    const example = fixture('network_SecurityRules_CreateOrUpdate_2024-05-01');
    const put = await call('PUT', `${nsgPath('vm-ready-nsg')}/securityRules/rule1?api-version=2024-05-01`, {
      body: example.parameters.securityRuleParameters,
    });
    expect(put.status).toBe(201);
    expect(keys(put.body)).toEqual(keys(example.responses['201'].body));
    expect(put.body.properties).toEqual(example.responses['201'].body.properties);
    const read = await get(`${nsgPath('vm-ready-nsg')}/securityRules/rule1`);
    expect(keys(read.body.properties)).toEqual(
      keys(fixture('network_SecurityRules_Get_2024-05-01').responses['200'].body.properties),
    );
  });

  it('JIT policy and initiate: the keys of the Security examples', async () => {
    const example = fixture('security_JitNetworkAccessPolicies_Get_2020-01-01').responses['200'].body;
    const policy = (await get(JIT_POLICY)).body;
    expect(keys(policy)).toEqual(keys(example));
    expect(keys(policy.properties)).toEqual(keys(example.properties));
    expect(keys(policy.properties.virtualMachines[0].ports[0])).toEqual(
      keys(example.properties.virtualMachines[0].ports[0]),
    );
    expect(policy.properties.requests).toEqual([]);

    const initiateExample = fixture('security_JitNetworkAccessPolicies_Initiate_2020-01-01');
    const answer = await call('POST', `${JIT_POLICY}/initiate?api-version=2020-01-01`, {
      body: jitRequest(sim.vm('vm-jit'), 3389, inMinutes(60)),
    });
    expect(answer.status).toBe(202);
    const answerExample = initiateExample.responses['202'].body;
    expect(keys(answer.body)).toEqual(keys(answerExample));
    expect(keys(answer.body.virtualMachines[0].ports[0])).toEqual(
      keys(answerExample.virtualMachines[0].ports[0]),
    );
    expect(answer.body.virtualMachines[0].ports[0].status).toBe('Initiating');

    const after = (await get(JIT_POLICY)).body;
    expect(keys(after.properties.requests[0])).toEqual(keys(example.properties.requests[0]));
    expect(keys(after.properties.requests[0].virtualMachines[0].ports[0])).toEqual(
      keys(example.properties.requests[0].virtualMachines[0].ports[0]),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

interface Chain {
  power: string;
  os: string;
  nics: number;
  privateIp: string;
  subnet: string;
  publicIp: { allocation: string; address: string | undefined; fqdn: string | undefined } | null;
  nat: { address: string; frontendPort: number; backendPort: number } | null;
  subnetNsg: { id: string; custom: Json[] } | null;
  nicNsg: { id: string; custom: Json[] } | null;
}

const summary = (rule: Json) => {
  const p = rule.properties;
  return `${rule.name} ${p.access} ${p.protocol} ${p.sourceAddressPrefix}->${p.destinationPortRange} @${p.priority}`;
};

/** Follows the ids from the VM to everything the checks read, the way a client would. */
async function chain(name: SimVmName): Promise<Chain> {
  const read = async (id: string) => {
    const answer = await get(id);
    expect(answer.status, id).toBe(200);
    expect(answer.body.id, 'ids come back as asked').toBe(id);
    return answer.body;
  };
  const vm = (await get(`${sim.vm(name)}?$expand=instanceView`)).body;
  expect(vm.id).toBe(sim.vm(name));
  const refs: Json[] = vm.properties.networkProfile.networkInterfaces;
  const primaryRef = refs.length === 1 ? refs[0] : refs.find((r) => r.properties?.primary);
  const nic = await read(primaryRef.id);
  expect(nic.properties.virtualMachine.id).toBe(sim.vm(name));
  const config = nic.properties.ipConfigurations.find((c: Json) => c.properties.primary);

  let publicIp: Chain['publicIp'] = null;
  if (config.properties.publicIPAddress) {
    const ip = await read(config.properties.publicIPAddress.id);
    expect(ip.properties.ipConfiguration.id).toBe(config.id);
    publicIp = {
      allocation: ip.properties.publicIPAllocationMethod,
      address: ip.properties.ipAddress,
      fqdn: ip.properties.dnsSettings?.fqdn,
    };
  }
  let nat: Chain['nat'] = null;
  for (const ruleRef of config.properties.loadBalancerInboundNatRules ?? []) {
    const lbId = ruleRef.id.slice(0, ruleRef.id.toLowerCase().indexOf('/inboundnatrules/'));
    const lb = await read(lbId);
    const rule = lb.properties.inboundNatRules.find((r: Json) => r.id === ruleRef.id);
    expect(rule.properties.backendIPConfiguration.id).toBe(config.id);
    const frontend = lb.properties.frontendIPConfigurations.find(
      (f: Json) => f.id === rule.properties.frontendIPConfiguration.id,
    );
    const ip = await read(frontend.properties.publicIPAddress.id);
    nat = {
      address: ip.properties.ipAddress,
      frontendPort: rule.properties.frontendPort,
      backendPort: rule.properties.backendPort,
    };
  }
  const subnet = await read(config.properties.subnet.id);
  const nsg = async (ref: Json) => {
    if (!ref) return null;
    const body = await read(ref.id);
    return { id: body.id, custom: body.properties.securityRules.map(summary) };
  };
  return {
    power: vm.properties.instanceView.statuses.find((s: Json) => s.code.startsWith('PowerState/')).code,
    os: vm.properties.storageProfile.osDisk.osType,
    nics: refs.length,
    privateIp: config.properties.privateIPAddress,
    subnet: `${subnet.name} ${subnet.properties.addressPrefix}`,
    publicIp,
    nat,
    subnetNsg: await nsg(subnet.properties.networkSecurityGroup),
    nicNsg: await nsg(nic.properties.networkSecurityGroup),
  };
}

const staticIp = (address: string) => ({ allocation: 'Static', address, fqdn: undefined });
const nicNsg = (vm: string, ...custom: string[]) => ({ id: nsgPath(`${vm}-nsg`), custom });
const RDP = 'RDP Allow Tcp *->3389 @300';
const COMMON = { os: 'Windows', nics: 1, subnet: 'default 10.0.1.0/24', nat: null, subnetNsg: null };

/** A running Bastion-route VM alone in its VNet's default subnet, with no NSG. */
const withoutNsg = (net: string) => ({
  ...COMMON,
  power: 'PowerState/running',
  privateIp: `${net}.1.4`,
  subnet: `default ${net}.1.0/24`,
  publicIp: null,
  nicNsg: null,
});

const EXPECTED: Record<SimVmName, Chain> = {
  'vm-ready': {
    ...COMMON,
    power: 'PowerState/running',
    privateIp: '10.0.1.4',
    publicIp: { allocation: 'Static', address: '20.50.1.10', fqdn: 'vm-ready.westeurope.cloudapp.azure.com' },
    nicNsg: nicNsg('vm-ready', RDP),
  },
  'vm-deallocated': {
    ...COMMON,
    power: 'PowerState/deallocated',
    privateIp: '10.0.1.5',
    publicIp: { allocation: 'Dynamic', address: undefined, fqdn: undefined },
    nicNsg: nicNsg('vm-deallocated', RDP),
  },
  'vm-stopped': {
    ...COMMON,
    power: 'PowerState/stopped',
    privateIp: '10.0.1.7',
    publicIp: staticIp('20.50.1.30'),
    nicNsg: nicNsg('vm-stopped', RDP),
  },
  'vm-jit': {
    ...COMMON,
    power: 'PowerState/running',
    privateIp: '10.0.1.8',
    publicIp: staticIp('20.50.1.40'),
    nicNsg: { id: nsgPath('vm-jit-nsg'), custom: [`${JIT_DENY} Deny Tcp *->3389 @1000`] },
  },
  'vm-nsg-deny': {
    ...COMMON,
    power: 'PowerState/running',
    privateIp: '10.0.2.4',
    subnet: 'locked 10.0.2.0/24',
    publicIp: staticIp('20.50.1.50'),
    subnetNsg: { id: `${NETWORK}/${NET}/networkSecurityGroups/nsg-locked-subnet`, custom: [] },
    nicNsg: null,
  },
  'vm-private': {
    ...COMMON,
    power: 'PowerState/running',
    privateIp: '10.0.1.6',
    publicIp: null,
    nicNsg: nicNsg('vm-private', 'AllowRdpFromVirtualNetwork Allow Tcp VirtualNetwork->3389 @300'),
  },
  'vm-lb-nat': {
    ...COMMON,
    power: 'PowerState/running',
    privateIp: '10.0.1.9',
    publicIp: null,
    nat: { address: '20.50.1.99', frontendPort: 50001, backendPort: 3389 },
    nicNsg: nicNsg('vm-lb-nat', RDP),
  },
  'vm-linux': {
    ...COMMON,
    os: 'Linux',
    power: 'PowerState/running',
    privateIp: '10.0.1.10',
    publicIp: staticIp('20.50.1.80'),
    nicNsg: nicNsg('vm-linux', 'SSH Allow Tcp *->22 @300'),
  },
  'vm-multi-nic': {
    ...COMMON,
    nics: 2,
    power: 'PowerState/running',
    privateIp: '10.0.1.12',
    publicIp: staticIp('20.50.1.90'),
    nicNsg: nicNsg('vm-multi-nic', RDP),
  },
  'vm-service-tag': {
    ...COMMON,
    power: 'PowerState/running',
    privateIp: '10.0.1.13',
    publicIp: staticIp('20.50.1.100'),
    nicNsg: nicNsg('vm-service-tag', 'AllowRdpFromAzureCloud Allow Tcp AzureCloud->3389 @200'),
  },
  'vm-bastion': {
    ...COMMON,
    power: 'PowerState/running',
    privateIp: '10.10.1.4',
    subnet: 'default 10.10.1.0/24',
    publicIp: null,
    nicNsg: nicNsg(
      'vm-bastion',
      'AllowRdpFromBastion Allow Tcp 10.100.1.0/26->3389 @300',
      'DenyRdp Deny Tcp *->3389 @400',
    ),
  },
  'vm-bastion-basic': withoutNsg('10.20'),
  'vm-bastion-notunnel': withoutNsg('10.30'),
  'vm-bastion-unpeered': withoutNsg('10.40'),
};

describe('every named VM resolves through a consistent chain', () => {
  it.each(SIM_VM_NAMES.map((name) => [name]))('%s', async (name) => {
    expect(await chain(name)).toEqual(EXPECTED[name]);
  });

  it('the VNet and the subnet NSG live in rg-network; the multi-NIC VM marks its second NIC primary', async () => {
    const vm = (await get(sim.vm('vm-multi-nic'))).body;
    expect(vm.properties.networkProfile.networkInterfaces.map((n: Json) => n.properties.primary)).toEqual([
      false,
      true,
    ]);
    const first = (await get(vm.properties.networkProfile.networkInterfaces[0].id)).body;
    expect(first.properties.primary).toBe(false);
    expect(first.properties.networkSecurityGroup).toBeUndefined();
    expect(first.properties.ipConfigurations[0].properties.publicIPAddress).toBeUndefined();
    const nic = (await get(`${DEMO}/${NET}/networkInterfaces/vm-ready-nic`)).body;
    expect(nic.properties.ipConfigurations[0].properties.subnet.id).toBe(
      `${NETWORK}/${NET}/virtualNetworks/vnet-demo/subnets/default`,
    );
    const vnet = (await get(`${NETWORK}/${NET}/virtualNetworks/vnet-demo`)).body;
    expect(vnet.properties.addressSpace.addressPrefixes).toEqual(['10.0.0.0/16']);
    expect(vnet.properties.subnets.map((s: Json) => s.name)).toEqual(['default', 'locked']);
    expect((await get(`${DEMO}/${NET}/virtualNetworks/vnet-demo`)).status).toBe(404);
  });

  it('the JIT policy covers vm-jit on 22 and 3389 for up to three hours', async () => {
    const policy = (await get(JIT_POLICY)).body;
    expect(policy.location).toBe('westeurope');
    expect(policy.properties.virtualMachines).toEqual([
      {
        id: sim.vm('vm-jit'),
        ports: [22, 3389].map((number) => ({
          number,
          protocol: '*',
          allowedSourceAddressPrefix: '*',
          maxRequestAccessDuration: 'PT3H',
        })),
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('lists', () => {
  it('per resource group and per subscription, across both groups', async () => {
    const nics = await get(`${DEMO}/${NET}/networkInterfaces?api-version=2024-05-01`);
    expect(nics.body.nextLink).toBeUndefined();
    expect(nics.body.value).toHaveLength(15);
    expect((await get(`${NETWORK}/${NET}/networkInterfaces`)).body.value).toEqual([]);
    const nsgs = (await get(`${SUB}/${NET}/networkSecurityGroups`)).body.value.map((n: Json) => n.name);
    expect(nsgs).toContain('nsg-locked-subnet');
    expect(nsgs).toContain('vm-jit-nsg');
    expect((await get(`${NETWORK}/${NET}/virtualNetworks`)).body.value[0].properties.subnets).toHaveLength(2);
    expect((await get(`${DEMO}/${NET}/loadBalancers`)).body.value.map((l: Json) => l.name)).toEqual([
      'lb-demo',
    ]);
    // The VMs' nine and the three Bastions' own.
    expect((await get(`${SUB}/${NET}/publicIPAddresses`)).body.value).toHaveLength(12);
    expect((await get(`${NETWORK}/${NET}/virtualNetworks/vnet-demo/subnets`)).body.value).toHaveLength(2);
    const vms = (await get(`${DEMO}/providers/Microsoft.Compute/virtualMachines`)).body.value;
    expect(vms.map((v: Json) => v.name)).toEqual([...SIM_VM_NAMES]);
  });

  it('JIT policies per subscription, resource group and location', async () => {
    const names = async (path: string) => (await get(path)).body.value.map((p: Json) => p.id);
    const security = 'providers/Microsoft.Security';
    expect(await names(`${SUB}/${security}/jitNetworkAccessPolicies`)).toEqual([JIT_POLICY]);
    expect(await names(`${SUB}/${security}/locations/westeurope/jitNetworkAccessPolicies`)).toEqual([
      JIT_POLICY,
    ]);
    expect(await names(`${DEMO}/${security}/jitNetworkAccessPolicies`)).toEqual([JIT_POLICY]);
    expect(await names(`${DEMO}/${security}/locations/westeurope/jitNetworkAccessPolicies`)).toEqual([
      JIT_POLICY,
    ]);
    expect(await names(`${NETWORK}/${security}/jitNetworkAccessPolicies`)).toEqual([]);
    expect(await names(`${SUB}/${security}/locations/northeurope/jitNetworkAccessPolicies`)).toEqual([]);
  });

  it('pages past 100 items with an absolute nextLink that keeps the query', async () => {
    const rules = `${nsgPath('vm-ready-nsg')}/securityRules`;
    const puts = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        call('PUT', `${rules}/bulk-${i}`, {
          body: {
            properties: {
              protocol: 'Tcp',
              access: 'Deny',
              direction: 'Inbound',
              priority: 400 + i,
              sourcePortRange: '*',
              destinationPortRange: String(5000 + i),
              sourceAddressPrefix: '*',
              destinationAddressPrefix: '*',
            },
          },
        }),
      ),
    );
    expect(new Set(puts.map((p) => p.status))).toEqual(new Set([201]));

    const first = await get(`${rules}?api-version=2024-05-01`);
    expect(first.body.value).toHaveLength(100);
    const next = new URL(first.body.nextLink);
    expect(next.origin).toBe(sim.url);
    expect(next.pathname).toBe(rules);
    expect(next.searchParams.get('api-version')).toBe('2024-05-01');
    const second = await get(first.body.nextLink);
    expect(second.body.value).toHaveLength(51);
    expect(second.body.nextLink).toBeUndefined();
    const names = [...first.body.value, ...second.body.value].map((r: Json) => r.name);
    expect(new Set(names).size).toBe(151);
    // The NSG itself still carries every rule inline.
    expect((await get(nsgPath('vm-ready-nsg'))).body.properties.securityRules).toHaveLength(151);

    const bad = await get(`${rules}?$skiptoken=garbage`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('InvalidSkipToken');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('start is a long-running operation', () => {
  it('202 with operation URLs on this server; polls go InProgress twice, then Succeeded and running', async () => {
    const start = await call('POST', `${sim.vm('vm-deallocated')}/start?api-version=2024-07-01`);
    expect(start.status).toBe(202);
    expect(start.headers['retry-after']).toBe('0');
    const status = new URL(String(start.headers['azure-asyncoperation']));
    const location = new URL(String(start.headers.location));
    for (const u of [status, location]) {
      expect(u.origin).toBe(sim.url);
      expect(u.pathname).toMatch(
        /^\/subscriptions\/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c\/providers\/Microsoft\.Compute\/locations\/westeurope\/operations\/[0-9a-f-]{36}$/,
      );
    }
    expect(status.pathname).toBe(location.pathname);
    const power = async () => (await chain('vm-deallocated')).power;
    expect(await power()).toBe('PowerState/starting');

    const monitor = await get(location.href);
    expect(monitor.status).toBe(202);
    expect(monitor.text).toBe('');
    const polled = await get(status.href);
    expect(polled.status).toBe(200);
    expect(polled.body.status).toBe('InProgress');
    expect(await power()).toBe('PowerState/starting');
    const done = await get(status.href);
    expect(done.body).toMatchObject({ status: 'Succeeded', name: status.pathname.split('/').pop() });
    expect(done.body.endTime).toEqual(expect.any(String));
    expect((await get(location.href)).status).toBe(200);

    const after = await chain('vm-deallocated');
    expect(after.power).toBe('PowerState/running');
    expect(after.publicIp).toEqual({ allocation: 'Dynamic', address: '20.50.1.20', fqdn: undefined });
  });

  it('a stopped VM starts keeping its static address; an unknown operation is 404', async () => {
    const start = await call('POST', `${sim.vm('vm-stopped')}/start`);
    for (let i = 0; i < 3; i++) await get(String(start.headers['azure-asyncoperation']));
    expect(await chain('vm-stopped')).toMatchObject({
      power: 'PowerState/running',
      publicIp: staticIp('20.50.1.30'),
    });
    const unknown = await get(`${SUB}/providers/Microsoft.Compute/locations/westeurope/operations/nope`);
    expect(unknown.status).toBe(404);
  });

  it('lroPolls: 0 succeeds on the first poll', async () => {
    const quick = await startSimulatedAzure({ lroPolls: 0 });
    const quickAgent = new https.Agent({ ca: quick.caCertPem });
    try {
      const start = await request(quick, quickAgent, 'POST', `${quick.vm('vm-deallocated')}/start`);
      const poll = await request(quick, quickAgent, 'GET', String(start.headers['azure-asyncoperation']));
      expect(poll.body.status).toBe('Succeeded');
    } finally {
      quickAgent.destroy();
      await quick.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('JIT initiate', () => {
  it('records the request and writes the allow rule for the requested source next to the deny rule', async () => {
    const end = inMinutes(120);
    const answer = await call('POST', `${JIT_POLICY}/initiate`, {
      body: jitRequest(sim.vm('vm-jit'), 3389, end),
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      virtualMachines: [
        {
          id: sim.vm('vm-jit'),
          ports: [
            {
              number: 3389,
              allowedSourceAddressPrefix: '203.0.113.7',
              endTimeUtc: end,
              status: 'Initiating',
            },
          ],
        },
      ],
      justification: 'RDP now',
    });
    const policy = (await get(JIT_POLICY)).body;
    expect(policy.properties.requests).toHaveLength(1);
    expect(policy.properties.requests[0].virtualMachines[0].ports[0]).toEqual({
      number: 3389,
      allowedSourceAddressPrefix: '203.0.113.7',
      endTimeUtc: end,
      status: 'Initiated',
      statusReason: 'UserRequested',
    });
    const nsg = (await chain('vm-jit')).nicNsg;
    expect(nsg?.custom).toEqual([
      `${JIT_DENY} Deny Tcp *->3389 @1000`,
      `${JIT_ALLOW} Allow Tcp 203.0.113.7->3389 @100`,
    ]);
    const rule = (await get(`${nsgPath('vm-jit-nsg')}/securityRules/${JIT_ALLOW}`)).body;
    expect(rule.properties).toMatchObject({ direction: 'Inbound', destinationAddressPrefix: '10.0.1.8' });
  });

  it('a newer request for the same port replaces the older grant', async () => {
    await call('POST', `${JIT_POLICY}/initiate`, { body: jitRequest(sim.vm('vm-jit'), 3389, inMinutes(30)) });
    await call('POST', `${JIT_POLICY}/initiate`, {
      body: jitRequest(sim.vm('vm-jit'), 3389, inMinutes(30), '198.51.100.0/24'),
    });
    const requests = (await get(JIT_POLICY)).body.properties.requests;
    expect(requests.map((r: Json) => r.virtualMachines[0].ports[0].status)).toEqual(['Revoked', 'Initiated']);
    expect(requests[0].virtualMachines[0].ports[0].statusReason).toBe('NewerRequestInitiated');
    expect((await chain('vm-jit')).nicNsg?.custom).toContain(
      `${JIT_ALLOW} Allow Tcp 198.51.100.0/24->3389 @100`,
    );
  });

  it('a grant ends at its endTimeUtc: the request is revoked and the allow rule removed', async () => {
    const end = new Date(Date.now() + 1200).toISOString();
    expect(
      (await call('POST', `${JIT_POLICY}/initiate`, { body: jitRequest(sim.vm('vm-jit'), 3389, end) }))
        .status,
    ).toBe(202);
    expect((await chain('vm-jit')).nicNsg?.custom).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1400));
    const port = (await get(JIT_POLICY)).body.properties.requests[0].virtualMachines[0].ports[0];
    expect(port).toMatchObject({ status: 'Revoked', statusReason: 'Expired' });
    expect((await chain('vm-jit')).nicNsg?.custom).toEqual([`${JIT_DENY} Deny Tcp *->3389 @1000`]);
  });

  it.each([
    [
      'a VM the policy does not cover',
      () => jitRequest(sim.vm('vm-ready'), 3389, inMinutes(60)),
      /not covered/,
    ],
    ['a port the policy does not configure', () => jitRequest(sim.vm('vm-jit'), 3390, inMinutes(60)), /3390/],
    ['an end past the maximum duration', () => jitRequest(sim.vm('vm-jit'), 3389, inMinutes(200)), /PT3H/],
    ['an end in the past', () => jitRequest(sim.vm('vm-jit'), 3389, inMinutes(-1)), /past/],
    [
      'a source that is not an address',
      () => jitRequest(sim.vm('vm-jit'), 3389, inMinutes(60), 'my-pc'),
      /source/,
    ],
    ['no virtual machines', () => ({ virtualMachines: [] }), /virtualMachines/],
  ])('400 for %s', async (_, body, message) => {
    const answer = await call('POST', `${JIT_POLICY}/initiate`, { body: body() });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BadRequest');
    expect(answer.body.error.message).toMatch(message);
    expect((await get(JIT_POLICY)).body.properties.requests).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('NSG security rules', () => {
  const rule = (overrides: Record<string, unknown> = {}) => ({
    properties: {
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '3389',
      sourceAddressPrefix: '203.0.113.7',
      destinationAddressPrefix: '*',
      access: 'Allow',
      priority: 310,
      direction: 'Inbound',
      description: 'RDP now for 203.0.113.7 until 2026-01-01T00:00:00Z',
      ...overrides,
    },
  });
  const rules = `${DEMO}/${NET}/networkSecurityGroups/vm-nsg-deny-nic-nsg/securityRules`;
  const subnetRules = `${NETWORK}/${NET}/networkSecurityGroups/nsg-locked-subnet/securityRules`;

  it('PUT creates (201) then updates (200), DELETE removes (200) then finds nothing (204); the NSG follows', async () => {
    const created = await call('PUT', `${subnetRules}/rdp-now-203-0-113-7?api-version=2024-05-01`, {
      body: rule(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      name: 'rdp-now-203-0-113-7',
      id: `${subnetRules}/rdp-now-203-0-113-7`,
      properties: { provisioningState: 'Succeeded', ...rule().properties },
    });
    const custom = async () => (await chain('vm-nsg-deny')).subnetNsg?.custom;
    expect(await custom()).toEqual(['rdp-now-203-0-113-7 Allow Tcp 203.0.113.7->3389 @310']);

    const updated = await call('PUT', `${subnetRules}/RDP-NOW-203-0-113-7`, {
      body: rule({ priority: 320 }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body.name).toBe('rdp-now-203-0-113-7');
    expect(await custom()).toEqual(['rdp-now-203-0-113-7 Allow Tcp 203.0.113.7->3389 @320']);

    expect((await call('DELETE', `${subnetRules}/rdp-now-203-0-113-7`)).status).toBe(200);
    expect(await custom()).toEqual([]);
    expect((await call('DELETE', `${subnetRules}/rdp-now-203-0-113-7`)).status).toBe(204);
    expect((await get(`${subnetRules}/rdp-now-203-0-113-7`)).status).toBe(404);
  });

  it('keeps lists of prefixes and ranges as given', async () => {
    const body = rule({
      sourceAddressPrefix: undefined,
      sourceAddressPrefixes: ['203.0.113.7', '198.51.100.0/24'],
      destinationPortRange: undefined,
      destinationPortRanges: ['3389', '50000-50010'],
    });
    const answer = await call('PUT', `${subnetRules}/lists`, { body });
    expect(answer.status).toBe(201);
    expect(answer.body.properties.sourceAddressPrefixes).toEqual(['203.0.113.7', '198.51.100.0/24']);
    expect(answer.body.properties.destinationPortRanges).toEqual(['3389', '50000-50010']);
    expect(answer.body.properties).not.toHaveProperty('sourceAddressPrefix');
  });

  it.each([
    ['a priority out of range', rule({ priority: 50 }), 'SecurityRuleInvalidPriority'],
    ['a priority and direction already taken', rule({ priority: 300 }), 'SecurityRuleConflict'],
    ['an unknown protocol', rule({ protocol: 'Http' }), 'InvalidRequestFormat'],
    ['a bad port range', rule({ destinationPortRange: '3389-80' }), 'SecurityRuleInvalidPortRange'],
    ['a bad address', rule({ sourceAddressPrefix: '300.1.2.3/40' }), 'SecurityRuleInvalidAddressPrefix'],
    [
      'both a prefix and prefixes',
      rule({ sourceAddressPrefixes: ['1.2.3.4'] }),
      'SecurityRuleParameterContainsUnsupportedValue',
    ],
    ['no destination port', rule({ destinationPortRange: undefined }), 'SecurityRuleParameterMissing'],
    ['no properties', { name: 'x' }, 'InvalidRequestFormat'],
  ])('400 for %s', async (_, body, code) => {
    const answer = await call('PUT', `${nsgPath('vm-ready-nsg')}/securityRules/new-rule`, { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe(code);
    expect((await chain('vm-ready')).nicNsg?.custom).toEqual([RDP]);
  });

  it('400 for a body that is not JSON or a bad rule name; 404 for an NSG that does not exist', async () => {
    const garbage = await call('PUT', `${nsgPath('vm-ready-nsg')}/securityRules/x`, {
      rawBody: '{"properties":',
    });
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('InvalidRequestContent');
    const name = await call('PUT', `${nsgPath('vm-ready-nsg')}/securityRules/-bad-`, { body: rule() });
    expect(name.body.error.code).toBe('InvalidResourceName');
    const missing = await call('PUT', `${rules}/x`, { body: rule() });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ParentResourceNotFound');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe("ARM's errors", () => {
  it('401 without a token, with a malformed header, and for an expired token; the IP lookup needs none', async () => {
    const none = await get(sim.vm('vm-ready'), { token: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('AuthenticationFailed');
    expect(none.headers['www-authenticate']).toMatch(
      /^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\//,
    );
    const basic = await get(sim.vm('vm-ready'), {
      token: null,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(basic.status).toBe(401);
    expect(basic.body.error.code).toBe('AuthenticationFailed');
    const expired = await get(sim.vm('vm-ready'), { token: 'expired' });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('ExpiredAuthenticationToken');
    expect((await get('/ip-lookup', { token: null })).body).toEqual({ ip: '203.0.113.7' });
  });

  it('404 ResourceNotFound, ResourceGroupNotFound, SubscriptionNotFound; unknown routes and methods', async () => {
    const vm = await get(`${DEMO}/providers/Microsoft.Compute/virtualMachines/vm-nope`);
    expect(vm.status).toBe(404);
    expect(vm.body.error).toEqual({
      code: 'ResourceNotFound',
      message: expect.stringContaining(
        "'Microsoft.Compute/virtualMachines/vm-nope' under resource group 'rg-rdpnow-demo'",
      ),
    });
    const group = await get(
      `${SUB}/resourceGroups/rg-nope/providers/Microsoft.Compute/virtualMachines/vm-ready`,
    );
    expect(group.status).toBe(404);
    expect(group.body.error.code).toBe('ResourceGroupNotFound');
    const subscription = await get(sim.vm('vm-ready').replace('6a4c3b1e', '00000000'));
    expect(subscription.body.error.code).toBe('SubscriptionNotFound');
    const subnet = await get(`${NETWORK}/${NET}/virtualNetworks/vnet-demo/subnets/nope`);
    expect(subnet.body.error.code).toBe('ResourceNotFound');
    const route = await get(`${DEMO}/providers/Microsoft.Storage/storageAccounts`);
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('NotFound');
    const method = await call('PATCH', sim.vm('vm-ready'), { body: {} });
    expect(method.status).toBe(405);
    expect(method.body.error.code).toBe('MethodNotAllowed');
  });

  it('denyPermission: 403 AuthorizationFailed naming the action and the scope, for every request needing it', async () => {
    sim.denyPermission('Microsoft.Network/networkSecurityGroups/read');
    const nsg = await get(nsgPath('vm-ready-nsg'));
    expect(nsg.status).toBe(403);
    expect(nsg.body.error.code).toBe('AuthorizationFailed');
    expect(nsg.body.error.message).toContain(
      `perform action 'Microsoft.Network/networkSecurityGroups/read' over scope '${nsgPath('vm-ready-nsg')}'`,
    );
    expect((await get(`${SUB}/${NET}/networkSecurityGroups`)).status).toBe(403);
    expect((await get(`${NETWORK}/${NET}/networkSecurityGroups/nsg-locked-subnet`)).status).toBe(403);
    expect((await get(`${DEMO}/${NET}/networkInterfaces/vm-ready-nic`)).status).toBe(200);

    sim.denyPermission('microsoft.compute/virtualMachines/start/action');
    const start = await call('POST', `${sim.vm('vm-stopped')}/start`);
    expect(start.status).toBe(403);
    expect(start.body.error.message).toContain(
      `'Microsoft.Compute/virtualMachines/start/action' over scope '${sim.vm('vm-stopped')}'`,
    );

    sim.clearFaults();
    expect((await get(nsgPath('vm-ready-nsg'))).status).toBe(200);
    expect((await call('POST', `${sim.vm('vm-stopped')}/start`)).status).toBe(202);
  });

  it('403 for JIT reads and initiate, each on its own permission', async () => {
    sim.denyPermission('Microsoft.Security/locations/jitNetworkAccessPolicies/initiate/action');
    expect((await get(`${SUB}/providers/Microsoft.Security/jitNetworkAccessPolicies`)).status).toBe(200);
    const initiate = await call('POST', `${JIT_POLICY}/initiate`, {
      body: jitRequest(sim.vm('vm-jit'), 3389, inMinutes(60)),
    });
    expect(initiate.status).toBe(403);
    expect(initiate.body.error.message).toContain(`over scope '${JIT_POLICY}'`);
    sim.denyPermission('Microsoft.Security/locations/jitNetworkAccessPolicies/read');
    expect((await get(`${SUB}/providers/Microsoft.Security/jitNetworkAccessPolicies`)).status).toBe(403);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('faults, latency, reset and the request log', () => {
  it('429 with Retry-After for the given number of times, then normal answers', async () => {
    sim.injectFault({ path: /networkInterfaces/i, status: 429, retryAfterSeconds: 7, times: 2 });
    const nic = `${DEMO}/${NET}/networkInterfaces/vm-ready-nic`;
    for (let i = 0; i < 2; i++) {
      const throttled = await get(nic);
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('7');
      expect(throttled.body.error.code).toBe('TooManyRequests');
      expect(throttled.body.error.message).toContain("'7' seconds");
    }
    expect((await get(nic)).status).toBe(200);
  });

  it('500 with an ARM body, only for the given method', async () => {
    sim.injectFault({ method: 'post', path: /\/start$/, status: 500 });
    expect((await get(sim.vm('vm-stopped'))).status).toBe(200);
    const failed = await call('POST', `${sim.vm('vm-stopped')}/start`);
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe('InternalServerError');
    sim.clearFaults();
    expect((await call('POST', `${sim.vm('vm-stopped')}/start`)).status).toBe(202);
  });

  it('a malformed body: 200 that does not parse', async () => {
    sim.injectFault({ path: /virtualMachines\/vm-ready$/, status: 200, malformedBody: true, times: 1 });
    const broken = await get(sim.vm('vm-ready'));
    expect(broken.status).toBe(200);
    expect(broken.headers['content-type']).toMatch(/application\/json/);
    expect(() => JSON.parse(broken.text)).toThrow();
    expect((await get(sim.vm('vm-ready'))).body.name).toBe('vm-ready');
  });

  it('hangMs delays the answer (and a 2xx fault then answers normally)', async () => {
    sim.injectFault({ path: /ip-lookup/, status: 200, hangMs: 250, times: 1 });
    const started = performance.now();
    const slow = await get('/ip-lookup');
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    expect(slow.body).toEqual({ ip: '203.0.113.7' });
    sim.injectFault({ path: /ip-lookup/, status: 503, hangMs: 100, times: 1 });
    expect((await get('/ip-lookup')).status).toBe(503);
  });

  it('latency is added to every request, and the log records its start and end', async () => {
    sim.setLatency(150);
    sim.resetLog();
    const started = performance.now();
    const [a, b] = await Promise.all([get(sim.vm('vm-ready')), get('/ip-lookup')]);
    const elapsed = performance.now() - started;
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(elapsed).toBeLessThan(290); // in parallel, not one after the other
    for (const entry of sim.requests) expect(entry.end - entry.start).toBeGreaterThanOrEqual(145);
  });

  it('the request log lists every request in order of arrival, paths without the query string', async () => {
    sim.resetLog();
    expect(sim.requests).toEqual([]);
    await get(`${sim.vm('vm-ready')}?$expand=instanceView&api-version=2024-07-01`);
    await get(`${DEMO}/providers/Microsoft.Compute/virtualMachines/vm-nope`);
    await get('/ip-lookup', { token: null });
    await call('POST', `${sim.vm('vm-stopped')}/start`);
    expect(sim.requests.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'GET', path: sim.vm('vm-ready'), status: 200 },
      { method: 'GET', path: `${DEMO}/providers/Microsoft.Compute/virtualMachines/vm-nope`, status: 404 },
      { method: 'GET', path: '/ip-lookup', status: 200 },
      { method: 'POST', path: `${sim.vm('vm-stopped')}/start`, status: 202 },
    ]);
    const starts = sim.requests.map((r) => r.start);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
    for (const r of sim.requests) expect(r.end).toBeGreaterThanOrEqual(r.start);
  });

  it('reset() restores the initial world, latency, permissions and faults, and clears the log', async () => {
    const start = await call('POST', `${sim.vm('vm-deallocated')}/start`);
    for (let i = 0; i < 3; i++) await get(String(start.headers['azure-asyncoperation']));
    await call('POST', `${JIT_POLICY}/initiate`, { body: jitRequest(sim.vm('vm-jit'), 3389, inMinutes(60)) });
    await call('DELETE', `${nsgPath('vm-ready-nsg')}/securityRules/RDP`);
    sim.setLatency(500);
    sim.denyPermission('Microsoft.Compute/virtualMachines/read');
    sim.injectFault({ path: /ip-lookup/, status: 500 });

    sim.reset();
    expect(sim.requests).toEqual([]);
    const started = performance.now();
    expect((await get('/ip-lookup')).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(400);
    expect(await chain('vm-deallocated')).toEqual(EXPECTED['vm-deallocated']);
    expect(await chain('vm-jit')).toEqual(EXPECTED['vm-jit']);
    expect(await chain('vm-ready')).toEqual(EXPECTED['vm-ready']);
    expect((await get(JIT_POLICY)).body.properties.requests).toEqual([]);
  });

  it('options: latencyMs is the starting latency that reset() returns to; sourceIp is what the lookup answers', async () => {
    const slow = await startSimulatedAzure({ latencyMs: 120, sourceIp: '198.51.100.23' });
    const slowAgent = new https.Agent({ ca: slow.caCertPem });
    try {
      const timed = async () => {
        const started = performance.now();
        const answer = await request(slow, slowAgent, 'GET', '/ip-lookup');
        return { ms: performance.now() - started, body: answer.body };
      };
      const first = await timed();
      expect(first.ms).toBeGreaterThanOrEqual(115);
      expect(first.body).toEqual({ ip: '198.51.100.23' });
      slow.setLatency(0);
      await timed();
      // How long a request with no added latency takes depends on the machine's load: read what was added.
      expect(slow.requests.at(-1)?.latencyMs).toBe(0);
      slow.reset();
      expect((await timed()).ms).toBeGreaterThanOrEqual(115);
      expect(slow.requests.at(-1)?.latencyMs).toBe(120);
    } finally {
      slowAgent.destroy();
      await slow.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('paths and hosts', () => {
  it('paths match case-insensitively; ids come back in canonical casing', async () => {
    const lower = await get(sim.vm('vm-ready').toLowerCase());
    expect(lower.status).toBe(200);
    expect(lower.body.id).toBe(sim.vm('vm-ready'));
    const upper = await get(`${DEMO}/${NET}/networkInterfaces/vm-ready-nic`.toUpperCase());
    expect(upper.status).toBe(200);
    expect(upper.body.id).toBe(`${DEMO}/${NET}/networkInterfaces/vm-ready-nic`);
    const mixed = `${SUB}/resourcegroups/RG-NETWORK/providers/microsoft.network/virtualnetworks/VNET-DEMO/subnets/Locked`;
    expect((await get(mixed)).body.name).toBe('locked');
    const start = await call('POST', `${sim.vm('vm-stopped').toUpperCase()}/START`);
    expect(start.status).toBe(202);
    expect((await get(`${sim.vm('vm-stopped')}/instanceView`)).body.statuses[1].code).toBe(
      'PowerState/starting',
    );
  });

  it('serves api.ipify.org and the Azure hosts with a certificate the CA verifies', async () => {
    const ipify = await get('/', {
      token: null,
      headers: { host: 'api.ipify.org' },
      servername: 'api.ipify.org',
    });
    expect(ipify.body).toEqual({ ip: '203.0.113.7' });
    const portal = await get(sim.vm('vm-ready'), {
      headers: { host: 'management.azure.com' },
      servername: 'management.azure.com',
    });
    expect(portal.status).toBe(200);
    const cert = portal.socket.getPeerX509Certificate();
    for (const name of [
      'management.azure.com',
      'portal.azure.com',
      'login.microsoftonline.com',
      'api.ipify.org',
      'localhost',
    ]) {
      expect(cert?.subjectAltName).toContain(`DNS:${name}`);
    }
    expect(cert?.subjectAltName).toContain('IP Address:127.0.0.1');
    // Links handed out follow the Host the client used.
    const start = await call('POST', `${sim.vm('vm-stopped')}/start`, {
      headers: { host: 'management.azure.com' },
      servername: 'management.azure.com',
    });
    expect(String(start.headers.location)).toMatch(/^https:\/\/management\.azure\.com\/subscriptions\//);
    // Without the CA the certificate is refused.
    await expect(request(sim, new https.Agent(), 'GET', '/ip-lookup', { token: null })).rejects.toThrow(
      /self-signed|unable to verify|certificate/i,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('through the Azure SDK pipeline', () => {
  const credential = {
    getToken: async () => ({ token: 'sdk-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  const client = () =>
    getClient(sim.url, credential, {
      credentials: { scopes: ['https://management.azure.com/.default'] },
      tlsOptions: { ca: sim.caCertPem },
      retryOptions: { maxRetries: 2, retryDelayInMs: 10 },
    });

  it('reads a VM, retrying a 429 after its Retry-After', async () => {
    sim.injectFault({ path: /vm-ready$/, status: 429, retryAfterSeconds: 0, times: 1 });
    sim.resetLog();
    const response = await client()
      .pathUnchecked(sim.vm('vm-ready'))
      .get({ queryParameters: { 'api-version': '2024-07-01', $expand: 'instanceView' } });
    expect(response.status).toBe('200');
    expect((response.body as Json).properties.instanceView.statuses[1].code).toBe('PowerState/running');
    expect(sim.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('starts a VM with @azure/core-lro until done', async () => {
    const sdk = client();
    const toLro = (response: HttpResponse) => ({
      flatResponse: response,
      rawResponse: {
        statusCode: Number(response.status),
        headers: Object.fromEntries(Object.entries(response.headers)),
        body: response.body,
        request: { url: response.request.url, method: response.request.method },
      },
    });
    sim.resetLog();
    const poller = createHttpPoller(
      {
        sendInitialRequest: async () =>
          toLro(
            await sdk
              .pathUnchecked(`${sim.vm('vm-deallocated')}/start`)
              .post({ queryParameters: { 'api-version': '2024-07-01' } }),
          ),
        sendPollRequest: async (path: string) => toLro(await sdk.pathUnchecked(path).get()),
      },
      { intervalInMs: 5, resourceLocationConfig: 'location' },
    );
    await poller.pollUntilDone();
    expect(poller.operationState?.status).toBe('succeeded');
    expect(await chain('vm-deallocated')).toMatchObject({ power: 'PowerState/running' });
    const operations = sim.requests.filter((r) => r.path.includes('/operations/'));
    expect(sim.requests[0]?.method).toBe('POST');
    expect(operations.length).toBeGreaterThanOrEqual(3);
  });
});
