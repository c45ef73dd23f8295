/**
 * The native host's Bastion tunnel (docs/PROTOCOL.md §2.4) over real pipes, as the extension drives it: the built
 * host opens 127.0.0.1, asks for a session per TCP connection (`bastion-session-needed`), and relays through the
 * simulated Bastion data plane to an echo server with the session this test mints in the extension's place. The
 * ARM token never reaches the host. Two connections in one tunnel, the port closing while a client is connected,
 * a refused session, a name outside the Bastion domain.
 */
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bastionEndpoint, requestSession } from '../../host/tunnel/bastion-api';
import type { SimulatedBastion } from '../../sim/bastion';
import { writeHostConfig } from '../../sim/browser';
import { type EchoBastion, startEchoBastion } from '../support/echo-bastion';
import { HostProcess, isolatedEnv } from '../support/host-process';

const DNS_NAME = 'bst-00000000-0000-0000-0000-000000000001.bastion.azure.com';
const VM_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-bastion';

let bastion: SimulatedBastion;
let echoBastion: EchoBastion;
beforeAll(async () => {
  echoBastion = await startEchoBastion();
  bastion = echoBastion.bastion;
});
afterAll(async () => {
  await echoBastion?.close();
});

/** A host whose config maps the Bastion's real name to the simulation (as `npm start` writes it). */
function startHost(): HostProcess {
  const env = isolatedEnv({ NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '' });
  writeHostConfig(env.HOME as string, {
    simulation: {
      hosts: { [DNS_NAME]: `127.0.0.1:${new URL(bastion.url).port}` },
      caFile: path.join(env.HOME as string, 'unused-ca.pem'),
    },
  });
  return new HostProcess(env);
}

/** Plays the extension's part for the next ask: mints a session with an ARM token the host never sees. */
async function answerAsk(host: HostProcess, refuse?: string): Promise<void> {
  const ask = await host.reply();
  expect(ask).toMatchObject({ v: 1, type: 'bastion-session-needed' });
  const answer = refuse
    ? { error: refuse }
    : {
        session: await requestSession({
          endpoint: bastionEndpoint(null, 'AzureCloud', bastion.url),
          vmId: VM_ID,
          port: 3389,
          armToken: 'arm-token-kept-in-the-browser',
        }),
      };
  host.send({ v: 1, id: 'answer', type: 'bastion-session', tunnel: ask.tunnel, for: ask.ask, ...answer });
  expect(await host.reply()).toEqual({ v: 1, id: 'answer', ok: true });
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

function echoOf(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    socket.on('data', (chunk: Buffer) => {
      got += chunk.toString();
      if (got.length >= text.length) resolve(got);
    });
    socket.write(text);
  });
}

describe('the native host tunnel', () => {
  it("refuses a Bastion name outside the cloud's Bastion domain before anything is sent", async () => {
    const host = startHost();
    const reply = await host.request({
      v: 1,
      id: 't1',
      type: 'tunnel-open',
      cloud: 'AzureCloud',
      bastion: 'bst-1.bastion.azure.com.evil.example',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_TUNNEL_FAILED' } });
    expect(String((reply.error as { message: string }).message)).toMatch(/not under bastion\.azure\.com/);
    expect(await host.close()).toBe(0);
  });

  it("relays two connections with a session each, and outlives the browser's port until the client is gone", async () => {
    bastion.reset();
    const host = startHost();
    const opened = await host.request({
      v: 1,
      id: 't2',
      type: 'tunnel-open',
      cloud: 'AzureCloud',
      bastion: DNS_NAME,
    });
    expect(opened).toMatchObject({ v: 1, id: 't2', ok: true, tunnel: expect.any(String) });
    const port = opened.port as number;

    const first = await connect(port);
    await answerAsk(host);
    expect(await echoOf(first, 'first connection')).toBe('first connection');
    first.destroy();

    // The client reconnects (as an RDP client does after its first handshake): a fresh session.
    const second = await connect(port);
    await answerAsk(host);
    expect(await echoOf(second, 'second connection')).toBe('second connection');
    expect(bastion.log.filter((e) => e.method === 'POST').every((e) => !e.fields?.includes('token'))).toBe(
      true,
    );

    // The browser closes its port: the live session goes on, and ends with its client.
    host.child.stdin.end();
    expect(await echoOf(second, 'still here')).toBe('still here');
    second.destroy();
    expect(await host.exited).toBe(0);
    await expect(connect(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(bastion.openSessions()).toBe(0);
  });

  it("ends the tunnel with the extension's one sentence when no session could be had", async () => {
    bastion.reset();
    const host = startHost();
    const opened = await host.request({
      v: 1,
      id: 't3',
      type: 'tunnel-open',
      cloud: 'AzureCloud',
      bastion: DNS_NAME,
    });
    const client = await connect(opened.port as number);
    const closedByHost = new Promise((resolve) => client.once('close', resolve));
    await answerAsk(host, 'The Bastion refused the session with 403: Forbidden.');
    expect(await host.reply()).toEqual({
      v: 1,
      type: 'tunnel-closed',
      tunnel: opened.tunnel,
      error: 'The Bastion refused the session with 403: Forbidden.',
    });
    await closedByHost;
    await expect(connect(opened.port as number)).rejects.toThrow(/ECONNREFUSED/);
    expect(await host.close()).toBe(0);
  });
});
