/** Host start-up and round-trip timings, beside a bare Node start measured in the same run. */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { encodeFrame, FrameDecoder } from '../host/framing';
import { median } from './stats';

const HOST = path.resolve('dist/host/rdp-now.mjs');

/** Spawn of `node -e 0` to its exit: what any Node program pays before its first line runs. */
async function bareNodeStartMs(): Promise<number> {
  const start = performance.now();
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.once('exit', resolve);
    child.once('error', reject);
  });
  return performance.now() - start;
}

/** Spawn of the host to its first reply (a `hello`), then `rounds` more hellos on the open pipe. */
async function hostTimings(
  env: NodeJS.ProcessEnv,
  rounds: number,
): Promise<{ coldMs: number; warmMs: number[] }> {
  const start = performance.now();
  const child = spawn(process.execPath, [HOST, 'native-host'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const decoder = new FrameDecoder();
  let waiting: (() => void) | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    for (const _ of decoder.push(chunk)) waiting?.();
  });
  const ask = () =>
    new Promise<void>((resolve) => {
      waiting = resolve;
      child.stdin.write(encodeFrame({ v: 1, id: 'bench', type: 'hello' }));
    });
  await ask();
  const coldMs = performance.now() - start;
  const warmMs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await ask();
    warmMs.push(performance.now() - t);
  }
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  return { coldMs, warmMs };
}

export async function benchHost(runs = 25): Promise<Record<string, number>> {
  const env = { ...process.env, HOME: path.resolve('test-results/bench-home') };
  const bare: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  // Interleaved, so both see the same machine load.
  for (let i = 0; i < runs; i++) {
    bare.push(await bareNodeStartMs());
    const t = await hostTimings(env, 20);
    cold.push(t.coldMs);
    warm.push(...t.warmMs);
  }
  const dir = path.dirname(HOST);
  const hostBytes = readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
  return {
    hostColdStartMs: median(cold),
    nodeBareStartMs: median(bare),
    hostWarmRoundTripMs: median(warm),
    hostBytes,
  };
}
