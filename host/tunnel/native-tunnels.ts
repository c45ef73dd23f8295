/**
 * The tunnels the extension opens over native messaging (docs/PROTOCOL.md §2.4). The ARM token stays in the
 * browser: for every TCP connection the host asks the extension (`bastion-session-needed`, unasked) and relays
 * with the session it answers (`bastion-session`); the host itself only opens the WebSocket and ends the session
 * with the session's own tokens. A tunnel outlives the page that opened it and ends when its client is gone.
 */
import { randomUUID } from 'node:crypto';
import type {
  BastionSessionNeeded,
  BastionSessionRequest,
  TunnelClosed,
  TunnelOpenRequest,
} from '../../shared/protocol';
import type { Logger } from '../log';
import { BastionError, type BastionSession, bastionEndpoint, deleteSession, tunnelUrl } from './bastion-api';
import { openTunnel, type Tunnel } from './tunnel';

/** How long the extension may take to mint a session (a Bastion's POST takes ~0.7 s). */
const SESSION_WAIT_MS = 30_000;
/** After the browser's port closed: how often to look whether the client is gone. */
const DRAIN_POLL_MS = 1000;

export interface NativeTunnelsOptions {
  notify: (message: BastionSessionNeeded | TunnelClosed) => void;
  log: Logger;
  /** The simulation's Bastion host names → `127.0.0.1:<port>` (the host's own config only, never a message). */
  simulatedHosts?: Readonly<Record<string, string>> | undefined;
}

interface Ask {
  resolve: (session: BastionSession) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class NativeTunnels {
  private readonly tunnels = new Map<string, Tunnel>();
  private readonly asks = new Map<string, Ask>();
  private portOpen = true;

  constructor(private readonly options: NativeTunnelsOptions) {}

  async open(request: TunnelOpenRequest): Promise<{ tunnel: string; port: number }> {
    // The name is checked first either way (a BastionError): the simulation stands in for a real Bastion name only.
    let endpoint = bastionEndpoint(request.bastion, request.cloud);
    const simulated = this.options.simulatedHosts?.[request.bastion.toLowerCase()];
    if (simulated) endpoint = bastionEndpoint(null, request.cloud, `https://${simulated}`);
    const id = randomUUID();
    const tunnel = await openTunnel({
      openSession: () => this.ask(id),
      url: (session) => tunnelUrl(endpoint, session),
      closeSession: (session) => deleteSession(endpoint, session),
    });
    this.tunnels.set(id, tunnel);
    void tunnel.closed.then((error) => {
      this.tunnels.delete(id);
      this.options.log(`tunnel ${id} closed${error ? `: ${error.message}` : ''}`);
      this.options.notify({ v: 1, type: 'tunnel-closed', tunnel: id, error: error?.message ?? null });
    });
    this.options.log(`tunnel ${id} listening on 127.0.0.1:${tunnel.port}`);
    return { tunnel: id, port: tunnel.port };
  }

  /** The extension's answer to one ask: the session, or why it could not mint one (which ends the tunnel). */
  answer(request: BastionSessionRequest): Record<string, never> {
    const ask = this.asks.get(request.for);
    if (!ask || !this.tunnels.has(request.tunnel)) {
      throw new BastionError('The host asked for no such Bastion session, or it is too late.');
    }
    this.asks.delete(request.for);
    clearTimeout(ask.timer);
    if (request.session) ask.resolve(request.session);
    else ask.reject(new BastionError(request.error ?? 'The extension could not get a Bastion session.'));
    return {};
  }

  /**
   * The browser's port closed: nobody can mint sessions any more. Each tunnel ends once its client is gone;
   * resolves when none is left.
   */
  async portClosed(): Promise<void> {
    this.portOpen = false;
    for (const ask of this.asks.values())
      ask.reject(new BastionError('The browser closed its connection to the host.'));
    this.asks.clear();
    while (this.tunnels.size > 0) {
      for (const tunnel of this.tunnels.values()) {
        if (tunnel.connections().open === 0) await tunnel.close();
      }
      if (this.tunnels.size > 0) await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
    }
  }

  private ask(tunnel: string): Promise<BastionSession> {
    if (!this.portOpen)
      return Promise.reject(new BastionError('The browser closed its connection to the host.'));
    const ask = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.asks.delete(ask);
        reject(new BastionError('The browser did not hand over a Bastion session in time.'));
      }, SESSION_WAIT_MS);
      this.asks.set(ask, { resolve, reject, timer });
      this.options.notify({ v: 1, type: 'bastion-session-needed', tunnel, ask });
    });
  }
}
