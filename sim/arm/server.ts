/**
 * The HTTPS front of the simulated ARM: logs every request, adds the latency, applies injected faults, answers
 * the IP lookup, checks the bearer token, then routes. Every error goes out in ARM's `{"error": …}` body.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './context';
import { ArmFailure, expiredToken, faultFailure, invalidContent, invalidToken, missingToken } from './errors';
import type { FaultTable } from './faults';
import { expireGrants } from './jit';
import type { Router } from './router';
import type { World } from './world';

export interface RequestLogEntry {
  method: string;
  /** Without the query string, as the client sent it. */
  path: string;
  /** 0 while unanswered, and for a request whose client went away first. */
  status: number;
  /** `performance.now()` when the request arrived and when its answer was sent (or the client went away). */
  start: number;
  end: number;
  /** The latency the simulation added to this request (what `latencyMs` was when it arrived). */
  latencyMs: number;
}

export interface SimState {
  world: World;
  latencyMs: number;
  sourceIp: string;
  lroPolls: number;
  faults: FaultTable;
  /** Lower-cased RBAC actions the caller lacks. */
  denied: Set<string>;
  log: RequestLogEntry[];
}

/** Timers that `close()` can cut short, so a hanging request never holds the server open. */
export class Timers {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        reject,
      };
      this.pending.add(entry);
    });
  }

  cancelAll(): void {
    for (const { timer, reject } of this.pending) {
      clearTimeout(timer);
      reject(new Error('simulation closed'));
    }
    this.pending.clear();
  }
}

const MAX_BODY = 1 << 20;
const EXPOSED =
  'Location, Azure-AsyncOperation, Retry-After, x-ms-request-id, x-ms-correlation-request-id, WWW-Authenticate';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY)
        reject(new ArmFailure(413, 'RequestEntityTooLarge', 'The request body is too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  if (res.destroyed || res.headersSent) return;
  const requestId = randomUUID();
  res.writeHead(status, {
    'Cache-Control': 'no-cache',
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': EXPOSED,
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    ...(body !== undefined
      ? { 'Content-Type': 'application/json; charset=utf-8' }
      : status === 204
        ? {}
        : { 'Content-Length': '0' }),
    ...headers,
  });
  res.end(body);
}

function sendReply(res: ServerResponse, reply: Reply): void {
  send(
    res,
    reply.status,
    reply.headers ?? {},
    reply.body === undefined ? undefined : JSON.stringify(reply.body),
  );
}

function authenticate(header: string | undefined, now: Date): void {
  if (header === undefined || header.trim() === '') throw missingToken();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw invalidToken();
  if (match[1] === 'expired') throw expiredToken(now);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidContent(error instanceof Error ? error.message : String(error));
  }
}

export function createRequestHandler(state: SimState, router: Router, timers: Timers) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'https://simulation.invalid');
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      status: 0,
      start: performance.now(),
      end: 0,
      latencyMs: state.latencyMs,
    };
    state.log.push(entry);
    res.on('error', () => undefined);
    // Answered when the answer is handed to the socket; a client that went away first leaves status 0.
    const answered = () => {
      if (entry.end !== 0) return;
      entry.end = performance.now();
      entry.status = res.headersSent ? res.statusCode : 0;
    };
    res.on('close', answered);

    try {
      const text = await readBody(req);
      await timers.sleep(entry.latencyMs);

      const fault = state.faults.take(method, url.pathname);
      if (fault?.hangMs !== undefined) await timers.sleep(fault.hangMs);
      if (fault?.malformedBody) {
        const headers: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
        send(res, fault.status, headers, '{"value":[{"id":"/subscriptions/');
        return answered();
      }
      if (fault && (fault.status < 200 || fault.status > 299))
        throw faultFailure(fault.status, fault.retryAfterSeconds);

      if (method === 'OPTIONS') {
        send(res, 204, {
          'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, OPTIONS',
          'Access-Control-Allow-Headers':
            req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type',
          'Access-Control-Max-Age': '600',
        });
        return answered();
      }
      // HTTP/2 names the host in :authority, HTTP/1.1 in Host.
      const authority = (req.headers[':authority'] as string | undefined) ?? req.headers.host ?? '';
      const host = authority.replace(/:\d+$/, '').toLowerCase();
      const path = url.pathname.replace(/\/+$/, '');
      if (
        method === 'GET' &&
        (path.toLowerCase() === '/ip-lookup' || (path === '' && host === 'api.ipify.org'))
      ) {
        sendReply(res, { status: 200, body: { ip: state.sourceIp } });
        return answered();
      }

      const now = new Date();
      authenticate(req.headers.authorization, now);
      expireGrants(state.world, now);
      const reply = router.dispatch(
        {
          method,
          rawPath: path,
          query: url.searchParams,
          origin: `https://${authority || 'localhost'}`,
          body: method === 'PUT' || method === 'POST' ? parseJson(text) : undefined,
          world: state.world,
          lroPolls: state.lroPolls,
          now,
          denied: state.denied,
        },
        state.denied,
      );
      sendReply(res, reply);
      answered();
    } catch (error) {
      if (res.destroyed) return answered();
      if (error instanceof ArmFailure) {
        sendReply(res, { status: error.status, headers: { ...error.headers }, body: error.body() });
      } else if (error instanceof Error && error.message === 'simulation closed') {
        res.destroy();
      } else {
        const message = error instanceof Error ? error.message : String(error);
        sendReply(res, { status: 500, body: { error: { code: 'InternalServerError', message } } });
      }
      answered();
    }
  };
}
