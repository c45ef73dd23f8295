/**
 * The bearer token goes to ARM only: an ARM answer whose NIC, public IP or NSG id is not an ARM path (an
 * absolute URL, another host, `..`, a query or fragment) makes no request at all — to ARM or to the host it
 * names — and the check that needed it says so. The real engine and ARM client over HTTPS, a recorded VM
 * (test/fixtures/recorded-arm/cli-open-port.json) with one id poisoned per case, and a second HTTPS server
 * standing in for other.example.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArmError, armPath, createArm } from '../../shared/azure/arm';
import { CLOUDS } from '../../shared/azure/clouds';
import { runCheck } from '../../shared/checks/engine';
import { parseVmResourceId } from '../../shared/resource-id';
import { loadRecordings, type RecordedArm, type Served, startRecordedArm } from '../support/recorded-arm';
import { testTls } from '../support/test-azure';

const recording = loadRecordings().find((r) => r.case === 'cli-open-port');
if (!recording) throw new Error('cli-open-port.json is missing');
const GROUP = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/cli_test_open_port000001';
const NET = `${GROUP}/providers/Microsoft.Network`;
const NIC = `${NET}/networkInterfaces/vm1VMNic`;
const PIP = `${NET}/publicIPAddresses/vm1PublicIP`;
const NIC_NSG = `${NET}/networkSecurityGroups/vm1NSG`;
const SUBNET_NSG = `${NET}/networkSecurityGroups/newNsg`;

let arm: RecordedArm;
let other: https.Server;
let otherOrigin: string;
const otherSeen: Served[] = [];

beforeAll(async () => {
  arm = await startRecordedArm();
  const tls = testTls();
  other = https.createServer({ key: tls.keyPem, cert: tls.certPem + tls.caCertPem }, (req, res) => {
    otherSeen.push({
      method: req.method ?? '',
      host: req.headers.host ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  // Another origin (host name) on the loopback: what other.example would be.
  otherOrigin = `https://localhost:${(other.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await arm.close();
  other.closeAllConnections();
  await new Promise((resolve) => other.close(resolve));
});

const credential = {
  getToken: async () => ({ token: 'secret-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** The recording with every reference to `id` in the bodies (as Azure wrote it) replaced by `poisoned`. */
function poison(id: string, poisoned: string): Map<string, string> {
  const bodies = new Map<string, string>();
  const quoted = new RegExp(`"${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'gi');
  for (const [path, body] of recording?.bodies ?? []) {
    // The references to the resource, not its own body's id (which would only file it under the poisoned key).
    bodies.set(path, path === id.toLowerCase() ? body : body.replace(quoted, JSON.stringify(poisoned)));
  }
  return bodies;
}

describe('an id that is not an ARM path is refused before any request', () => {
  it.each([
    ['the NIC id is an absolute URL', NIC, () => `${otherOrigin}${NIC}`, 'address'],
    ['the public IP id names another host', PIP, () => `//localhost:1${PIP}`, 'address'],
    ['the NIC NSG id climbs out with ..', NIC_NSG, () => `${GROUP}/../../../x${NIC_NSG}`, 'nsg'],
    ['the subnet NSG id carries a query', SUBNET_NSG, () => `${SUBNET_NSG}?x=${otherOrigin}`, 'nsg'],
    ['the subnet NSG id carries a fragment', SUBNET_NSG, () => `${SUBNET_NSG}#x`, 'nsg'],
  ])('%s: no request for it, the check is unknown and says why', async (_, id, poisoned, checkId) => {
    const bad = poisoned();
    arm.serve(poison(id, bad));
    arm.requests.length = 0;
    otherSeen.length = 0;
    const target = parseVmResourceId(recording.vmId);
    if (!target) throw new Error('not a VM id');
    const client = createArm({ credential, cloud: CLOUDS.AzureCloud, endpoint: arm.url, maxRetries: 0 });
    const { report } = await runCheck(client, target, {
      port: 3389,
      privateMode: false,
      sourceIp: '203.0.113.7',
    });
    const check = report.checks.find((c) => c.id === checkId);
    expect(check?.status).toBe('unknown');
    expect(check?.summary).toMatch(/not an ARM path .*no request was made/);
    expect(report.ready).toBe(false);
    expect(otherSeen).toEqual([]);
    // Every request went to ARM's own origin, each for a path of the recorded subscription.
    expect(arm.requests.every((r) => r.host === `127.0.0.1:${arm.port}`)).toBe(true);
    expect(arm.requests.filter((r) => !r.path.startsWith(`${GROUP.split('/resourceGroups')[0]}/`))).toEqual(
      [],
    );
    expect(arm.requests.filter((r) => /[?&]x=|#/.test(r.path))).toEqual([]);
  });
});

describe('armPath', () => {
  it.each([
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/n', true],
    ['/SUBSCRIPTIONS/s/resourcegroups/rg(1)/providers/Microsoft.Network/networkInterfaces/n.ä', true],
    ['https://other.example/subscriptions/s', false],
    ['//other.example/subscriptions/s', false],
    ['subscriptions/s', false],
    ['/subscriptions/s/../../x', false],
    ['/subscriptions/s/./x', false],
    ['/subscriptions/s/%2e%2e/x', false],
    ['/subscriptions/s/x?y=1', false],
    ['/subscriptions/s/x#y', false],
    ['/subscriptions/s/x\\y', false],
    ['/subscriptions/s//x', false],
    ['/subscriptions/s/x y', false],
    ['/subscriptions/s/x\ny', false],
    ['/providers/Microsoft.Compute/x', false],
    ['/providers/Microsoft.ResourceGraph/resources', true],
  ])('%s → %s', (id, ok) => {
    if (ok) expect(armPath(id)).toBe(id);
    else expect(() => armPath(id)).toThrow(ArmError);
  });
});
