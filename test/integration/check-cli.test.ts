/**
 * `rdp-now check | connect | cleanup` of the built CLI against the simulated Azure over real HTTPS: the real
 * Azure SDK pipeline, every named VM's verdict, the fixes, and the errors a user meets.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { longestChain } from '../../bench/depth';
import type { CheckReport } from '../../shared/checks/report';
import type { SimulatedAzure, SimVmName } from '../../sim/arm/index';
import { cliEnv, runCli, runCliJson } from '../support/cli';
import { tempDir } from '../support/temp';
import { startTestAzure } from '../support/test-azure';

let sim: SimulatedAzure;
beforeAll(async () => {
  sim = await startTestAzure();
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.reset();
});

/** A fresh home per call unless one is given: no topology cache, no state from other tests. */
const env = (home?: string) => cliEnv(home ? { HOME: home } : {});
const base = () => ['--token', 'test-token', '--arm-endpoint', sim.url, '--source-ip', '203.0.113.7'];
const check = (vm: SimVmName, ...extra: string[]) =>
  runCliJson<CheckReport>(['check', sim.vm(vm), ...base(), ...extra], env());
const byId = (report: CheckReport) => Object.fromEntries(report.checks.map((c) => [c.id, c]));

describe('check: the verdict of every simulated VM', () => {
  it('vm-ready: every check passes and the target is the public IP', async () => {
    const { code, json } = await check('vm-ready');
    expect(code).toBe(0);
    expect(json).toMatchObject({
      vm: {
        id: sim.vm('vm-ready'),
        name: 'vm-ready',
        resourceGroup: 'rg-rdpnow-demo',
        location: 'westeurope',
        powerState: 'running',
      },
      target: {
        address: '20.50.1.10',
        port: 3389,
        via: 'public-ip',
        fqdn: 'vm-ready.westeurope.cloudapp.azure.com',
      },
      sourceIp: '203.0.113.7',
      ready: true,
    });
    expect(json.checks.map((c) => [c.id, c.status])).toEqual([
      ['power', 'pass'],
      ['address', 'pass'],
      ['nsg', 'pass'],
      ['jit', 'pass'],
    ]);
    expect(byId(json).nsg?.detail).toEqual({
      subnet: { nsgId: null, access: 'Allow', rule: null },
      nic: {
        nsgId: expect.stringMatching(/\/networkSecurityGroups\/vm-ready-nsg$/),
        access: 'Allow',
        rule: 'RDP',
      },
    });
    expect(byId(json).nsg?.summary).toMatch(/Virtual Network Manager/);
  });

  it('vm-deallocated: start-vm, and the dynamic IP has no address yet', async () => {
    const { code, json } = await check('vm-deallocated');
    expect(code).toBe(1);
    expect(json.vm.powerState).toBe('deallocated');
    expect(byId(json).power).toMatchObject({ status: 'fail', fixes: ['start-vm'] });
    expect(byId(json).address).toMatchObject({ status: 'warn' });
    expect(json.target).toMatchObject({ address: null, via: 'public-ip' });
    expect(json.ready).toBe(false);
  });

  it('vm-stopped: start-vm for a stopped (still allocated) VM', async () => {
    const { json } = await check('vm-stopped');
    expect(byId(json).power).toMatchObject({
      status: 'fail',
      fixes: ['start-vm'],
      summary: expect.stringMatching(/stopped/),
    });
  });

  it('vm-jit: request-jit, and the JIT deny is not an add-nsg-rule case', async () => {
    const { code, json } = await check('vm-jit');
    expect(code).toBe(1);
    expect(byId(json).jit).toMatchObject({ status: 'fail', fixes: ['request-jit'] });
    expect(byId(json).nsg).toMatchObject({ status: 'fail', fixes: [] });
    expect(byId(json).nsg?.detail?.nic.rule).toMatch(/^SecurityCenter-JITRule_/);
  });

  it('vm-nsg-deny: the subnet NSG denies by DenyAllInBound; add-nsg-rule is offered', async () => {
    const { json } = await check('vm-nsg-deny');
    expect(byId(json).nsg).toMatchObject({
      status: 'fail',
      fixes: ['add-nsg-rule'],
      detail: {
        subnet: {
          nsgId: expect.stringMatching(
            /rg-network\/providers\/Microsoft.Network\/networkSecurityGroups\/nsg-locked-subnet$/i,
          ),
          access: 'Deny',
          rule: 'DenyAllInBound',
        },
        nic: { nsgId: null, access: 'Allow', rule: null },
      },
    });
  });

  it('vm-private: no public route; --private connects to the private IP', async () => {
    const { json } = await check('vm-private');
    expect(byId(json).address).toMatchObject({ status: 'fail', fixes: ['use-private-ip'] });
    expect(json.target.via).toBeNull();
    const privately = await check('vm-private', '--private');
    expect(privately.json.target).toEqual({ address: '10.0.1.6', port: 3389, via: 'private-ip', fqdn: null });
    expect(byId(privately.json).address?.status).toBe('pass');
  });

  it('vm-lb-nat: through the load balancer inbound NAT rule, on its frontend port', async () => {
    const { code, json } = await check('vm-lb-nat');
    expect(code).toBe(0);
    expect(json.target).toMatchObject({ address: '20.50.1.99', port: 50001, via: 'load-balancer-nat' });
  });

  it('vm-linux: use SSH', async () => {
    const { code, json } = await check('vm-linux');
    expect(code).toBe(1);
    expect(json.checks[0]).toMatchObject({ id: 'os', status: 'fail', summary: expect.stringMatching(/SSH/) });
  });

  it('vm-multi-nic: the primary NIC decides', async () => {
    const { code, json } = await check('vm-multi-nic');
    expect(code).toBe(0);
    expect(json.target.via).toBe('public-ip');
    expect(json.target.address).not.toBeNull();
  });

  it('vm-service-tag: an AzureCloud-only rule cannot be judged offline: warn', async () => {
    const { json } = await check('vm-service-tag');
    expect(byId(json).nsg).toMatchObject({ status: 'warn', summary: expect.stringMatching(/AzureCloud/) });
  });

  it('an unknown source IP makes the NSG check warn, never pass', async () => {
    const result = await runCliJson<CheckReport>(
      ['check', sim.vm('vm-nsg-deny'), '--token', 't', '--arm-endpoint', sim.url, '--no-ip-lookup'],
      env(),
    );
    expect(result.json.sourceIp).toBeNull();
    expect(byId(result.json).nsg?.status).not.toBe('pass');
  });

  it('looks the source IP up over HTTPS when not given', async () => {
    const result = await runCliJson<CheckReport>(
      [
        'check',
        sim.vm('vm-ready'),
        '--token',
        't',
        '--arm-endpoint',
        sim.url,
        '--ip-lookup-url',
        sim.ipLookupUrl,
      ],
      env(),
    );
    expect(result.json.sourceIp).toBe('203.0.113.7');
  });

  it('--private still looks the source IP up (only --no-ip-lookup turns it off; --source-ip wins)', async () => {
    const args = ['check', sim.vm('vm-private'), '--private', '--token', 't', '--arm-endpoint', sim.url];
    const looked = await runCliJson<CheckReport>([...args, '--ip-lookup-url', sim.ipLookupUrl], env());
    expect(looked.json.sourceIp).toBe('203.0.113.7');
    expect(looked.json.target.via).toBe('private-ip');
    const off = await runCliJson<CheckReport>([...args, '--no-ip-lookup'], env());
    expect(off.json.sourceIp).toBeNull();
    const given = await runCliJson<CheckReport>(
      [...args, '--ip-lookup-url', sim.ipLookupUrl, '--source-ip', '198.51.100.9'],
      env(),
    );
    expect(given.json.sourceIp).toBe('198.51.100.9');
  });

  it('accepts a portal URL as TARGET', async () => {
    const url = `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${sim.vm('vm-ready')}/overview`;
    const { code, json } = await runCliJson<CheckReport>(['check', url, ...base()], env());
    expect(code).toBe(0);
    expect(json.vm.name).toBe('vm-ready');
  });

  it('prints a readable table without --json', async () => {
    const result = await runCli(['check', sim.vm('vm-nsg-deny'), ...base()], env());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/PASS +power +The VM is running\./);
    expect(result.stdout).toMatch(/FAIL +nsg /);
    expect(result.stdout).toMatch(/subnet: nsg-locked-subnet denies by DenyAllInBound; NIC: no NSG/);
    expect(result.stdout).toMatch(/fix: "rdp-now connect --fix --add-nsg-rule"/);
    expect(result.stdout).toMatch(/Ready: no/);
  });
});

describe('check: reads in parallel', () => {
  it('needs at most 2 dependent requests for a VM met the first time, 1 when seen before', async () => {
    const home = tempDir('cli');
    sim.setLatency(100);
    try {
      sim.resetLog();
      await runCliJson(['check', sim.vm('vm-nsg-deny'), ...base()], env(home));
      const first = longestChain(sim.requests);
      sim.resetLog();
      await runCliJson(['check', sim.vm('vm-nsg-deny'), ...base()], env(home));
      const known = longestChain(sim.requests);
      expect(first).toBeLessThanOrEqual(2);
      expect(known).toBe(1);
    } finally {
      sim.setLatency(0);
    }
  });
});

describe('check: errors become one sentence, never a crash or a false pass', () => {
  it('403 on NSGs: nsg is unknown and names the permission; the other checks still run', async () => {
    sim.denyPermission('Microsoft.Network/networkSecurityGroups/read');
    const { code, json } = await check('vm-ready');
    expect(code).toBe(1);
    expect(byId(json).nsg).toMatchObject({
      status: 'unknown',
      summary: expect.stringContaining('Microsoft.Network/networkSecurityGroups/read'),
    });
    expect(byId(json).nsg?.detail?.nic.access).toBeNull();
    expect(byId(json).power?.status).toBe('pass');
    expect(byId(json).address?.status).toBe('pass');
  });

  it('403 on JIT policies: jit warns (many users lack it) and does not block', async () => {
    sim.denyPermission('Microsoft.Security/locations/jitNetworkAccessPolicies/read');
    const { code, json } = await check('vm-ready');
    expect(byId(json).jit).toMatchObject({
      status: 'warn',
      summary: expect.stringMatching(/could not be read/),
    });
    expect(code).toBe(0);
  });

  it('403 on the VM itself: nothing can be judged, exit 3', async () => {
    sim.denyPermission('Microsoft.Compute/virtualMachines/read');
    const { code, json } = await check('vm-ready');
    expect(code).toBe(3);
    expect((json as unknown as { error: string }).error).toMatch(/Microsoft.Compute\/virtualMachines\/read/);
  });

  it('401 (an expired token): exit 3 with advice to sign in again', async () => {
    const result = await runCli(
      ['check', sim.vm('vm-ready'), '--token', 'expired', '--arm-endpoint', sim.url, '--no-ip-lookup'],
      env(),
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/sign in again/);
  });

  it('404: a VM that does not exist', async () => {
    const missing = sim.vm('vm-ready').replace(/vm-ready$/, 'vm-nope');
    const result = await runCli(['check', missing, ...base()], env());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/vm-nope was not found/);
  });

  it('429 with Retry-After: retried, then answered', async () => {
    sim.injectFault({ path: /virtualMachines\/vm-ready$/i, status: 429, retryAfterSeconds: 1, times: 1 });
    const { code } = await check('vm-ready');
    expect(code).toBe(0);
  });

  it('a persistent 500 on the NIC: address and nsg are unknown', async () => {
    sim.injectFault({ method: 'GET', path: /networkInterfaces/i, status: 500 });
    const { code, json } = await check('vm-ready');
    expect(code).toBe(1);
    expect(byId(json).address?.status).toBe('unknown');
    expect(byId(json).nsg?.status).toBe('unknown');
  }, 60_000);

  it('a malformed VM body: exit 3, not a crash', async () => {
    sim.injectFault({ path: /virtualMachines\/vm-ready$/i, status: 200, malformedBody: true });
    const result = await runCli(['check', sim.vm('vm-ready'), ...base()], env());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/rdp-now: .*(not JSON|unexpected body)/);
  });

  it.each([
    [
      'a TARGET that is not a VM',
      () => [sim.vm('vm-ready').replace('virtualMachines/vm-ready', 'disks/d1'), ...base()],
    ],
    ['a bad source IP', () => [sim.vm('vm-ready'), '--source-ip', '1.2.3', '--token', 't']],
  ])('usage error: %s', async (_, args) => {
    expect((await runCli(['check', ...args()], env())).code).toBe(2);
  });

  it.each(['0', '0x10', '1e3', ' 3389', '3389.0', '+3389', '65536', ''])(
    '--port %j is a usage error: decimal digits only, 1 to 65535',
    async (port) => {
      const result = await runCli(['check', sim.vm('vm-ready'), ...base(), '--port', port], env());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--port must be a number from 1 to 65535/);
      expect(sim.requests).toEqual([]);
    },
  );

  it('--port 3390 is the port checked', async () => {
    const { json } = await check('vm-ready', '--port', '3390');
    expect(json.target.port).toBe(3390);
  });

  it('reads the token from stdin with --token -', async () => {
    const result = await runCli(
      ['check', sim.vm('vm-ready'), '--token', '-', '--arm-endpoint', sim.url, '--source-ip', '203.0.113.7'],
      env(),
      'test-token\n',
    );
    expect(result.code).toBe(0);
  });
});

describe('connect --fix', () => {
  /** A custom client that does nothing, in a fresh home unless one is given. */
  const customClient = (home?: string) => ({ ...env(home), RDPNOW_CLIENT: '/bin/true' });

  it('starts a deallocated VM, waits until it runs, re-checks and launches', async () => {
    const result = await runCliJson<{
      reports: CheckReport[];
      fixes: string[];
      launch: { client: string; rdp: string };
    }>(['connect', sim.vm('vm-deallocated'), ...base(), '--fix', '--user', 'azureuser'], customClient());
    expect(result.code).toBe(0);
    expect(result.json.reports.map((r) => r.vm.powerState)).toEqual(['deallocated', 'running']);
    expect(result.json.fixes.join('\n')).toMatch(/start vm-deallocated/);
    expect(result.json.launch.client).toBe('custom');
    expect(result.json.launch.rdp).toMatch(/^full address:s:20\.50\.1\.20:3389\r\nusername:s:azureuser\r\n/);
    expect(sim.requests.some((r) => r.method === 'POST' && /\/start$/i.test(r.path))).toBe(true);
  });

  it('requests JIT access for the source IP, then launches', async () => {
    const result = await runCliJson<{ reports: CheckReport[]; launch: unknown }>(
      ['connect', sim.vm('vm-jit'), ...base(), '--fix'],
      customClient(),
    );
    expect(result.code).toBe(0);
    expect(byId(result.json.reports.at(-1) as CheckReport).jit?.status).toBe('pass');
    expect(sim.requests.some((r) => r.method === 'POST' && /\/initiate$/i.test(r.path))).toBe(true);
  });

  it('adds an NSG rule only with --add-nsg-rule, shows it first, and cleanup removes it', async () => {
    const home = tempDir('cli');
    const without = await runCli(['connect', sim.vm('vm-nsg-deny'), ...base(), '--fix'], customClient(home));
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/"--add-nsg-rule" would add/);
    expect(sim.requests.some((r) => r.method === 'PUT')).toBe(false);

    const withRule = await runCli(
      ['connect', sim.vm('vm-nsg-deny'), ...base(), '--fix', '--add-nsg-rule'],
      customClient(home),
    );
    expect(withRule.code).toBe(0);
    expect(withRule.stderr).toMatch(
      /rdp-now-203-0-113-7-3389 — Allow Tcp from 203\.0\.113\.7\/32 to 10\.0\.2\.4:3389, priority 4096/,
    );
    expect(
      sim.requests.some(
        (r) => r.method === 'PUT' && /securityRules\/rdp-now-203-0-113-7-3389$/i.test(r.path),
      ),
    ).toBe(true);

    const kept = await runCli(['cleanup', sim.vm('vm-nsg-deny'), ...base()], customClient(home));
    expect(kept.stdout).toMatch(/kept rdp-now-203-0-113-7-3389/);
    const removed = await runCli(['cleanup', sim.vm('vm-nsg-deny'), ...base(), '--all'], customClient(home));
    expect(removed.stdout).toMatch(/removed rdp-now-203-0-113-7-3389 from nsg-locked-subnet/);
    expect((await check('vm-nsg-deny')).json.ready).toBe(false);
  });

  it('--dry-run changes nothing', async () => {
    const result = await runCli(
      ['connect', sim.vm('vm-deallocated'), ...base(), '--fix', '--dry-run'],
      customClient(),
    );
    expect(result.stderr).toMatch(/Would start vm-deallocated/);
    expect(sim.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('--dry-run also prints the launch it would make', async () => {
    const home = tempDir('cli');
    const result = await runCliJson<{
      fixes: string[];
      launch: { client: string; argv: string[]; rdp: string };
    }>(['connect', sim.vm('vm-jit'), ...base(), '--fix', '--dry-run'], customClient(home));
    expect(result.code).toBe(0);
    expect(result.json.fixes.join('\n')).toMatch(/Would request just-in-time access/);
    expect(result.json.launch).toMatchObject({ client: 'custom', argv: ['/bin/true', expect.any(String)] });
    // The file is named after the VM, so a client that titles its window by the file names the VM.
    expect(result.json.launch.argv[1]).toMatch(/\/vm-jit\.rdp$/);
    expect(result.json.launch.rdp).toMatch(/^full address:s:20\.50\.1\.\d+:3389\r\n/);
    const text = await runCli(
      ['connect', sim.vm('vm-jit'), ...base(), '--fix', '--dry-run'],
      customClient(home),
    );
    expect(text.stdout).toMatch(/^Would run \/bin\/true /m);
    expect(sim.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('--dry-run on a VM with no address yet says the launch follows once it has one', async () => {
    const result = await runCli(
      ['connect', sim.vm('vm-deallocated'), ...base(), '--fix', '--dry-run'],
      customClient(),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/The launch would follow once vm-deallocated has an address/);
    expect(result.stdout).not.toMatch(/Would run/);
  });

  it('a start Azure refuses: one sentence naming the permission, exit 1 (--json: error)', async () => {
    sim.denyPermission('Microsoft.Compute/virtualMachines/start/action');
    const home = tempDir('cli');
    const json = await runCliJson<{ error: string; launch: null }>(
      ['connect', sim.vm('vm-stopped'), ...base(), '--fix'],
      customClient(home),
    );
    expect(json.code).toBe(1);
    expect(json.json.error).toMatch(
      /^Starting vm-stopped failed: You lack the permission Microsoft\.Compute\/virtualMachines\/start\/action\.$/,
    );
    expect(json.json.launch).toBeNull();
    const text = await runCli(['connect', sim.vm('vm-stopped'), ...base(), '--fix'], customClient(home));
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^rdp-now: Starting vm-stopped failed: .*start\/action\.$/m);
  });

  it('a JIT request or an NSG rule Azure refuses: exit 1 with one sentence', async () => {
    const home = tempDir('cli');
    sim.denyPermission('Microsoft.Security/locations/jitNetworkAccessPolicies/initiate/action');
    const jit = await runCliJson<{ error: string }>(
      ['connect', sim.vm('vm-jit'), ...base(), '--fix'],
      customClient(home),
    );
    expect(jit.code).toBe(1);
    expect(jit.json.error).toMatch(/^Requesting just-in-time access failed: .*initiate\/action\.$/);

    sim.denyPermission('Microsoft.Network/networkSecurityGroups/securityRules/write');
    const rule = await runCliJson<{ error: string }>(
      ['connect', sim.vm('vm-nsg-deny'), ...base(), '--fix', '--add-nsg-rule'],
      customClient(home),
    );
    expect(rule.code).toBe(1);
    expect(rule.json.error).toMatch(
      /^Adding the rule rdp-now-203-0-113-7-3389 to nsg-locked-subnet failed: .*securityRules\/write\.$/,
    );
  });

  it('cleanup: a DELETE Azure refuses is one sentence and exit 1 (--json: error for that NSG)', async () => {
    const home = tempDir('cli');
    const added = await runCli(
      ['connect', sim.vm('vm-nsg-deny'), ...base(), '--fix', '--add-nsg-rule'],
      customClient(home),
    );
    expect(added.code).toBe(0);
    sim.denyPermission('Microsoft.Network/networkSecurityGroups/securityRules/delete');
    const text = await runCli(['cleanup', sim.vm('vm-nsg-deny'), ...base(), '--all'], customClient(home));
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(
      /^rdp-now: Removing the rule rdp-now-203-0-113-7-3389 of nsg-locked-subnet failed: .*securityRules\/delete\.$/m,
    );
    const json = await runCliJson<Array<{ nsgId: string; removed: string[]; error: string | null }>>(
      ['cleanup', sim.vm('vm-nsg-deny'), ...base(), '--all'],
      customClient(home),
    );
    expect(json.code).toBe(1);
    expect(json.json).toEqual([
      expect.objectContaining({ removed: [], error: expect.stringMatching(/securityRules\/delete/) }),
    ]);
  });

  it('without --fix, a VM that is not ready is not launched', async () => {
    const result = await runCli(['connect', sim.vm('vm-stopped'), ...base()], customClient());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--fix/);
  });
});
