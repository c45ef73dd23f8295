/**
 * The connection to the companion host: one `connectNative` port kept open while it is useful (an open port
 * answers in about a millisecond; a new host process costs ~100 ms), request ids with timeouts, every pending
 * call rejected when the port drops, and an idle close so the host does not linger.
 */
import {
  type ClientId,
  type ErrorReply,
  type HelloResult,
  HOST_NAME,
  type LaunchResult,
  PROTOCOL_VERSION,
} from '../../shared/protocol';
import { AdviceError } from './advice-error';
import {
  disconnectAdvice,
  hostErrorAdvice,
  isOlder,
  MIN_HOST_VERSION,
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

export interface NativeHostOptions {
  connect: (host: string) => NativePort;
  /** Why the last port closed, where the browser reports it apart from the port (Chrome's lastError). */
  lastError: () => string | undefined;
  extensionId: string;
  timeoutMs?: number;
  idleMs?: number;
}

interface Pending {
  resolve: (reply: Record<string, unknown>) => void;
  reject: (error: AdviceError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class NativeHost {
  private port: NativePort | null = null;
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
      const checked = this.request({ type: 'hello' }).then((reply) => {
        const result = reply as unknown as HelloResult;
        if (isOlder(result.host.version, MIN_HOST_VERSION))
          throw new AdviceError(outdatedAdvice(result.host.version));
        return { host: result.host };
      });
      checked.catch(() => {
        if (this.helloChecked === checked) this.helloChecked = null;
      });
      this.helloChecked = checked;
    }
    return this.helloChecked;
  }

  async launch(rdp: string, client: ClientId | 'auto'): Promise<LaunchResult> {
    await this.hello();
    const reply = await this.request({ type: 'launch', rdp, client });
    const { client: used, rdp: canonical, argv, pid } = reply as unknown as LaunchResult;
    return { client: used, rdp: canonical, argv, ...(pid !== undefined && { pid }) };
  }

  close(): void {
    this.port?.disconnect();
    this.dropPort('closed');
  }

  private request(body: { type: string } & Record<string, unknown>): Promise<Record<string, unknown>> {
    const port = this.ensurePort();
    const id = `r${++this.nextId}`;
    this.touch();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AdviceError(TIMEOUT_ADVICE));
      }, this.options.timeoutMs ?? 15_000);
      this.pending.set(id, { resolve, reject, timer });
      try {
        port.postMessage({ v: PROTOCOL_VERSION, id, ...body });
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
    const reply = message as { id?: unknown; ok?: unknown; error?: Partial<ErrorReply['error']> };
    const id = typeof reply?.id === 'string' ? reply.id : null;
    const pending = id ? this.pending.get(id) : undefined;
    if (!pending || !id) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (reply.ok === true) pending.resolve(reply as Record<string, unknown>);
    else {
      const code = typeof reply.error?.code === 'string' ? reply.error.code : 'E_HOST_BROKEN';
      const text =
        typeof reply.error?.message === 'string' ? reply.error.message : 'The companion host refused.';
      pending.reject(new AdviceError(hostErrorAdvice(code, text)));
    }
    this.touch();
  }

  private dropPort(reason: string): void {
    this.port = null;
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
      if (this.pending.size === 0) this.close();
    }, this.options.idleMs ?? 60_000);
  }
}
