/**
 * The Bastion route end to end on the simulations: `check --json` verdicts of every Bastion VM (with Resource
 * Graph and with it refused), and `rdp-now tunnel` relaying through the simulated Bastion data plane to a local
 * TCP echo server — reconnects, 64 MiB with back-pressure, a dropped WebSocket, a refused session.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../shared/checks/report';
import type { SimulatedAzure, SimVmName } from '../../sim/arm/index';
import type { SimulatedBastion } from '../../sim/bastion';
import { cliEnv, runCli, runCliJson } from '../support/cli';
import { type EchoBastion, startEchoBastion } from '../support/echo-bastion';
import { HOST_ENTRY } from '../support/host-process';
import { listening } from '../support/ports';
import { startTestAzure } from '../support/test-azure';

let sim: SimulatedAzure;
let bastion: SimulatedBastion;
let echoBastion: EchoBastion;
beforeAll(async () => {
  sim = await startTestAzure();
  echoBastion = await startEchoBastion();
  bastion = echoBastion.bastion;
});
afterAll(async () => {
  await echoBastion?.close();
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
  bastion.reset();
});

const base = () => ['--token', 'test-token', '--arm-endpoint', sim.url, '--source-ip', '203.0.113.7'];
const check = (vm: SimVmName, ...extra: string[]) =>
  runCliJson<CheckReport>(['check', sim.vm(vm), ...base(), ...extra], cliEnv());
const byId = (report: CheckReport) => Object.fromEntries(report.checks.map((c) => [c.id, c]));
const GRAPH = 'Microsoft.ResourceGraph/resources/read';

describe.each([
  ['with Resource Graph', false],
  ['with Resource Graph refused', true],
])('check --json on the Bastion route, %s', (_name, refused) => {
  beforeEach(() => {
    if (refused) sim.denyPermission(GRAPH);
  });

  it('vm-bastion: a Standard Bastion with native client support in the peered hub', async () => {
    const { code, json } = await check('vm-bastion');
    expect(code).toBe(0);
    expect(json.target).toEqual({
      address: '10.10.1.4',
      port: 3389,
      via: 'bastion',
      fqdn: null,
      bastion: {
        id: expect.stringMatching(
          /\/resourceGroups\/rg-hub\/providers\/Microsoft\.Network\/bastionHosts\/bas-hub$/,
        ),
        name: 'bas-hub',
        sku: 'Standard',
        dnsName: expect.stringMatching(/^bst-[0-9a-f-]{36}\.bastion\.azure\.com$/),
      },
    });
    expect(json.checks.map((c) => [c.id, c.status])).toEqual([
      ['power', 'pass'],
      ['address', 'pass'],
      ['bastion', 'pass'],
      ['nsg', 'pass'],
      ['jit', 'pass'],
    ]);
    // The NSG allows the Bastion subnet and denies everyone else: it is judged from the subnet's prefix.
    expect(byId(json).nsg?.summary).toMatch(/10\.100\.1\.0\/26/);
    const graph = sim.requests.filter((r) => r.path.includes('Microsoft.ResourceGraph'));
    expect(graph.map((r) => r.status)).toEqual([refused ? 403 : 200]);
  });

  it.each([
    ['vm-bastion-basic', /Basic SKU.*ask an admin to upgrade it to Standard/],
    ['vm-bastion-notunnel', /native client support turned off: ask an admin to turn it on/],
    ['vm-bastion-unpeered', /peering .* is Disconnected, not Connected: ask an admin/],
    ['vm-private', /No Azure Bastion is in .*: ask an admin to deploy/],
  ] as const)('%s: the bastion check fails naming the fix', async (vm, summary) => {
    const { code, json } = await check(vm);
    expect(code).toBe(1);
    expect(json.target.via).toBeNull();
    expect(byId(json).bastion).toMatchObject({ status: 'fail', summary: expect.stringMatching(summary) });
    expect(byId(json).bastion?.summary.split(/\. /)).toHaveLength(1);
  });
});

describe('check --json: when the bastion check is there', () => {
  it('--via direct and --private leave it out; a public route needs none', async () => {
    expect(byId((await check('vm-bastion', '--via', 'direct')).json).bastion).toBeUndefined();
    expect(byId((await check('vm-bastion', '--private')).json).bastion).toBeUndefined();
    const ready = await check('vm-ready');
    expect(byId(ready.json).bastion).toBeUndefined();
    expect(sim.requests.some((r) => /bastionHosts|ResourceGraph/.test(r.path))).toBe(false);
  });

  it('--via direct judges the NSG from the user: the deny rule then fails it', async () => {
    const { json } = await check('vm-bastion', '--via', 'direct');
    expect(byId(json).nsg?.status).toBe('fail');
  });

  it('a refused Bastion list (Resource Graph refused too) is unknown, naming the permission', async () => {
    sim.denyPermission(GRAPH);
    sim.denyPermission('Microsoft.Network/bastionHosts/read');
    const { code, json } = await check('vm-bastion');
    expect(code).toBe(1);
    expect(byId(json).bastion).toMatchObject({
      status: 'unknown',
      summary: expect.stringMatching(/Microsoft\.Network\/bastionHosts\/read.*Reader role/),
    });
  });

  it('Resource Graph hides what the caller cannot read: a hidden Bastion reads as none found', async () => {
    sim.denyPermission('Microsoft.Network/bastionHosts/read');
    const { json } = await check('vm-bastion');
    expect(byId(json).bastion).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/No Azure Bastion/),
    });
  });

  it('a failing Resource Graph (500) falls back to ARM reads', async () => {
    sim.injectFault({ path: /ResourceGraph/, status: 500 });
    const { json } = await check('vm-bastion');
    expect(json.target.via).toBe('bastion');
  });
});

// ------------------------------------------------------------------------------------------------- tunnel

interface Running {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  exit: Promise<number | null>;
}

async function startTunnel(vm: SimVmName = 'vm-bastion'): Promise<Running> {
  const child = spawn(
    process.execPath,
    [HOST_ENTRY, 'tunnel', sim.vm(vm), ...base(), '--bastion-endpoint', bastion.url],
    { env: cliEnv(), stdio: 'pipe' },
  );
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('close', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      const match = /^127\.0\.0\.1:(\d+)$/m.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    void exit.then((code) => reject(new Error(`tunnel exited ${code}: ${stdout}${stderr}`)));
  });
  return { child, port, stderr: () => stderr, exit };
}

/** Sends `data`, reads back as many bytes, hashing both; resolves with the two hashes. */
function roundTrip(port: number, data: Buffer): Promise<{ sent: string; received: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const hash = createHash('sha256');
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
      if (bytes >= data.length) {
        socket.end();
        resolve({
          sent: createHash('sha256').update(data).digest('hex'),
          received: hash.digest('hex'),
          bytes,
        });
      }
    });
    socket.once('error', reject);
    socket.once('close', () => {
      if (bytes < data.length) reject(new Error(`closed after ${bytes} of ${data.length} bytes`));
    });
    socket.write(data);
  });
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('rdp-now tunnel through the simulated Bastion', () => {
  it('relays both ways for two connections in a row, each with its own session, deleted at the end', async () => {
    const tunnel = await startTunnel();
    try {
      for (let i = 0; i < 2; i++) {
        const result = await roundTrip(tunnel.port, randomBytes(100_000));
        expect(result.received).toBe(result.sent);
      }
      await waitFor(() => bastion.openSessions() === 0);
      const posts = bastion.log.filter((e) => e.method === 'POST');
      expect(posts).toHaveLength(2);
      expect(posts[0]?.fields).toEqual(['resourceId', 'protocol', 'workloadHostPort', 'aztoken']);
      expect(bastion.log.filter((e) => e.method === 'DELETE').map((e) => e.status)).toEqual([204, 204]);
    } finally {
      tunnel.child.kill('SIGINT');
    }
    expect(await tunnel.exit).toBe(0);
    expect(await listening(tunnel.port)).toBe(false);
  });

  it('carries 64 MiB intact (back-pressure: an echo reads as fast as the relay writes)', async () => {
    const tunnel = await startTunnel();
    try {
      const result = await roundTrip(tunnel.port, randomBytes(64 * 1024 * 1024));
      expect(result.bytes).toBe(64 * 1024 * 1024);
      expect(result.received).toBe(result.sent);
    } finally {
      tunnel.child.kill('SIGINT');
      await tunnel.exit;
    }
  }, 60_000);

  it('a Bastion that drops the WebSocket: a clear error, and nothing is left listening', async () => {
    bastion.dropAfterBytes(1000);
    const tunnel = await startTunnel();
    await roundTrip(tunnel.port, randomBytes(50_000)).catch(() => undefined);
    expect(await tunnel.exit).toBe(1);
    expect(tunnel.stderr()).toMatch(/The Bastion dropped the tunnel's WebSocket/);
    expect(await listening(tunnel.port)).toBe(false);
  });

  it.each([
    [403, 'The caller is not authorized.'],
    [404, 'The resource was not found.'],
  ])('a session refused with %i: its message, and the tunnel closes', async (status, message) => {
    bastion.refuseSessions(status, message);
    const tunnel = await startTunnel();
    await roundTrip(tunnel.port, Buffer.from('hello')).catch(() => undefined);
    expect(await tunnel.exit).toBe(1);
    expect(tunnel.stderr()).toContain(
      `The Bastion refused the session with ${status}: ${message.replace(/\.$/, '')}`,
    );
    expect(await listening(tunnel.port)).toBe(false);
  });

  it('connect --dry-run on the Bastion route: the .rdp points at the local end of the tunnel', async () => {
    const { code, json } = await runCliJson<{ launch: { rdp: string }; fixes: string[] }>(
      ['connect', sim.vm('vm-bastion'), ...base(), '--bastion-endpoint', bastion.url, '--dry-run'],
      cliEnv(),
    );
    expect(code).toBe(0);
    expect(json.launch.rdp).toMatch(/^full address:s:127\.0\.0\.1:\d+\r$/m);
    expect(json.fixes.join('\n')).toMatch(/tunnel through the Bastion bas-hub to vm-bastion/);
    // A dry run opens no session.
    expect(bastion.log).toEqual([]);
  });

  it('a VM with no usable Bastion: no tunnel, the bastion check says why', async () => {
    const result = await runCli(['tunnel', sim.vm('vm-bastion-basic'), ...base()], cliEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Basic SKU/);
  });

  it('the token goes only to a host under bastion.azure.com', async () => {
    const { bastionEndpoint } = await import('../../host/tunnel/bastion-api');
    expect(bastionEndpoint('bst-1.bastion.azure.com', 'AzureCloud').origin).toBe(
      'https://bst-1.bastion.azure.com',
    );
    expect(() => bastionEndpoint('bst-1.bastion.azure.com.evil.example', 'AzureCloud')).toThrow(/not under/);
    expect(() => bastionEndpoint('evil.example/x.bastion.azure.com', 'AzureCloud')).toThrow(/not under/);
    expect(() => bastionEndpoint('bst-1.bastion.azure.com', 'AzureUSGovernment')).toThrow(/not supported/);
  });
});
