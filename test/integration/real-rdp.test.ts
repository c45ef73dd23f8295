/**
 * Proves the file a real client reads: the host, through the custom client, hands its canonical UTF-16LE
 * `.rdp` file to the real FreeRDP client, which authenticates (NLA) to a real FreeRDP server on loopback.
 * The wrapper feeds the test password on stdin (`/from-stdin:force`); the host itself never sees it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../sim/drive';
import { type RdpServer, startRdpServer } from '../../sim/rdp-server';
import { ask, isolatedEnv } from '../support/host-process';
import { tempDir, writeScript } from '../support/temp';

let server: RdpServer;
beforeAll(async () => {
  server = await startRdpServer();
});
afterAll(async () => {
  await server?.stop();
});

/** A custom client that runs xfreerdp on the file with the given password and records its exit code. */
function authenticatingClient(password: string): { program: string; result: string } {
  const dir = tempDir('client');
  const secretFile = path.join(dir, 'password');
  const result = path.join(dir, 'exit-code');
  writeFileSync(secretFile, `${password}\n`, { mode: 0o600 });
  const program = writeScript(
    path.join(dir, 'client'),
    `timeout 30 xfreerdp "$1" /from-stdin:force /cert:ignore /auth-only < '${secretFile}' > '${dir}/client.log' 2>&1`,
    `echo $? > '${result}.tmp' && mv '${result}.tmp' '${result}'`,
  );
  return { program, result };
}

async function exitCodeOf(file: string): Promise<number> {
  await waitFor(() => existsSync(file), 'the client to finish', 40_000);
  return Number(readFileSync(file, 'utf8').trim());
}

describe('a real FreeRDP client reads the host-written file', () => {
  const rdp = () =>
    `full address:s:127.0.0.1:${server.port}\nusername:s:${server.user}\nscreen mode id:i:1\n`;

  it('authenticates with NLA to a real RDP server when the password is right', async () => {
    const client = authenticatingClient(server.password);
    const env = isolatedEnv({ RDPNOW_CLIENT: client.program, DISPLAY: server.display });
    const reply = await ask(env, { v: 1, id: 'ok', type: 'launch', rdp: rdp() });
    expect(reply).toMatchObject({ ok: true, client: 'custom' });
    expect(JSON.stringify(reply)).not.toContain(server.password);
    expect(await exitCodeOf(client.result)).toBe(0);
  });

  it('is refused by the server when the password is wrong', async () => {
    const client = authenticatingClient('wrong-password');
    const failuresBefore = server.log().split('client authentication failure').length;
    const env = isolatedEnv({ RDPNOW_CLIENT: client.program, DISPLAY: server.display });
    expect(await ask(env, { v: 1, id: 'bad', type: 'launch', rdp: rdp() })).toMatchObject({ ok: true });
    expect(await exitCodeOf(client.result)).not.toBe(0);
    expect(server.log().split('client authentication failure').length).toBeGreaterThan(failuresBefore);
  });
});
