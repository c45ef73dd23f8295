/** Drives the built host (`dist/host/rdp-now.mjs`) over real pipes, the way a browser does. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { encodeFrame, type Frame, FrameDecoder } from '../../host/framing';
import { tempDir } from './temp';

export const HOST_ENTRY = path.resolve('dist/host/rdp-now.mjs');

/**
 * A fresh home with no XDG overrides: every host file lands inside it, and it is removed after the test.
 * TMPDIR is passed on so that a temporary file the host makes is seen by global-setup.ts's leak check.
 */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = extra.HOME ?? tempDir('home');
  return { HOME: home, TMPDIR: os.tmpdir(), PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
}

export class HostProcess {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly frames: Frame[] = [];
  private waiters: Array<() => void> = [];
  private readonly decoder = new FrameDecoder(Number.MAX_SAFE_INTEGER);
  readonly exited: Promise<number | null>;
  stderr = '';

  /** Starts the built host, or `program` (e.g. an installed wrapper) the way a browser starts it. */
  constructor(env: Record<string, string>, args: string[] = ['native-host'], program?: string) {
    this.child = program
      ? spawn(program, args, { env, stdio: 'pipe' })
      : spawn(process.execPath, [HOST_ENTRY, ...args], { env, stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.frames.push(...this.decoder.push(chunk));
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(message: unknown): void {
    this.child.stdin.write(encodeFrame(message));
  }

  sendRaw(bytes: Buffer): void {
    this.child.stdin.write(bytes);
  }

  /** The next reply; fails if the host exits or stays silent. */
  async reply(timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0) {
      if (this.child.exitCode !== null)
        throw new Error(`host exited (${this.child.exitCode}) without a reply`);
      if (Date.now() > deadline) throw new Error('no reply from the host');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    const frame = this.frames.shift() as Frame;
    if (frame.kind !== 'message') throw new Error(`the host wrote a bad frame: ${frame.kind}`);
    return frame.value as Record<string, unknown>;
  }

  async request(message: unknown): Promise<Record<string, unknown>> {
    this.send(message);
    return this.reply();
  }

  /** Closes stdin and resolves to the exit code; asserts nothing but frames was written. */
  async close(): Promise<number | null> {
    this.child.stdin.end();
    const code = await this.exited;
    if (this.decoder.pending) throw new Error('the host left a partial frame on stdout');
    return code;
  }
}

/** One request to a fresh host, then EOF. */
export async function ask(env: Record<string, string>, message: unknown): Promise<Record<string, unknown>> {
  const host = new HostProcess(env);
  const reply = await host.request(message);
  await host.close();
  return reply;
}
