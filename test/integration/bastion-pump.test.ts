/**
 * The Bastion relay's flow control (host/tunnel/pump.ts) on real sockets: a TCP client and a WebSocket server
 * with the pump between them, one side reading slowly. The pump must hold at most about its high-water mark
 * (plus the chunk in hand) whatever the other side sends; without back-pressure it would hold most of 64 MiB.
 */
import { createHash, randomBytes } from 'node:crypto';
import net, { type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { pump } from '../../host/tunnel/pump';

const MiB = 1 << 20;
const BULK = 64 * MiB;
const HIGH_WATER_MARK = MiB;
/** The mark, plus one TCP read or frame in hand (64 KiB) and whatever one send already queued. */
const BOUND = HIGH_WATER_MARK + 256 * 1024;

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const listen = async (server: net.Server | WebSocketServer): Promise<number> => {
  if (server instanceof net.Server) {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
};

/** A WebSocket server (the far side), and a local TCP port whose connections the pump relays to it. */
async function relayTo(onFar: (ws: WebSocket) => void) {
  const far = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  far.on('connection', onFar);
  const farPort = await listen(far);
  const held: { max: number; sample(): void } = { max: 0, sample: () => undefined };
  const local = net.createServer({ pauseOnConnect: true }, (socket) => {
    socket.on('error', () => undefined);
    const ws = new WebSocket(`ws://127.0.0.1:${farPort}/`, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    held.sample = () => {
      held.max = Math.max(held.max, ws.bufferedAmount, socket.writableLength);
    };
    ws.once('open', () => pump(socket, ws, { highWaterMark: HIGH_WATER_MARK }));
    ws.once('close', () => socket.destroy());
  });
  const port = await listen(local);
  closers.push(() => {
    for (const client of far.clients) client.terminate();
    far.close();
    local.close();
  });
  return { port, held };
}

/** Reads a WebSocket one message at a time, with a pause after each: a far side slower than the sender. */
function readSlowly(ws: WebSocket, onMessage: (data: Buffer) => void): void {
  ws.on('message', (data: Buffer) => {
    onMessage(data);
    ws.pause();
    setTimeout(() => ws.resume(), 1);
  });
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('the Bastion relay pump', () => {
  it('TCP to WebSocket: 64 MiB to a slow far side, the pump never holds more than its mark', async () => {
    const data = randomBytes(BULK);
    const hash = createHash('sha256');
    let received = 0;
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const { port, held } = await relayTo((ws) => {
      readSlowly(ws, (chunk) => {
        held.sample();
        received += chunk.length;
        hash.update(chunk);
        if (received >= BULK) finish();
      });
    });
    const client = net.connect(port, '127.0.0.1', () => client.write(data));
    client.on('error', () => undefined);
    closers.push(() => client.destroy());
    await done;
    expect(held.max).toBeLessThanOrEqual(BOUND);
    expect(held.max).toBeGreaterThan(0);
    expect(hash.digest('hex')).toBe(sha(data));
  }, 120_000);

  it('WebSocket to TCP: 64 MiB to a slow TCP client, the pump never holds more than its mark', async () => {
    const data = randomBytes(BULK);
    const { port, held } = await relayTo((ws) => {
      // The far side sends with its own back-pressure, so what piles up can only be the pump's.
      let sent = 0;
      const more = () => {
        while (sent < BULK && ws.bufferedAmount < HIGH_WATER_MARK) {
          const chunk = data.subarray(sent, sent + 64 * 1024);
          sent += chunk.length;
          ws.send(chunk, () => more());
        }
      };
      more();
    });
    const client: Socket = net.connect(port, '127.0.0.1');
    closers.push(() => client.destroy());
    const hash = createHash('sha256');
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      client.once('error', reject);
      client.on('data', (chunk: Buffer) => {
        held.sample();
        received += chunk.length;
        hash.update(chunk);
        if (received >= BULK) return resolve();
        client.pause();
        setTimeout(() => client.resume(), 1);
      });
    });
    expect(held.max).toBeLessThanOrEqual(BOUND);
    expect(held.max).toBeGreaterThan(0);
    expect(hash.digest('hex')).toBe(sha(data));
  }, 120_000);
});
