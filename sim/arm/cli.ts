/**
 * Runs the simulated Azure until Ctrl-C: `npx tsx sim/arm/cli.ts [--port N] [--latency MS]`.
 * Prints the ARM endpoint, the CA file to trust (NODE_EXTRA_CA_CERTS), the subscription and every VM id.
 */
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SIM_VM_NAMES, startSimulatedAzure } from './index';

const usage = 'usage: npx tsx sim/arm/cli.ts [--port N] [--latency MS]';

function nonNegativeInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} needs a whole number of 0 or more, not "${value}"\n${usage}`);
    process.exit(2);
  }
  return n;
}

let args: { port?: string; latency?: string; help?: boolean };
try {
  args = parseArgs({
    options: { port: { type: 'string' }, latency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}

const port = nonNegativeInteger('port', args.port);
const latencyMs = nonNegativeInteger('latency', args.latency);
const sim = await startSimulatedAzure({
  ...(port === undefined ? {} : { port }),
  ...(latencyMs === undefined ? {} : { latencyMs }),
});
const caFile = path.join(os.tmpdir(), `rdp-now-sim-ca-${new URL(sim.url).port}.pem`);
writeFileSync(caFile, sim.caCertPem);

console.log(
  `Simulated Azure Resource Manager: ${sim.url}${latencyMs ? ` (${latencyMs} ms per request)` : ''}`,
);
console.log(`IP lookup:        ${sim.ipLookupUrl}`);
console.log(`CA certificate:   ${caFile}`);
console.log(`                  e.g. NODE_EXTRA_CA_CERTS=${caFile}`);
console.log(`Subscription:     ${sim.subscriptionId}`);
console.log('Any bearer token is accepted ("expired" is refused as expired). VMs:');
for (const name of SIM_VM_NAMES) console.log(`  ${sim.vm(name)}`);
console.log('Ctrl-C stops it.');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  rmSync(caFile, { force: true });
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
