/** Starts a program that must outlive the host: detached, no stdio, no shell, arguments as an array. */
import { spawn } from 'node:child_process';
import os from 'node:os';
import type { Command } from './clients/machine';

export function spawnDetached(command: Command): Promise<number> {
  const [program, ...args] = command.argv;
  if (!program) return Promise.reject(new Error('Nothing to start.'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      detached: true,
      stdio: 'ignore',
      shell: false,
      cwd: os.homedir(),
      env: { ...process.env, ...command.env },
    });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve(child.pid ?? -1);
    });
  });
}

/** Runs a short helper (e.g. reg.exe) and waits for it; resolves to its exit code. */
export function runAndWait(command: Command, timeoutMs = 10_000): Promise<number> {
  const [program, ...args] = command.argv;
  if (!program) return Promise.reject(new Error('Nothing to run.'));
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: 'ignore',
      shell: false,
      timeout: timeoutMs,
      env: { ...process.env, ...command.env },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? -1));
  });
}
