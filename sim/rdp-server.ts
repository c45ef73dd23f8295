/**
 * A real RDP server on loopback: Xvfb for a display and FreeRDP's shadow server with NLA against a SAM file
 * (without `/sec:nla` it would accept any password). Used by the real-client tests and the headless demo.
 * Debian 12: freerdp2-shadow-x11, winpr-utils, xvfb.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RdpServer {
  port: number;
  display: string;
  user: string;
  password: string;
  /** Everything the shadow server logged so far (it names failed authentications). */
  log(): string;
  stop(): Promise<void>;
}

export async function startXvfb(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp', '-noreset'],
    {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    },
  );
  try {
    const display = await new Promise<string>((resolve, reject) => {
      let out = '';
      const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream;
      fd3.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(`:${out.trim()}`);
      });
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
      // Not installed: a sentence, not an unhandled 'error' event (scripts/ensure-system-deps.mjs names the package).
      xvfb.once('error', (error) =>
        reject(new Error(`Xvfb could not be started (${error.message}); install the xvfb package.`)),
      );
      setTimeout(() => reject(new Error('Xvfb did not report a display')), 10_000).unref();
    });
    return { display, process: xvfb };
  } catch (error) {
    xvfb.kill();
    throw error;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

async function waitForPort(port: number, alive: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error('the RDP server exited while starting');
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRdpServer(user = 'testuser', password = 'S3cret-pass'): Promise<RdpServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-server-'));
  const children: ChildProcess[] = [];
  /** Ends the server's processes (the shadow server first, then its display) and removes its folder. */
  const stop = async () => {
    for (const child of children.splice(0).reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill();
        await exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const { display, process: xvfb } = await startXvfb();
    children.push(xvfb);
    const sam = path.join(dir, 'sam');
    const hash = spawnSync('winpr-hash', ['-u', user, '-p', password, '-f', 'sam'], { encoding: 'utf8' });
    if (hash.status !== 0) throw new Error(`winpr-hash failed: ${hash.stderr}`);
    writeFileSync(sam, hash.stdout, { mode: 0o600 });
    const port = await freePort();
    const logFile = path.join(dir, 'shadow.log');
    const shadow = spawn(
      'sh',
      [
        '-c',
        'exec freerdp-shadow-cli "$@" >"$LOG" 2>&1',
        'sh',
        '/bind-address:127.0.0.1',
        `/port:${port}`,
        '/sec:nla',
        `/sam-file:${sam}`,
      ],
      // The server keeps its certificate under HOME: a private one per run.
      { env: { ...process.env, DISPLAY: display, HOME: dir, LOG: logFile }, stdio: 'ignore' },
    );
    children.push(shadow);
    await waitForPort(port, () => shadow.exitCode === null);
    return {
      port,
      display,
      user,
      password,
      log: () => {
        try {
          return readFileSync(logFile, 'utf8');
        } catch {
          return '';
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
