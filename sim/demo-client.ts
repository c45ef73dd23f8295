/**
 * The demo's custom RDP client (RDPNOW_CLIENT): the real FreeRDP client, given the `.rdp` file the host wrote.
 * The simulated VMs' addresses do not exist, so it stands in for the network too: it connects to the local RDP
 * server instead (`/v:` after the file overrides its address). It feeds the demo server's password on stdin —
 * the product itself never handles passwords. Headless, it only authenticates (`/auth-only`) and records the
 * exit code; on a desktop it opens a real session window.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DemoClient {
  program: string;
  /** A file each run appends `<exit code>` to, one line per connection. */
  results: string;
}

export function writeDemoClient(server: { port: number; password: string }, headless: boolean): DemoClient {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-demo-client-'));
  const program = path.join(dir, 'demo-client');
  const secret = path.join(dir, 'password');
  const results = path.join(dir, 'results');
  writeFileSync(secret, `${server.password}\n`, { mode: 0o600 });
  const mode = headless ? '/auth-only' : '/size:1024x768';
  writeFileSync(
    program,
    [
      '#!/bin/sh',
      `timeout 60 xfreerdp "$1" /v:127.0.0.1:${server.port} /from-stdin:force /cert:ignore ${mode} < '${secret}' >> '${dir}/client.log' 2>&1`,
      `echo $? >> '${results}'`,
      '',
    ].join('\n'),
  );
  chmodSync(program, 0o755);
  writeFileSync(results, '');
  return { program, results };
}
