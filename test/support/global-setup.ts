/**
 * Before any test worker starts: one TLS authority for every simulated Azure in this run, trusted through
 * NODE_EXTRA_CA_CERTS — which Node reads only at start-up, so it must be set before the workers (and the CLI
 * processes they spawn) exist.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulationTls } from '../../sim/tls';

export default async function setup(): Promise<() => void> {
  const tls = await simulationTls();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-test-tls-'));
  writeFileSync(path.join(dir, 'ca.pem'), tls.caCertPem);
  writeFileSync(path.join(dir, 'tls.json'), JSON.stringify(tls), { mode: 0o600 });
  process.env.NODE_EXTRA_CA_CERTS = path.join(dir, 'ca.pem');
  process.env.RDPNOW_TEST_TLS = path.join(dir, 'tls.json');
  return () => rmSync(dir, { recursive: true, force: true });
}
