/**
 * The native-messaging host (docs/PROTOCOL.md §2): frames in on stdin, frames out on stdout, nothing else on stdout.
 * Every message is untrusted; every request gets exactly one reply; a bad message never stops the host. Besides
 * replies, the host sends messages unasked: the sign-in page to open (docs/PROTOCOL.md §2.8), and a tunnel's asks
 * for Bastion sessions and its end (docs/PROTOCOL.md §2.4). Open tunnels keep the host running after stdin ends,
 * until their clients are gone.
 */
import type { Readable, Writable } from 'node:stream';
import {
  type BastionSessionNeeded,
  type ErrorCode,
  type ErrorReply,
  errorReply,
  type HostPlatform,
  type HostRequest,
  type HostRequestType,
  type HostResult,
  type OkReply,
  okReply,
  ProtocolError,
  parseRequest,
  type SignInPageMessage,
  type TunnelClosed,
} from '../shared/protocol';
import { defaultClient, listClients } from './clients/index';
import type { Machine } from './clients/machine';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from './framing';
import { launch } from './launch';
import type { Logger } from './log';
import { type NativeSignIn, nativeSignIn } from './native-sign-in';
import type { RdpStore } from './rdp-store';
import type { NativeTunnels } from './tunnel/native-tunnels';

export interface NativeHostDeps {
  version: string;
  platform: HostPlatform;
  /** Detected on first use, so a host that only says hello to a stale port pays nothing for it. */
  machine: () => Machine;
  store: RdpStore;
  log: Logger;
  /** The sign-in requests' handler, given the way to send the host's unasked messages (default: MSAL). */
  signIn?: (notify: (message: SignInPageMessage) => void, log: Logger) => NativeSignIn;
  /** The simulation's Bastion host names → local addresses (the host's config file only). */
  simulatedHosts?: Readonly<Record<string, string>> | undefined;
}

/** What answers the requests besides the plain functions: the sign-in and the tunnels, each with its state. */
interface Services {
  signIn: NativeSignIn;
  /** Loaded on the first tunnel (its bundle carries the WebSocket client): a plain launch does not pay for it. */
  tunnels(): Promise<NativeTunnels>;
  /** The browser's port closed: resolves once the tunnels (if any were loaded) have ended. */
  portClosed(): Promise<void>;
}

export async function handleRequest(
  request: HostRequest,
  deps: NativeHostDeps,
  { signIn, tunnels }: Services,
): Promise<HostResult<HostRequestType>> {
  switch (request.type) {
    // The tunnel's bundle has its own copy of ProtocolError: its failures (one sentence each) get their code here.
    case 'tunnel-open':
      return (await tunnels()).open(request).catch(coded('E_TUNNEL_FAILED'));
    case 'bastion-session':
      return Promise.resolve()
        .then(async () => (await tunnels()).answer(request))
        .catch(coded('E_BAD_MESSAGE'));
    case 'token':
      return signIn.token(request);
    case 'sign-in-cancel':
      return signIn.cancel();
    case 'sign-out':
      return signIn.signOut();
    case 'account':
      return signIn.account(request);
    case 'hello': {
      const machine = deps.machine();
      return {
        host: {
          version: deps.version,
          platform: deps.platform,
          clients: listClients(machine),
          defaultClient: defaultClient(machine),
        },
      };
    }
    case 'launch':
      return launch(request, { machine: deps.machine(), store: deps.store, log: deps.log });
  }
}

function coded(code: ErrorCode): (error: unknown) => never {
  return (error) => {
    throw new ProtocolError(code, error instanceof Error ? error.message : String(error));
  };
}

type HostMessage =
  | OkReply<HostRequestType>
  | ErrorReply
  | SignInPageMessage
  | BastionSessionNeeded
  | TunnelClosed;

/** Answers one validated request with a reply shared/protocol.ts's schemas describe; never throws. */
async function answer(request: HostRequest, deps: NativeHostDeps, services: Services): Promise<HostMessage> {
  const { id } = request;
  try {
    return okReply(id, await handleRequest(request, deps, services));
  } catch (error) {
    if (error instanceof ProtocolError) return errorReply(id, error.code, error.message);
    deps.log(`internal error on ${request.type}: ${error instanceof Error ? error.stack : String(error)}`);
    const code =
      request.type === 'launch'
        ? 'E_LAUNCH_FAILED'
        : request.type === 'tunnel-open'
          ? 'E_TUNNEL_FAILED'
          : 'E_SIGN_IN_FAILED';
    return errorReply(id, code, 'The host failed unexpectedly; its log file has the details.');
  }
}

/** Serves until stdin ends; resolves to the exit code. */
export async function serveNativeHost(
  input: Readable,
  output: Writable,
  deps: NativeHostDeps,
): Promise<number> {
  const decoder = new FrameDecoder();
  let outputBroken = false;
  output.on('error', (error) => {
    // EPIPE: the browser went away. There is nobody left to answer.
    outputBroken = true;
    deps.log(`stdout closed: ${error.message}`);
  });
  const send = (message: HostMessage): Promise<void> => {
    if (outputBroken) return Promise.resolve();
    let frame: Buffer;
    try {
      frame = encodeFrame(message);
    } catch (error) {
      if (!(error instanceof FrameTooLargeError)) throw error;
      deps.log(error.message);
      const id = 'id' in message ? message.id : null;
      frame = encodeFrame(
        errorReply(id, 'E_TOO_LARGE', 'The reply would exceed the 1 MiB limit of native messaging.'),
      );
    }
    return new Promise((resolve) => output.write(frame, () => resolve()));
  };
  let tunnels: Promise<NativeTunnels> | null = null;
  const services: Services = {
    signIn: (deps.signIn ?? nativeSignIn)((message) => void send(message), deps.log),
    tunnels: () => {
      tunnels ??= import('./tunnel/native-tunnels').then(
        ({ NativeTunnels }) =>
          new NativeTunnels({
            notify: (message) => void send(message),
            log: deps.log,
            simulatedHosts: deps.simulatedHosts,
          }),
      );
      return tunnels;
    },
    portClosed: async () => {
      if (tunnels) await (await tunnels).portClosed();
    },
  };

  for await (const chunk of input) {
    for (const frame of decoder.push(chunk as Buffer)) {
      if (frame.kind === 'too-large') {
        deps.log(`refused a message declared as ${frame.declared} bytes`);
        await send(errorReply(null, 'E_TOO_LARGE', 'The message exceeds the 1 MiB limit of this host.'));
        await services.portClosed();
        return 1;
      }
      if (frame.kind === 'invalid-json') {
        await send(errorReply(null, 'E_BAD_MESSAGE', 'The message is not valid UTF-8 JSON.'));
        continue;
      }
      const parsed = parseRequest(frame.value);
      if (!parsed.ok) await send(parsed.reply);
      // A sign-in waits for a person (up to 5 minutes): the host keeps answering everything else meanwhile.
      else if (parsed.request.type === 'token') void answer(parsed.request, deps, services).then(send);
      else await send(await answer(parsed.request, deps, services));
    }
  }
  if (decoder.pending) deps.log('stdin ended inside a frame; the partial message was dropped');
  // A live RDP session through a tunnel outlasts the browser's port: its client decides when it ends.
  await services.portClosed();
  return 0;
}
