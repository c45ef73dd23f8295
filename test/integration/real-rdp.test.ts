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

/**
 * Launches the host's file through a custom client that runs xfreerdp on it with the given password, and
 * resolves to the host's reply and the client's exit code.
 */
async function launchWithPassword(
  password: string,
): Promise<{ reply: Record<string, unknown>; code: number }> {
  const dir = tempDir('client');
  const secretFile = path.join(dir, 'password');
  const result = path.join(dir, 'exit-code');
  writeFileSync(secretFile, `${password}\n`, { mode: 0o600 });
  const program = writeScript(
    path.join(dir, 'client'),
    `timeout 30 xfreerdp "$1" /from-stdin:force /cert:ignore /auth-only < '${secretFile}' > '${dir}/client.log' 2>&1`,
    `echo $? > '${result}.tmp' && mv '${result}.tmp' '${result}'`,
  );
  const rdp = `full address:s:127.0.0.1:${server.port}\nusername:s:${server.user}\nscreen mode id:i:1\n`;
  const env = isolatedEnv({ RDPNOW_CLIENT: program, DISPLAY: server.display });
  const reply = await ask(env, { v: 1, id: 'launch', type: 'launch', rdp });
  await waitFor(() => existsSync(result), 'the client to finish', 40_000);
  return { reply, code: Number(readFileSync(result, 'utf8').trim()) };
}

const authFailures = () => server.log().split('client authentication failure').length - 1;

describe('a real FreeRDP client reads the host-written file', () => {
  it('authenticates with NLA to a real RDP server when the password is right', async () => {
    const { reply, code } = await launchWithPassword(server.password);
    expect(reply).toMatchObject({ ok: true, client: 'custom' });
    expect(JSON.stringify(reply)).not.toContain(server.password);
    expect(code).toBe(0);
  });

  it('is refused by the server when the password is wrong', async () => {
    const failuresBefore = authFailures();
    const { reply, code } = await launchWithPassword('wrong-password');
    expect(reply).toMatchObject({ ok: true });
    expect(code).not.toBe(0);
    expect(authFailures()).toBeGreaterThan(failuresBefore);
  });
});
