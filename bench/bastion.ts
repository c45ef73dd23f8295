/**
 * The Bastion route's keys (docs/PROTOCOL.md §5): `checkDepthBastion` (a first check of vm-bastion, Resource
 * Graph requests counted, the larger of the runs with Resource Graph answering and refused), `bastionSetupMs`
 * (local TCP connect to the first byte back through the tunnel, the simulated Bastion at 100 ms per request)
 * and `bastionThroughputRatio` (bulk bytes per second through the relay ÷ the same transfer direct, one run).
 * The simulated Bastion and the echo server run in a child (bench/bastion-server.ts). Run as a child of
 * bench/run.ts, which trusts the simulation's certificate. Prints one JSON object.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { deleteSession, requestSession, tunnelUrl } from '../host/tunnel/bastion-api';
import { openTunnel } from '../host/tunnel/tunnel';
import { createArm } from '../shared/azure/arm';
import { CLOUDS } from '../shared/azure/clouds';
import { runCheck } from '../shared/checks/engine';
import { parseVmResourceId } from '../shared/resource-id';
import { startSimulatedAzure } from '../sim/arm/index';
import type { TlsMaterial } from '../sim/tls';
import { longestChain } from './depth';
import { median } from './stats';

const RUNS = 7;
const BULK = 64 * 1024 * 1024;
const tls = JSON.parse(readFileSync(process.env.RDPNOW_BENCH_TLS as string, 'utf8')) as TlsMaterial;

// ----------------------------------------------------------------------------------------------- depth

const sim = await startSimulatedAzure({ latencyMs: 100, tls });
const arm = createArm({
  credential: { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }) },
  cloud: CLOUDS.AzureCloud,
  endpoint: sim.url,
});
const target = parseVmResourceId(sim.vm('vm-bastion'));
if (!target) throw new Error('bad VM id');
const depth = async (refuseGraph: boolean) => {
  sim.clearFaults();
  if (refuseGraph) sim.denyPermission('Microsoft.ResourceGraph/resources/read');
  sim.resetLog();
  const run = await runCheck(arm, target, {
    port: 3389,
    privateMode: false,
    via: 'auto',
    sourceIp: '203.0.113.7',
  });
  if (run.report.target.via !== 'bastion') throw new Error('vm-bastion did not take the Bastion route');
  return longestChain(sim.requests);
};
const withGraph: number[] = [];
const withoutGraph: number[] = [];
for (let i = 0; i < RUNS; i++) {
  withGraph.push(await depth(false));
  withoutGraph.push(await depth(true));
}
await sim.close();

// ------------------------------------------------------------------------------------------- the relay

// The simulated Bastion and the echo server run in a child process, so the relay's cost is not shared on one core.
const server = spawn(process.execPath, ['--import', 'tsx', 'bench/bastion-server.ts'], {
  env: process.env,
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
const { url, echoPort } = JSON.parse(await nextLine()) as { url: string; echoPort: number };
const setLatency = async (ms: number) => {
  server.stdin?.write(`latency ${ms}\n`);
  await nextLine();
};
await setLatency(100);
const bastion = { url };
const endpoint = { origin: bastion.url, wsOrigin: bastion.url.replace(/^https:/, 'wss:') };
const tunnel = await openTunnel({
  openSession: () => requestSession({ endpoint, vmId: target.id, port: 3389, armToken: 'bench' }),
  url: (session) => tunnelUrl(endpoint, session),
  closeSession: (session) => deleteSession(endpoint, session),
});

/** Connect, send `data`, read it all back: ms to the first byte and to the last. */
function transfer(port: number, data: Buffer): Promise<{ firstMs: number; totalMs: number; ok: boolean }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    let got = 0;
    const hash = createHash('sha256');
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    socket.on('data', (chunk: Buffer) => {
      if (got === 0) first = performance.now() - start;
      got += chunk.length;
      hash.update(chunk);
      if (got >= data.length) {
        const totalMs = performance.now() - start;
        socket.end();
        resolve({
          firstMs: first,
          totalMs,
          ok: hash.digest('hex') === createHash('sha256').update(data).digest('hex'),
        });
      }
    });
    socket.once('error', reject);
  });
}

const setups: number[] = [];
for (let i = 0; i < RUNS; i++) setups.push((await transfer(tunnel.port, Buffer.from('x'))).firstMs);
await setLatency(0);
const bulk = randomBytes(BULK);
// Both timed from the connection's first byte, so the relay's session setup is not counted as transfer.
const relayed = await transfer(tunnel.port, bulk);
const direct = await transfer(echoPort, bulk);
if (!relayed.ok || !direct.ok) throw new Error('the bulk transfer came back altered');
const rate = (r: { firstMs: number; totalMs: number }) => BULK / (r.totalMs - r.firstMs);
await tunnel.close();
server.stdin?.end();
await new Promise((resolve) => server.once('close', resolve));

process.stdout.write(
  `${JSON.stringify({
    checkDepthBastion: Math.max(median(withGraph), median(withoutGraph)),
    checkDepthBastionGraph: median(withGraph),
    checkDepthBastionNoGraph: median(withoutGraph),
    bastionSetupMs: median(setups),
    bastionThroughputRatio: rate(relayed) / rate(direct),
  })}\n`,
);
