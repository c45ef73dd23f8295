/**
 * Check timings against the simulated Azure at 100 ms per request (docs/PROTOCOL.md §5). Run as a child of
 * bench/run.ts, which starts it with NODE_EXTRA_CA_CERTS so Node trusts the simulation's certificate.
 * Prints one JSON object.
 */
import { readFileSync } from 'node:fs';
import { API, createArm } from '../shared/azure/arm';
import { CLOUDS } from '../shared/azure/clouds';
import type { TopologyCache } from '../shared/checks/engine';
import { runCheck } from '../shared/checks/engine';
import type { Topology } from '../shared/checks/gather';
import { parseVmResourceId } from '../shared/resource-id';
import { startSimulatedAzure } from '../sim/arm/index';
import type { TlsMaterial } from '../sim/tls';
import { longestChain } from './depth';
import { type CheckSample, checkSummary } from './stats';

const RUNS = 7;
const tls = JSON.parse(readFileSync(process.env.RDPNOW_BENCH_TLS as string, 'utf8')) as TlsMaterial;
const sim = await startSimulatedAzure({ latencyMs: 100, tls });
const arm = createArm({
  credential: { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) },
  cloud: CLOUDS.AzureCloud,
  endpoint: sim.url,
});
// The worst case for depth: the VNet and the subnet's NSG live in another resource group than the VM.
const target = parseVmResourceId(sim.vm('vm-nsg-deny'));
if (!target) throw new Error('bad VM id');

function memoryCache(): TopologyCache {
  const map = new Map<string, Topology>();
  return { get: async (id) => map.get(id) ?? null, set: async (id, t) => void map.set(id, t) };
}

async function timed(fn: () => Promise<unknown>): Promise<CheckSample> {
  sim.resetLog();
  const start = performance.now();
  await fn();
  return { ms: performance.now() - start, depth: longestChain(sim.requests) };
}

const options = { port: 3389, privateMode: false, sourceIp: '203.0.113.7' };
const first: CheckSample[] = [];
const known: CheckSample[] = [];
const naive: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const cache = memoryCache();
  first.push(await timed(() => runCheck(arm, target, { ...options, cache })));
  known.push(await timed(() => runCheck(arm, target, { ...options, cache })));
  naive.push((await timed(() => naiveCheck(target.id))).ms);
}

/** The same facts, one request after another, the way Get-AzRemoteDesktopFile walks VM → NIC → IP. */
async function naiveCheck(vmId: string): Promise<void> {
  const vm = (await arm.get(vmId, API.compute, { $expand: 'instanceView' })) as {
    properties: { networkProfile: { networkInterfaces: Array<{ id: string }> } };
  };
  const nicId = vm.properties.networkProfile.networkInterfaces[0]?.id as string;
  const nic = (await arm.get(nicId, API.network)) as {
    properties: {
      networkSecurityGroup?: { id: string };
      ipConfigurations: Array<{ properties: { subnet: { id: string }; publicIPAddress?: { id: string } } }>;
    };
  };
  const config = nic.properties.ipConfigurations[0]?.properties;
  if (config?.publicIPAddress) await arm.get(config.publicIPAddress.id, API.network);
  const subnet = (await arm.get(config?.subnet.id as string, API.network)) as {
    properties: { networkSecurityGroup?: { id: string } };
  };
  if (subnet.properties.networkSecurityGroup)
    await arm.get(subnet.properties.networkSecurityGroup.id, API.network);
  if (nic.properties.networkSecurityGroup) await arm.get(nic.properties.networkSecurityGroup.id, API.network);
  await arm.list(
    `/subscriptions/${target?.subscriptionId}/providers/Microsoft.Security/jitNetworkAccessPolicies`,
    API.security,
  );
}

await sim.close();
process.stdout.write(`${JSON.stringify(checkSummary(first, known, naive))}\n`);
