/**
 * A simulated Azure Resource Manager over real HTTPS, speaking ARM's JSON shapes (see
 * test/fixtures/azure-rest-examples), so the Azure SDK's own pipeline runs against it in tests, benchmarks and
 * the demo. The world: one subscription with the VMs of `SIM_VM_NAMES`, each set up for one verdict of the
 * checks (see vm-table.ts), plus controls for latency, faults, missing permissions and a request log.
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { simulationTls, type TlsMaterial } from '../tls';
import type { Fault } from './faults';
import { FaultTable } from './faults';
import { SUBSCRIPTION_ID, vmId } from './ids';
import { Router } from './router';
import { ROUTES } from './routes';
import { createRequestHandler, type RequestLogEntry, type SimState, Timers } from './server';
import { SIM_VM_NAMES, type SimVmName } from './vm-table';
import { createWorld } from './world';

export type { Fault, RequestLogEntry, SimVmName };
export { SIM_VM_NAMES };

export interface SimOptions {
  /** Added to every request, in milliseconds (default 0). */
  latencyMs?: number;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** What the IP lookup answers (default `203.0.113.7`). */
  sourceIp?: string;
  /** How many polls of a long-running operation answer "in progress" before it succeeds (default 2). */
  lroPolls?: number;
  /** Certificate material to serve with (e.g. one a test run already trusts); default: this process's own. */
  tls?: TlsMaterial;
}

export interface SimulatedAzure {
  /** `https://127.0.0.1:PORT`, the ARM endpoint. */
  url: string;
  /** `${url}/ip-lookup`, answering `{"ip": sourceIp}` (so does `GET /` with `Host: api.ipify.org`). */
  ipLookupUrl: string;
  /** The CA certificate (PEM) that issued the server's certificate. */
  caCertPem: string;
  subscriptionId: string;
  /** The resource id of a named VM. */
  vm(name: SimVmName): string;
  /** Every request, in order of arrival. */
  requests: RequestLogEntry[];
  resetLog(): void;
  setLatency(ms: number): void;
  /** Every request needing `action` (e.g. `Microsoft.Network/networkSecurityGroups/read`) gets 403 AuthorizationFailed. */
  denyPermission(action: string): void;
  injectFault(fault: Fault): void;
  /** Also restores denied permissions. */
  clearFaults(): void;
  /** Back to the initial world (power states, rules, JIT requests) and latency; faults and the log cleared. */
  reset(): void;
  close(): Promise<void>;
}

export async function startSimulatedAzure(options: SimOptions = {}): Promise<SimulatedAzure> {
  const tls = options.tls ?? (await simulationTls());
  const initialLatency = options.latencyMs ?? 0;
  const state: SimState = {
    world: createWorld(),
    latencyMs: initialLatency,
    sourceIp: options.sourceIp ?? '203.0.113.7',
    lroPolls: options.lroPolls ?? 2,
    faults: new FaultTable(),
    denied: new Set(),
    log: [],
  };
  const timers = new Timers();
  const handler = createRequestHandler(state, new Router(ROUTES), timers);
  // HTTP/2 as ARM speaks it (a browser then sends every parallel read at once instead of six at a time), and
  // HTTP/1.1 for clients that do not negotiate HTTP/2 (Node's https).
  const server = http2.createSecureServer(
    { key: tls.keyPem, cert: tls.certPem + tls.caCertPem, allowHTTP1: true },
    (req, res) => {
      void handler(req as never, res as never);
    },
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket: import('node:net').Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const clearFaults = () => {
    state.faults.clear();
    state.denied.clear();
  };
  const resetLog = () => {
    state.log.length = 0;
  };
  return {
    url,
    ipLookupUrl: `${url}/ip-lookup`,
    caCertPem: tls.caCertPem,
    subscriptionId: SUBSCRIPTION_ID,
    vm: (name) => vmId(name),
    requests: state.log,
    resetLog,
    setLatency(ms) {
      state.latencyMs = Math.max(0, ms);
    },
    denyPermission(action) {
      state.denied.add(action.toLowerCase());
    },
    injectFault(fault) {
      state.faults.add(fault);
    },
    clearFaults,
    reset() {
      state.world = createWorld();
      state.latencyMs = initialLatency;
      clearFaults();
      resetLog();
    },
    close() {
      timers.cancelAll();
      return new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
