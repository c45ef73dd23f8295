/**
 * Before any test worker starts:
 * - one TLS authority for every simulated Azure in this run, trusted through NODE_EXTRA_CA_CERTS — which Node
 *   reads only at start-up, so it must be set before the workers (and the CLI processes they spawn) exist;
 * - a temporary folder of this run's own, made the workers' (and their children's) `os.tmpdir()` through
 *   TMPDIR, and removed at the end. The run fails, naming them, if `rdp-now-*` entries (the names of every
 *   folder the tests make, see temp.ts) are left in it; other leftovers (a browser's) are named in a warning.
 *   Only this run writes there, so test runs of other checkouts on this machine cannot make it fail, as a
 *   before-and-after listing of the shared temporary folder would.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulationTls } from '../../sim/tls';

export default async function setup(): Promise<() => void> {
  const tls = await simulationTls();
  const root = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-test-run-'));
  // Traversable (not listable by name guessing alone: its children stay 0700) so that a test running a program
  // as another user can hand it a copy it may read (temp.ts's publicCopy), wherever the checkout itself lies.
  chmodSync(root, 0o755);
  const dir = mkdtempSync(path.join(root, 'rdp-now-test-tls-'));
  writeFileSync(path.join(dir, 'ca.pem'), tls.caCertPem);
  writeFileSync(path.join(dir, 'tls.json'), JSON.stringify(tls), { mode: 0o600 });
  process.env.NODE_EXTRA_CA_CERTS = path.join(dir, 'ca.pem');
  process.env.RDPNOW_TEST_TLS = path.join(dir, 'tls.json');
  process.env.TMPDIR = root;
  return () => {
    rmSync(dir, { recursive: true, force: true });
    const left = readdirSync(root).map((name) => path.join(root, name));
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    const ours = left.filter((file) => path.basename(file).startsWith('rdp-now-'));
    const others = left.filter((file) => !ours.includes(file));
    if (others.length > 0) console.warn(`Removed what other programs left in ${root}:\n${others.join('\n')}`);
    if (ours.length > 0) {
      // vitest only logs an error thrown here ("error during close") and still exits 0: set the code too.
      process.exitCode = 1;
      throw new Error(`The tests left ${ours.length} temporary folders behind:\n${ours.join('\n')}`);
    }
  };
}
