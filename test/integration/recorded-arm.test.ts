/**
 * The real engine (runCheck on the real ARM client, over HTTPS) reads answers that Azure really sent: every
 * recording of test/fixtures/recorded-arm is served by path, and each VM's report must say what the recording
 * says — power state, address and route, the NSG verdict for RDP from the internet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArm } from '../../shared/azure/arm';
import { CLOUDS } from '../../shared/azure/clouds';
import { runCheck, type TopologyCache } from '../../shared/checks/engine';
import type { Topology } from '../../shared/checks/gather';
import type { CheckReport, CheckStatus, Via } from '../../shared/checks/report';
import { parseVmResourceId } from '../../shared/resource-id';
import { loadJitList, loadRecordings, type RecordedArm, startRecordedArm } from '../support/recorded-arm';

interface Expected {
  powerState: string;
  address: string | null;
  via: Via | null;
  addressCheck: CheckStatus;
  nsg: CheckStatus;
  /** The RDP port to check (a recording whose NAT rule forwards SSH is checked on 22). */
  port?: number;
  targetPort?: number;
}

/** What each recording says, read from its bodies by hand. */
const EXPECTED: Record<string, Expected> = {
  // Deallocated, yet the recorded public IP still holds its address; the NIC's NSG allows SSH only.
  'cli-deallocated': {
    powerState: 'deallocated',
    address: '13.90.149.66',
    via: 'public-ip',
    addressCheck: 'pass',
    nsg: 'fail',
  },
  // An NSG without rules of its own: DenyAllInBound decides.
  'cli-existing-nsg': {
    powerState: 'running',
    address: '40.118.226.120',
    via: 'public-ip',
    addressCheck: 'pass',
    nsg: 'fail',
  },
  // No public IP; the load balancer's NAT rule forwards 50000 to the VM's SSH port.
  'cli-lb-nat': {
    powerState: 'running',
    address: '104.45.218.218',
    via: 'load-balancer-nat',
    addressCheck: 'pass',
    nsg: 'pass',
    port: 22,
    targetPort: 50000,
  },
  'cli-multi-nic': { powerState: 'running', address: null, via: null, addressCheck: 'fail', nsg: 'pass' },
  // The subnet's NSG (which lists the subnet as a reference) and the NIC's both allow every port.
  'cli-open-port': {
    powerState: 'running',
    address: '23.101.192.98',
    via: 'public-ip',
    addressCheck: 'pass',
    nsg: 'pass',
  },
  'cli-stopped': {
    powerState: 'stopped',
    address: '13.90.149.66',
    via: 'public-ip',
    addressCheck: 'pass',
    nsg: 'fail',
  },
  'java-custom-image': {
    powerState: 'deallocated',
    address: '52.161.16.161',
    via: 'public-ip',
    addressCheck: 'pass',
    nsg: 'pass',
  },
  'java-manage-vm': { powerState: 'running', address: null, via: null, addressCheck: 'fail', nsg: 'pass' },
  'java-msi-nsg': { powerState: 'running', address: null, via: null, addressCheck: 'fail', nsg: 'fail' },
  'java-vm-nics': {
    powerState: 'running',
    address: '40.117.58.88',
    via: 'public-ip',
    addressCheck: 'pass',
    nsg: 'pass',
  },
  // Running, and its dynamic public IP has no address: there is no route (not "assigned when it starts").
  'netfluent-encrypt': {
    powerState: 'running',
    address: null,
    via: null,
    addressCheck: 'fail',
    nsg: 'pass',
  },
  'netfluent-manage-vm': {
    powerState: 'running',
    address: null,
    via: null,
    addressCheck: 'fail',
    nsg: 'pass',
  },
  'netsdk-linux': { powerState: 'running', address: null, via: null, addressCheck: 'fail', nsg: 'pass' },
  'netsdk-scenario': { powerState: 'running', address: null, via: null, addressCheck: 'fail', nsg: 'pass' },
  'ruby-expand': { powerState: 'running', address: null, via: null, addressCheck: 'fail', nsg: 'pass' },
};

const recordings = loadRecordings();
const jit = loadJitList();
let server: RecordedArm;

beforeAll(async () => {
  server = await startRecordedArm();
});

afterAll(async () => {
  await server.close();
});

const credential = {
  getToken: async () => ({ token: 'recorded-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** The ids a first check remembers, so that a second one reads them directly (no lists) as for a VM seen before. */
function memoryCache(): TopologyCache {
  const known = new Map<string, Topology>();
  return {
    get: async (vmId) => known.get(vmId.toLowerCase()) ?? null,
    set: async (vmId, topology) => void known.set(vmId.toLowerCase(), topology),
  };
}

async function check(
  recording: (typeof recordings)[number],
  port: number,
  cache?: TopologyCache,
): Promise<CheckReport> {
  server.serve(new Map([...recording.bodies, [jit.path, jit.body]]));
  const target = parseVmResourceId(recording.vmId);
  if (!target) throw new Error(`not a VM id: ${recording.vmId}`);
  const arm = createArm({ credential, cloud: CLOUDS.AzureCloud, endpoint: server.url, maxRetries: 0 });
  const options = { port, privateMode: false, sourceIp: '203.0.113.7', ...(cache && { cache }) };
  const { report } = await runCheck(arm, target, options);
  return report;
}

const status = (report: CheckReport, id: string) => report.checks.find((c) => c.id === id)?.status;

describe('recorded ARM answers read right', () => {
  it('every recording has an expectation', () => {
    expect(recordings.map((r) => r.case).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(recordings.map((r) => [r.case, r] as const))('%s', async (name, recording) => {
    const expected = EXPECTED[name];
    if (!expected) throw new Error(`no expectation for ${name}`);
    const port = expected.port ?? 3389;
    const cache = memoryCache();
    const report = await check(recording, port, cache);
    // Met the first time (group lists) or seen before (cached ids read directly): the same report.
    expect(await check(recording, port, cache)).toEqual(report);
    expect({
      powerState: report.vm.powerState,
      address: report.target.address,
      via: report.target.via,
      targetPort: report.target.port,
      addressCheck: status(report, 'address'),
      nsg: status(report, 'nsg'),
      power: status(report, 'power'),
    }).toEqual({
      powerState: expected.powerState,
      address: expected.address,
      via: expected.via,
      targetPort: expected.targetPort ?? port,
      addressCheck: expected.addressCheck,
      nsg: expected.nsg,
      power: expected.powerState === 'running' ? 'pass' : 'fail',
    });
    // Nothing the engine asked for went anywhere but this server.
    expect(server.requests.every((r) => r.host === `127.0.0.1:${server.port}`)).toBe(true);
  });
});
