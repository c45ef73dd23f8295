import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLargeError } from '../../../host/framing';
import { MAX_MESSAGE_BYTES } from '../../../shared/protocol';

const header = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const raw = (body: string | Buffer) => {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([header(b.length), b]);
};

describe('FrameDecoder', () => {
  it('decodes one frame', () => {
    expect(new FrameDecoder().push(raw('{"a":1}'))).toEqual([{ kind: 'message', value: { a: 1 } }]);
  });

  it('waits for a header split across chunks', () => {
    const frame = raw('{"type":"hello"}');
    const d = new FrameDecoder();
    expect(d.push(frame.subarray(0, 1))).toEqual([]);
    expect(d.push(frame.subarray(1, 3))).toEqual([]);
    expect(d.pending).toBe(true);
    expect(d.push(frame.subarray(3))).toEqual([{ kind: 'message', value: { type: 'hello' } }]);
    expect(d.pending).toBe(false);
  });

  it('returns several frames that arrive in one chunk, in order', () => {
    const chunk = Buffer.concat([raw('1'), raw('"two"'), raw('{"n":3}')]);
    expect(new FrameDecoder().push(chunk).map((f) => (f.kind === 'message' ? f.value : f.kind))).toEqual([
      1,
      'two',
      { n: 3 },
    ]);
  });

  it('counts bytes, not characters, and survives multibyte UTF-8 split between chunks', () => {
    const text = JSON.stringify({ user: 'Jürgen 東京 🚀' });
    const frame = raw(text);
    expect(frame.readUInt32LE(0)).toBe(Buffer.byteLength(text));
    const d = new FrameDecoder();
    const frames = [...frame].flatMap((byte) => d.push(Buffer.from([byte])));
    expect(frames).toEqual([{ kind: 'message', value: { user: 'Jürgen 東京 🚀' } }]);
  });

  it('reports a zero-length frame as invalid JSON and keeps decoding', () => {
    const d = new FrameDecoder();
    const frames = d.push(Buffer.concat([header(0), raw('true')]));
    expect(frames[0]?.kind).toBe('invalid-json');
    expect(frames[1]).toEqual({ kind: 'message', value: true });
  });

  it('reports invalid JSON and invalid UTF-8 without stopping', () => {
    const d = new FrameDecoder();
    const frames = d.push(Buffer.concat([raw('{nope'), raw(Buffer.from([0x22, 0xff, 0x22])), raw('null')]));
    expect(frames.map((f) => f.kind)).toEqual(['invalid-json', 'invalid-json', 'message']);
  });

  it('refuses an oversize length from the header alone, without waiting for or allocating the body', () => {
    const d = new FrameDecoder();
    const frames = d.push(header(0xffffffff));
    expect(frames).toEqual([{ kind: 'too-large', declared: 0xffffffff }]);
    // The stream cannot be resynchronised after that: later bytes are ignored.
    expect(d.push(raw('1'))).toEqual([]);
  });

  it('accepts exactly the limit and refuses one byte more', () => {
    const body = `"${'x'.repeat(MAX_MESSAGE_BYTES - 2)}"`;
    expect(new FrameDecoder().push(raw(body))[0]?.kind).toBe('message');
    expect(new FrameDecoder().push(header(MAX_MESSAGE_BYTES + 1))).toEqual([
      { kind: 'too-large', declared: MAX_MESSAGE_BYTES + 1 },
    ]);
  });

  it('keeps a partial frame pending (the host drops it at end of input)', () => {
    const d = new FrameDecoder();
    expect(d.push(raw('{"a":1}').subarray(0, 8))).toEqual([]);
    expect(d.pending).toBe(true);
  });

  it('decodes any JSON value split at any points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(200)),
        (values, cuts) => {
          const stream = Buffer.concat(values.map((v) => encodeFrame(v)));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const d = new FrameDecoder();
          const out = [];
          let last = 0;
          for (const p of [...points, stream.length]) {
            out.push(...d.push(stream.subarray(last, p)));
            last = p;
          }
          expect(out).toEqual(values.map((v) => ({ kind: 'message', value: JSON.parse(JSON.stringify(v)) })));
        },
      ),
    );
  });
});

describe('encodeFrame', () => {
  it('prefixes the UTF-8 byte length, little-endian', () => {
    const frame = encodeFrame({ a: 'é' });
    expect(frame.readUInt32LE(0)).toBe(Buffer.byteLength('{"a":"é"}'));
    expect(frame.subarray(4).toString('utf8')).toBe('{"a":"é"}');
  });

  it('never produces a frame over 1 MiB', () => {
    expect(() => encodeFrame({ big: 'x'.repeat(MAX_MESSAGE_BYTES) })).toThrow(FrameTooLargeError);
    expect(encodeFrame('x'.repeat(MAX_MESSAGE_BYTES - 2)).length).toBe(4 + MAX_MESSAGE_BYTES);
  });
});
