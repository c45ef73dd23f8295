/** Runs the built CLI asynchronously (the simulated Azure answers from this same process, so never spawnSync). */
import { spawn } from 'node:child_process';
import { HOST_ENTRY, isolatedEnv } from './host-process';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  stdin = '',
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HOST_ENTRY, ...args], { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** `--json` output parsed, with the exit code. */
export async function runCliJson<T = Record<string, unknown>>(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; json: T; stderr: string }> {
  const result = await runCli([...args, '--json'], env);
  try {
    return { code: result.code, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

/**
 * The CLI's environment: a fresh home (unless `extra` names one), this run's CA and a plain PATH — nothing
 * else of the tests' own environment (no AZURE_ACCESS_TOKEN, no XDG folders).
 */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return isolatedEnv({
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
    PATH: '/usr/bin:/bin',
    ...extra,
  });
}
