/**
 * A simulated Azure Bastion data plane over real HTTPS, at the paths, fields and errors of the native-client
 * tunnel (docs/notes/bastion.md): `POST /api/tokens` (form-encoded only: a JSON body or an `Authorization`
 * header gets 500, as the real service does), `DELETE /api/tokens/{authToken}` with `X-Node-Id` (204, or 404
 * "Session already deleted"), and the WebSocket `/webtunnelv2/{websocketToken}?X-Node-Id=…` whose token is
 * single-use. Each WebSocket is relayed to a TCP target (a test's echo server, or the FreeRDP shadow server).
 * Faults: a refused session (status + message), a WebSocket dropped after some bytes or at once, latency per
 * request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { pump } from '../host/tunnel/pump';
import { simulationTls, type TlsMaterial } from './tls';

export interface SimBastionOptions {
  /** Where every tunnel's bytes go. */
  target: { host: string; port: number };
  /** Added to every HTTP request and WebSocket handshake (default 0). */
  latencyMs?: number;
  tls?: TlsMaterial;
}

export interface BastionLogEntry {
  method: string;
  path: string;
  status: number;
  /** The form's field names (never values: `aztoken` is a token). */
  fields?: string[];
  /** The `Origin` header the HTTP request came with (null: none); the extension's requests must bring none. */
  origin?: string | null;
}

export interface SimulatedBastion {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  log: BastionLogEntry[];
  /** Sessions minted and not yet deleted. */
  openSessions(): number;
  /** WebSockets open now. */
  openTunnels(): number;
  /** The next session requests are refused with this status and `{"message"}`. */
  refuseSessions(status: number, message: string): void;
  /** Every WebSocket is dropped (no close frame) once it has relayed this many bytes towards the target. */
  dropAfterBytes(bytes: number | null): void;
  /** Drops every WebSocket open now (no close frame), as a Bastion that lost its node does. */
  dropAll(): void;
  setLatency(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

interface Session {
  authToken: string;
  nodeId: string;
  websocketToken: string;
  used: boolean;
}

export async function startSimulatedBastion(options: SimBastionOptions): Promise<SimulatedBastion> {
  const tls = options.tls ?? (await simulationTls());
  const sessions = new Map<string, Session>();
  const byWsToken = new Map<string, Session>();
  const log: BastionLogEntry[] = [];
  let latency = options.latencyMs ?? 0;
  let refusal: { status: number; message: string } | null = null;
  let dropAfter: number | null = null;
  const sockets = new Set<Socket>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const send = (res: ServerResponse, entry: BastionLogEntry, status: number, body?: unknown) => {
    entry.status = status;
    res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const server: Server = createServer({ key: tls.keyPem, cert: tls.certPem + tls.caCertPem }, (req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://bastion.invalid');
    const entry: BastionLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      status: 0,
      origin: req.headers.origin ?? null,
    };
    log.push(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await sleep(latency);
    const deleting = /^\/api\/tokens\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/api/tokens') {
      const type = req.headers['content-type'] ?? '';
      // The service is a Rust port that wants a form: JSON or an Authorization header fail inside it.
      if (!type.startsWith('application/x-www-form-urlencoded') || req.headers.authorization) {
        return send(res, entry, 500, { message: 'Internal Server Error' });
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      entry.fields = [...form.keys()];
      if (refusal) return send(res, entry, refusal.status, { message: refusal.message });
      const port = Number(form.get('workloadHostPort'));
      if (
        !form.get('resourceId')?.includes('/providers/Microsoft.Compute/virtualMachines/') ||
        form.get('protocol') !== 'tcptunnel' ||
        !(port >= 1 && port <= 65535)
      ) {
        return send(res, entry, 400, { message: 'Invalid request parameters.' });
      }
      const token = form.get('aztoken');
      if (!token) return send(res, entry, 401, { message: 'Missing Azure token.' });
      if (token === 'expired') return send(res, entry, 401, { message: 'The Azure token has expired.' });
      const session: Session = {
        authToken: randomUUID(),
        nodeId: randomUUID().toUpperCase(),
        websocketToken: randomUUID().replace(/-/g, ''),
        used: false,
      };
      sessions.set(session.authToken, session);
      byWsToken.set(session.websocketToken, session);
      return send(res, entry, 200, {
        authToken: session.authToken,
        nodeId: session.nodeId,
        websocketToken: session.websocketToken,
      });
    }
    if (req.method === 'DELETE' && deleting) {
      const session = sessions.get(decodeURIComponent(deleting[1] ?? ''));
      if (!session || session.nodeId !== req.headers['x-node-id']) {
        return send(res, entry, 404, { message: 'Session already deleted' });
      }
      sessions.delete(session.authToken);
      return send(res, entry, 204);
    }
    return send(res, entry, 404, { message: 'Not found' });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://bastion.invalid');
    const match = /^\/webtunnelv2\/([^/]+)$/.exec(url.pathname);
    const entry: BastionLogEntry = { method: 'GET', path: '/webtunnelv2/…', status: 0 };
    log.push(entry);
    const session = match ? byWsToken.get(decodeURIComponent(match[1] ?? '')) : undefined;
    const refuse = (status: number) => {
      entry.status = status;
      socket.end(`HTTP/1.1 ${status} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    setTimeout(() => {
      if (!session || session.used || url.searchParams.get('X-Node-Id') !== session.nodeId) {
        return refuse(session?.used ? 401 : 404);
      }
      session.used = true;
      wss.handleUpgrade(req, socket, head, (ws) => {
        entry.status = 101;
        const target = net.connect(options.target.port, options.target.host);
        target.setNoDelay(true);
        target.on('error', () => ws.terminate());
        sockets.add(target);
        target.once('close', () => sockets.delete(target));
        ws.once('close', () => target.destroy());
        if (dropAfter !== null) {
          const limit = dropAfter;
          let relayed = 0;
          ws.on('message', (data: Buffer) => {
            relayed += data.length;
            if (relayed >= limit) {
              ws.terminate();
              target.destroy();
            }
          });
        }
        pump(target, ws, { highWaterMark: 1 << 20 });
      });
    }, latency);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    openSessions: () => sessions.size,
    openTunnels: () => wss.clients.size,
    refuseSessions(status, message) {
      refusal = { status, message };
    },
    dropAfterBytes(bytes) {
      dropAfter = bytes;
    },
    dropAll() {
      // Its target goes with each WebSocket (the 'close' handler above).
      for (const ws of wss.clients) ws.terminate();
    },
    setLatency(ms) {
      latency = ms;
    },
    reset() {
      refusal = null;
      dropAfter = null;
      latency = options.latencyMs ?? 0;
      log.length = 0;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
