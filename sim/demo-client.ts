/**
 * The demo's custom RDP client (RDPNOW_CLIENT): the real FreeRDP client, given the `.rdp` file the host wrote.
 * The simulated VMs' addresses do not exist, so it stands in for the network too: it connects to the local RDP
 * server instead (`/v:` after the file overrides its address) — except at `127.0.0.1:<port>`, a Bastion
 * tunnel's local end, which is real: the client goes through the tunnel and the simulated Bastion to the server.
 * It feeds the demo server's password on stdin — the product itself never handles passwords. Headless, it only
 * authenticates (`/auth-only`) and records the exit code with the address the `.rdp` named; on a desktop (or
 * after `holdNextRun()`) it opens a real session window on DISPLAY.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One finished run of the client: its exit code and the `full address` of the `.rdp` it was given. */
export interface ClientRun {
  exit: number;
  address: string;
}

export interface DemoClient {
  program: string;
  /** Every finished run so far, in the order they ended. */
  runs(): ClientRun[];
  /** The name of each `.rdp` it was given, in the order they came: `<VM name>.rdp` when the launch had a title. */
  fileNames(): string[];
  /** The next run keeps a session open (no `/auth-only`) until its connection ends or 60 s pass. */
  holdNextRun(): void;
  remove(): void;
}

export function writeDemoClient(server: { port: number; password: string }, headless: boolean): DemoClient {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-demo-client-'));
  const program = path.join(dir, 'demo-client');
  const secret = path.join(dir, 'password');
  const results = path.join(dir, 'results');
  const names = path.join(dir, 'file-names');
  const hold = path.join(dir, 'hold');
  writeFileSync(secret, `${server.password}\n`, { mode: 0o600 });
  const mode = headless ? '/auth-only' : '/size:1024x768';
  writeFileSync(
    program,
    [
      '#!/bin/sh',
      `basename "$1" >> '${names}'`,
      // The host writes UTF-16LE with a BOM, which iconv's UTF-16 reads and drops.
      `address=$(iconv -f UTF-16 -t UTF-8 "$1" | tr -d '\\r' | sed -n 's/^full address:s://p')`,
      `case "$address" in 127.0.0.1:*) target="$address" ;; *) target='127.0.0.1:${server.port}' ;; esac`,
      `mode='${mode}'`,
      `if [ -e '${hold}' ]; then rm -f '${hold}'; mode='/size:800x600'; fi`,
      `timeout 60 xfreerdp "$1" "/v:$target" /from-stdin:force /cert:ignore $mode < '${secret}' >> '${dir}/client.log' 2>&1`,
      `echo "$? $address" >> '${results}'`,
      '',
    ].join('\n'),
  );
  chmodSync(program, 0o755);
  writeFileSync(results, '');
  writeFileSync(names, '');
  return {
    program,
    runs: () =>
      readFileSync(results, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [exit = '', address = ''] = line.split(' ');
          return { exit: Number(exit), address };
        }),
    fileNames: () => readFileSync(names, 'utf8').split('\n').filter(Boolean),
    holdNextRun: () => writeFileSync(hold, ''),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
