/**
 * Native-messaging framing: a 4-byte little-endian length, then that many bytes of UTF-8 JSON.
 * Written here rather than taken from npm (see the README): the limit is checked before any allocation,
 * a bad frame never stops the stream, and partial reads are gathered without quadratic copying.
 */
import { MAX_MESSAGE_BYTES } from '../shared/protocol';

export type Frame =
  | { kind: 'message'; value: unknown }
  | { kind: 'invalid-json'; reason: string }
  | { kind: 'too-large'; declared: number };

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected: number | null = null;
  private stopped = false;

  constructor(private readonly limit = MAX_MESSAGE_BYTES) {}

  /** Feeds bytes; returns the frames they complete. After `too-large` the stream cannot be resynchronised. */
  push(chunk: Buffer): Frame[] {
    if (this.stopped) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.expected === null) {
        if (this.buffered < 4) break;
        const length = this.take(4).readUInt32LE(0);
        if (length > this.limit) {
          this.stopped = true;
          this.chunks = [];
          this.buffered = 0;
          frames.push({ kind: 'too-large', declared: length });
          break;
        }
        this.expected = length;
      }
      if (this.buffered < this.expected) break;
      const body = this.take(this.expected);
      this.expected = null;
      frames.push(decodeJson(body));
    }
    return frames;
  }

  /** True when bytes of an unfinished frame are waiting (they are dropped at end of input). */
  get pending(): boolean {
    return this.buffered > 0 || this.expected !== null;
  }

  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0] as Buffer;
      const used = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, used);
      filled += used;
      if (used === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(used);
    }
    this.buffered -= n;
    return out;
  }
}

function decodeJson(body: Buffer): Frame {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    return { kind: 'message', value: JSON.parse(text) };
  } catch (error) {
    return { kind: 'invalid-json', reason: error instanceof Error ? error.message : String(error) };
  }
}

export class FrameTooLargeError extends Error {
  constructor(readonly size: number) {
    super(`A reply of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit of native messaging.`);
    this.name = 'FrameTooLargeError';
  }
}

/** Encodes one message; refuses (throws) rather than produce a frame the browser would reject. */
export function encodeFrame(value: unknown, limit = MAX_MESSAGE_BYTES): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  if (body.length > limit) throw new FrameTooLargeError(body.length);
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32LE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}
