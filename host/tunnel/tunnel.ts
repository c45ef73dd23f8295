/**
 * The local end of a Bastion tunnel: listens on 127.0.0.1, and for every TCP connection the RDP client opens
 * gets a fresh session from `openSession` (the CLI mints it with its own ARM token; the extension will hand
 * one over native messaging), connects the WebSocket, relays bytes both ways with back-pressure (./pump.ts:
 * bounded buffers), and ends the session when either side closes. A Bastion that drops a WebSocket or
 * refuses a session closes the whole tunnel with that error: nothing is left listening.
 */
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import { BastionError, type BastionSession } from './bastion-api';
import { pump } from './pump';

/** Up to 1 MiB unsent per direction: a 16 KiB mark (the streams' default) halved bulk throughput in bench/bastion.ts. */
const RELAY_HIGH_WATER_MARK = 1 << 20;

/**
 * An all-zero masking key, which ws recognises and skips (masking every byte in JavaScript cost more than TLS).
 * Masking (RFC 6455 §10.3) shields proxies from frames a web page crafts in plain text; these frames go over TLS
 * to the Bastion and carry the RDP client's own TLS records, so there is nothing for it to shield.
 */
const zeroMask = (mask: Buffer) => {
  mask.fill(0);
};

export interface TunnelOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A new session per TCP connection. */
  openSession(): Promise<BastionSession>;
  /** The WebSocket URL of a session. */
  url(session: BastionSession): string;
  /** Ends a session (errors are reported, not thrown). */
  closeSession(session: BastionSession): Promise<void>;
  /** Called once per accepted connection when its first byte from the Bastion reaches the client. */
  onFirstByte?(): void;
  /** How long a WebSocket may take to open. */
  connectTimeoutMs?: number;
}

export interface Tunnel {
  port: number;
  /** TCP connections open now, and accepted so far. */
  connections(): { open: number; accepted: number };
  /** Resolves when the tunnel has closed: with null after `close()`, else with the error that closed it. */
  closed: Promise<Error | null>;
  close(): Promise<void>;
}

export async function openTunnel(options: TunnelOptions): Promise<Tunnel> {
  const live = new Set<{ socket: Socket; ws: WebSocket | null }>();
  let finish: (error: Error | null) => void = () => undefined;
  const closed = new Promise<Error | null>((resolve) => {
    finish = resolve;
  });
  let ending = false;
  let accepted = 0;
  const server: Server = net.createServer({ pauseOnConnect: true }, (socket) => {
    void relay(socket);
  });

  const shutdown = (error: Error | null): Promise<void> => {
    if (ending) return closed.then(() => undefined);
    ending = true;
    for (const { socket, ws } of live) {
      socket.destroy();
      ws?.terminate();
    }
    return new Promise((resolve) => {
      server.close(() => {
        finish(error);
        resolve();
      });
    });
  };

  async function relay(socket: Socket): Promise<void> {
    const entry: { socket: Socket; ws: WebSocket | null } = { socket, ws: null };
    live.add(entry);
    accepted++;
    socket.once('close', () => live.delete(entry));
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    let session: BastionSession;
    try {
      session = await options.openSession();
    } catch (error) {
      socket.destroy();
      live.delete(entry);
      void shutdown(error instanceof Error ? error : new BastionError(String(error)));
      return;
    }
    let sessionClosed = false;
    const endSession = () => {
      if (sessionClosed) return;
      sessionClosed = true;
      void options.closeSession(session).catch(() => undefined);
    };
    if (socket.destroyed || ending) {
      live.delete(entry);
      endSession();
      return;
    }
    const ws = new WebSocket(options.url(session), {
      perMessageDeflate: false,
      followRedirects: false,
      generateMask: zeroMask,
      handshakeTimeout: options.connectTimeoutMs ?? 30_000,
    });
    entry.ws = ws;
    ws.binaryType = 'nodebuffer';
    let clientGone = false;
    let opened = false;
    socket.once('close', () => {
      clientGone = true;
    });
    ws.once('unexpected-response', (_request, response) => {
      ws.terminate();
      socket.destroy();
      live.delete(entry);
      endSession();
      void shutdown(
        new BastionError(`The Bastion refused the tunnel's WebSocket with ${response.statusCode}.`),
      );
    });
    ws.once('close', (code) => {
      live.delete(entry);
      endSession();
      // The Bastion went away while the client was still connected: the tunnel is broken, say so and stop.
      if (!clientGone && (code !== 1000 || !opened)) {
        socket.destroy();
        void shutdown(
          new BastionError(
            opened
              ? `The Bastion dropped the tunnel's WebSocket (code ${code}); reconnect with a new tunnel.`
              : "The tunnel's WebSocket to the Bastion could not be opened.",
          ),
        );
      } else {
        socket.destroy();
      }
    });
    ws.on('error', () => undefined);
    ws.once('open', () => {
      opened = true;
      pump(socket, ws, { highWaterMark: RELAY_HIGH_WATER_MARK, onFirstByte: options.onFirstByte });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => ({ open: live.size, accepted }),
    closed,
    close: () => shutdown(null),
  };
}
