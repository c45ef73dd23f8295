/**
 * The Bastion route's keys (docs/PROTOCOL.md §5): `checkDepthBastion` (a first check of vm-bastion, Resource
 * Graph requests counted, the larger of the runs with Resource Graph answering and refused), `bastionSetupMs`
 * (local TCP connect to the first byte back through the tunnel, the simulated Bastion at 100 ms per request)
 * and `bastionThroughputRatio` (bulk bytes per second through the relay ÷ the same transfer direct, one run).
 * The simulated Bastion with the echo server (bench/bastion-server.ts) and the tunnel (bench/bastion-tunnel.ts, the
 * host's part) each run in a child, so the client, the relay and the far side do not share one thread, as they
 * do not in use. Run as a child of bench/run.ts, which trusts the simulation's certificate. Prints one JSON object.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
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
/** Pairs of bulk transfers (relayed, then direct), after one warm-up pair: the median of each side is compared. */
const PAIRS = 3;
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

const child = (script: string, args: string[] = []) =>
  spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
const server = child('bench/bastion-server.ts');
const lines = createInterface({ input: server.stdout as NodeJS.ReadableStream });
const nextLine = () => new Promise<string>((resolve) => lines.once('line', resolve));
const { url, echoPort } = JSON.parse(await nextLine()) as { url: string; echoPort: number };
const setLatency = async (ms: number) => {
  server.stdin?.write(`latency ${ms}\n`);
  await nextLine();
};
await setLatency(100);
const tunnel = child('bench/bastion-tunnel.ts', [url, target.id]);
const tunnelPort = Number(
  await new Promise<string>((resolve) =>
    createInterface({ input: tunnel.stdout as NodeJS.ReadableStream }).once('line', resolve),
  ),
);

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
for (let i = 0; i < RUNS; i++) setups.push((await transfer(tunnelPort, Buffer.from('x'))).firstMs);
await setLatency(0);
const bulk = randomBytes(BULK);
// Each timed from the connection's first byte, so the relay's session setup is not counted as transfer; the first
// pair only warms up both paths (the relay's code is cold at first, the echo server's barely).
const rate = (r: { firstMs: number; totalMs: number }) => BULK / (r.totalMs - r.firstMs);
const relayed: number[] = [];
const direct: number[] = [];
for (let i = 0; i <= PAIRS; i++) {
  const viaRelay = await transfer(tunnelPort, bulk);
  const straight = await transfer(echoPort, bulk);
  if (!viaRelay.ok || !straight.ok) throw new Error('the bulk transfer came back altered');
  if (i === 0) continue;
  relayed.push(rate(viaRelay));
  direct.push(rate(straight));
  if (process.env.RDPNOW_BENCH_VERBOSE)
    console.error(`pair ${i}: relay ${rate(viaRelay) / 1000} MB/s, direct ${rate(straight) / 1000} MB/s`);
}
const ended = (c: typeof server) => new Promise((resolve) => c.once('close', resolve));
tunnel.stdin?.end();
await ended(tunnel);
server.stdin?.end();
await ended(server);

process.stdout.write(
  `${JSON.stringify({
    checkDepthBastion: Math.max(median(withGraph), median(withoutGraph)),
    checkDepthBastionGraph: median(withGraph),
    checkDepthBastionNoGraph: median(withoutGraph),
    bastionSetupMs: median(setups),
    bastionThroughputRatio: median(relayed) / median(direct),
    // The rates behind the ratio, in MB/s (bytes per ms ÷ 1000), for reading the ratio on a given machine.
    bastionRelayMBps: median(relayed) / 1000,
    bastionDirectMBps: median(direct) / 1000,
  })}\n`,
);
