/** Runs a benchmark script in a child that trusts the simulation's certificate from its start; returns its JSON. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulationTls } from '../sim/tls';

export async function benchChild(script: string): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-bench-'));
  try {
    const tls = await simulationTls();
    writeFileSync(path.join(dir, 'ca.pem'), tls.caCertPem);
    writeFileSync(path.join(dir, 'tls.json'), JSON.stringify(tls), { mode: 0o600 });
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem'),
        RDPNOW_BENCH_TLS: path.join(dir, 'tls.json'),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise((resolve) => child.once('close', resolve));
    if (code !== 0) throw new Error(`${script} exited with ${code}`);
    return JSON.parse(out) as Record<string, number>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
