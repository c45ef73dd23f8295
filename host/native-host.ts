/**
 * The native-messaging host (docs/PROTOCOL.md §2): frames in on stdin, frames out on stdout, nothing else on stdout.
 * Every message is untrusted; every request gets exactly one reply; a bad message never stops the host.
 */
import type { Readable, Writable } from 'node:stream';
import {
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
} from '../shared/protocol';
import { defaultClient, listClients } from './clients/index';
import type { Machine } from './clients/machine';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from './framing';
import { launch } from './launch';
import type { Logger } from './log';
import type { RdpStore } from './rdp-store';

export interface NativeHostDeps {
  version: string;
  platform: HostPlatform;
  /** Detected on first use, so a host that only says hello to a stale port pays nothing for it. */
  machine: () => Machine;
  store: RdpStore;
  log: Logger;
}

export async function handleRequest(
  request: HostRequest,
  deps: NativeHostDeps,
): Promise<HostResult<HostRequestType>> {
  const machine = deps.machine();
  if (request.type === 'hello') {
    const hello: HostResult<'hello'> = {
      host: {
        version: deps.version,
        platform: deps.platform,
        clients: listClients(machine),
        defaultClient: defaultClient(machine),
      },
    };
    return hello;
  }
  return launch(request, { machine, store: deps.store, log: deps.log });
}

type HostReply = OkReply<HostRequestType> | ErrorReply;

/** Answers one decoded message with a reply shared/protocol.ts's schemas describe; never throws. */
async function answer(message: unknown, deps: NativeHostDeps): Promise<HostReply> {
  const parsed = parseRequest(message);
  if (!parsed.ok) return parsed.reply;
  const { id } = parsed.request;
  try {
    return okReply(id, await handleRequest(parsed.request, deps));
  } catch (error) {
    if (error instanceof ProtocolError) return errorReply(id, error.code, error.message);
    deps.log(
      `internal error on ${parsed.request.type}: ${error instanceof Error ? error.stack : String(error)}`,
    );
    return errorReply(id, 'E_LAUNCH_FAILED', 'The host failed unexpectedly; its log file has the details.');
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
  const send = (reply: HostReply): Promise<void> => {
    if (outputBroken) return Promise.resolve();
    let frame: Buffer;
    try {
      frame = encodeFrame(reply);
    } catch (error) {
      if (!(error instanceof FrameTooLargeError)) throw error;
      deps.log(error.message);
      frame = encodeFrame(
        errorReply(reply.id, 'E_TOO_LARGE', 'The reply would exceed the 1 MiB limit of native messaging.'),
      );
    }
    return new Promise((resolve) => output.write(frame, () => resolve()));
  };

  for await (const chunk of input) {
    for (const frame of decoder.push(chunk as Buffer)) {
      if (frame.kind === 'too-large') {
        deps.log(`refused a message declared as ${frame.declared} bytes`);
        await send(errorReply(null, 'E_TOO_LARGE', 'The message exceeds the 1 MiB limit of this host.'));
        return 1;
      }
      if (frame.kind === 'invalid-json') {
        await send(errorReply(null, 'E_BAD_MESSAGE', 'The message is not valid UTF-8 JSON.'));
        continue;
      }
      await send(await answer(frame.value, deps));
    }
  }
  if (decoder.pending) deps.log('stdin ended inside a frame; the partial message was dropped');
  return 0;
}
