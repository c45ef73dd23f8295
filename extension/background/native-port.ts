/**
 * The connection to the companion host: one `connectNative` port kept open while it is useful (an open port
 * answers in about a millisecond; a new host process costs ~100 ms), request ids with timeouts, every pending
 * call rejected when the port drops, and an idle close so the host does not linger — except while a Bastion
 * tunnel is open: the host asks for its sessions over this port (docs/PROTOCOL.md §2.4), and an open native port
 * keeps the MV3 service worker alive (Chrome 105+, crbug.com/1189678 as cited in w3c/webextensions#256).
 */
import * as v from 'valibot';
import { hostTooOldFor } from '../../shared/host-versions';
import {
  type AccountResult,
  BastionSessionNeededSchema,
  type BastionSessionTokens,
  type HelloResult,
  HOST_NAME,
  type HostRequest,
  type HostRequestType,
  type HostResult,
  type LaunchClient,
  type LaunchResult,
  PROTOCOL_VERSION,
  parseReply,
  SignInPageMessageSchema,
  type TokenResult,
  TunnelClosedSchema,
} from '../../shared/protocol';
import type { AzureCloudName } from '../../shared/resource-id';
import { AdviceError } from './advice-error';
import {
  disconnectAdvice,
  hostErrorAdvice,
  malformedReplyAdvice,
  outdatedAdvice,
  TIMEOUT_ADVICE,
} from './host-advice';

/** The part of a runtime.Port this module uses (so tests can pass a fake). */
export interface NativePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: {
    addListener(listener: (port: NativePort & { error?: { message?: string } | null }) => void): void;
  };
}

/** The host gives up a sign-in after 5 minutes; the extension waits a little longer for its answer. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000 + 15_000;

export interface NativeHostOptions {
  connect: (host: string) => NativePort;
  /** Why the last port closed, where the browser reports it apart from the port (Chrome's lastError). */
  lastError: () => string | undefined;
  extensionId: string;
  timeoutMs?: number;
  idleMs?: number;
}

interface Pending {
  /** Settles the call with the host's reply, validated for the request's type (shared/protocol.ts). */
  settle: (reply: unknown) => void;
  reject: (error: AdviceError) => void;
  timer: ReturnType<typeof setTimeout>;
  /** For a `token` request: where the sign-in page the host sends goes. */
  onPage?: (url: string) => void;
}

/**
 * How a tunnel ended: the host said so (`failed`: with an error, e.g. the Bastion dropped the WebSocket while the
 * client was connected), or the port to the host closed, which ends every tunnel once its client is gone.
 */
export type TunnelEnd = { by: 'host'; failed: boolean } | { by: 'port' };

/** What the background keeps of one open tunnel: how to mint its sessions, and whom to tell when it ends. */
export interface TunnelHandlers {
  mint(): Promise<BastionSessionTokens>;
  closed(tunnel: string, end: TunnelEnd): void;
}

export class NativeHost {
  private port: NativePort | null = null;
  private readonly tunnels = new Map<string, TunnelHandlers>();
  private readonly pending = new Map<string, Pending>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 0;
  private helloChecked: Promise<HelloResult> | null = null;

  constructor(private readonly options: NativeHostOptions) {}

  /** Opens the port ahead of a launch (a VM page was shown), so the click does not wait for Node to start. */
  warmUp(): void {
    void this.hello().catch(() => undefined);
  }

  /** The host's hello, once per port; refuses a host older than this extension needs. */
  hello(): Promise<HelloResult> {
    if (!this.port || !this.helloChecked) {
      const checked = this.request('hello', {}).then((result) => {
        if (hostTooOldFor(result.host.version, 'hello'))
          throw new AdviceError(outdatedAdvice(result.host.version, 'hello'));
        return result;
      });
      checked.catch(() => {
        if (this.helloChecked === checked) this.helloChecked = null;
      });
      this.helloChecked = checked;
    }
    return this.helloChecked;
  }

  /** Refuses, with the update command, a request this host is too old for (shared/host-versions.ts). */
  private async supported(type: HostRequestType): Promise<void> {
    const { host } = await this.hello();
    if (hostTooOldFor(host.version, type)) throw new AdviceError(outdatedAdvice(host.version, type));
  }

  /** `title` names the client's window (the VM's name); a host older than the field ignores it. */
  async launch(rdp: string, client: LaunchClient, title?: string): Promise<LaunchResult> {
    await this.supported('launch');
    return this.request('launch', { rdp, client, ...(title !== undefined && { title }) });
  }

  /**
   * An ARM token from the host's own sign-in. An interactive one may take a person minutes: the host sends the
   * sign-in page unasked, handed to `onPage`, and answers when the sign-in is done or given up (5 minutes).
   */
  async token(
    fields: { cloud: AzureCloudName; tenant?: string; interactive: boolean },
    onPage: (url: string) => void,
  ): Promise<TokenResult> {
    await this.supported('token');
    return this.request('token', fields, {
      timeoutMs: fields.interactive ? SIGN_IN_TIMEOUT_MS : undefined,
      onPage,
    });
  }

  /** Ends the host's sign-in in progress (its tab was closed); the `token` request then fails as cancelled. */
  async cancelSignIn(): Promise<{ cancelled: boolean }> {
    await this.supported('sign-in-cancel');
    return this.request('sign-in-cancel', {});
  }

  async signOut(): Promise<Record<string, never>> {
    await this.supported('sign-out');
    return this.request('sign-out', {});
  }

  async account(cloud: AzureCloudName): Promise<AccountResult> {
    await this.supported('account');
    return this.request('account', { cloud });
  }

  /**
   * Opens a tunnel through the Bastion `bastion` on 127.0.0.1; the host asks `handlers.mint` for a session for
   * every TCP connection, and the port stays open until the host says the tunnel closed.
   */
  async openTunnel(
    fields: { cloud: AzureCloudName; bastion: string },
    handlers: TunnelHandlers,
  ): Promise<{ tunnel: string; port: number }> {
    await this.hello();
    const opened = await this.request('tunnel-open', fields);
    this.tunnels.set(opened.tunnel, handlers);
    return opened;
  }

  close(): void {
    this.port?.disconnect();
    this.dropPort('closed');
  }

  private request<K extends HostRequestType>(
    type: K,
    fields: Omit<Extract<HostRequest, { type: K }>, 'v' | 'id' | 'type'>,
    options: { timeoutMs?: number | undefined; onPage?: (url: string) => void } = {},
  ): Promise<HostResult<K>> {
    const port = this.ensurePort();
    const id = `r${++this.nextId}`;
    this.touch();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          this.pending.delete(id);
          reject(new AdviceError(TIMEOUT_ADVICE));
        },
        options.timeoutMs ?? this.options.timeoutMs ?? 15_000,
      );
      const settle = (reply: unknown) => {
        const parsed = parseReply(type, reply);
        if (parsed.ok) resolve(parsed.result);
        else if ('error' in parsed)
          reject(new AdviceError(hostErrorAdvice(parsed.error.code, parsed.error.message, type)));
        else reject(new AdviceError(malformedReplyAdvice(type, parsed.malformed)));
      };
      this.pending.set(id, { settle, reject, timer, ...(options.onPage && { onPage: options.onPage }) });
      try {
        port.postMessage({ v: PROTOCOL_VERSION, id, type, ...fields });
      } catch (error) {
        // The port died between our last look and now: everything pending fails with the browser's reason.
        this.dropPort(error instanceof Error ? error.message : String(error));
      }
    });
  }

  private ensurePort(): NativePort {
    if (this.port) return this.port;
    const port = this.options.connect(HOST_NAME);
    port.onMessage.addListener((message) => this.onReply(message));
    port.onDisconnect.addListener((p) => {
      if (this.port !== port) return;
      const reason = p.error?.message ?? this.options.lastError() ?? 'Native host has exited.';
      this.dropPort(reason);
    });
    this.port = port;
    return port;
  }

  private onReply(message: unknown): void {
    // What the host sends unasked: a sign-in page for a pending token request, and a tunnel's asks and end.
    if (v.is(SignInPageMessageSchema, message)) {
      this.pending.get(message.for)?.onPage?.(message.url);
      return;
    }
    if (v.is(BastionSessionNeededSchema, message)) {
      this.answerAsk(message.tunnel, message.ask);
      return;
    }
    if ((message as { type?: unknown } | null)?.type === 'tunnel-closed') {
      this.tunnelClosed(message);
      return;
    }
    const id = (message as { id?: unknown } | null)?.id;
    const pending = typeof id === 'string' ? this.pending.get(id) : undefined;
    if (!pending || typeof id !== 'string') return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.settle(message);
    this.touch();
  }

  /**
   * The host's word that a tunnel stopped listening. One that breaks the schema (docs/PROTOCOL.md §2.4) still
   * ends the tunnel it names, as a failure: the user is told rather than left with a dead port.
   */
  private tunnelClosed(message: unknown): void {
    const parsed = v.safeParse(TunnelClosedSchema, message);
    const tunnel = parsed.success ? parsed.output.tunnel : (message as { tunnel?: unknown }).tunnel;
    const handlers = typeof tunnel === 'string' ? this.tunnels.get(tunnel) : undefined;
    if (!handlers || typeof tunnel !== 'string') return;
    this.tunnels.delete(tunnel);
    handlers.closed(tunnel, { by: 'host', failed: !parsed.success || parsed.output.error !== null });
    this.touch();
  }

  /** Mints a session for the host's ask (or says why not); a tunnel this worker does not know gets a refusal. */
  private answerAsk(tunnel: string, ask: string): void {
    const handlers = this.tunnels.get(tunnel);
    const minted = handlers
      ? handlers.mint()
      : Promise.reject(new Error('This tunnel is not known to the extension any more.'));
    void minted
      .then(
        (session) => ({ session }),
        (error: unknown) => ({
          error: error instanceof AdviceError ? error.advice.message : String(error),
        }),
      )
      .then((answer) => this.request('bastion-session', { tunnel, for: ask, ...answer }))
      .catch(() => undefined);
  }

  private dropPort(reason: string): void {
    this.port = null;
    // The host ends its tunnels once their clients are gone; nobody here can mint for them any more.
    for (const [tunnel, handlers] of this.tunnels) handlers.closed(tunnel, { by: 'port' });
    this.tunnels.clear();
    this.helloChecked = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const advice = reason === 'closed' ? TIMEOUT_ADVICE : disconnectAdvice(reason, this.options.extensionId);
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new AdviceError(advice));
      this.pending.delete(id);
    }
  }

  /** An open port keeps the service worker alive: close it after a quiet minute. */
  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0 && this.tunnels.size === 0) this.close();
    }, this.options.idleMs ?? 60_000);
  }
}
