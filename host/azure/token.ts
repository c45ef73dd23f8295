/**
 * The ARM access token for the CLI: `--token` (`-` reads it from stdin, so it never shows in the process
 * list), else AZURE_ACCESS_TOKEN, else the sign-in kept by `rdp-now login` (renewed silently), else the Azure
 * CLI's sign-in. The token is passed on, never stored or logged.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { TokenCredential } from '@azure/core-auth';
import type { Cloud } from '../../shared/azure/clouds';
import type { HostPlatform } from '../../shared/protocol';
import { findOnPath } from '../clients/detect';
import { readConfig } from '../config';
import { currentPlatform, type Env, hostPaths } from '../paths';

export class SignInError extends Error {
  override name = 'SignInError';
}

export async function readToken(
  option: string | undefined,
  cloud: Cloud,
  tenant: string | undefined,
): Promise<string> {
  if (option === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const token = Buffer.concat(chunks).toString('utf8').trim();
    if (!token) throw new SignInError('No token arrived on stdin (--token -).');
    return token;
  }
  if (option) return option;
  if (process.env.AZURE_ACCESS_TOKEN) return process.env.AZURE_ACCESS_TOKEN;
  return (await keptSignIn(cloud, tenant)) ?? azureCliToken(cloud, tenant);
}

/** The sign-in `rdp-now login` (or the extension, through the host) kept; null when there is none. */
async function keptSignIn(cloud: Cloud, tenant: string | undefined): Promise<string | null> {
  const { openSession, SignInFailure } = await import('../auth/session');
  const platform = currentPlatform();
  const paths = hostPaths(platform, os.homedir(), process.env);
  const { signIn } = await openSession({
    platform,
    env: process.env,
    stateDir: paths.stateDir,
    config: readConfig(paths.configFile).config,
    openUrl: async () => {
      throw new Error('The CLI never opens a sign-in page on its own: run "rdp-now login".');
    },
  });
  try {
    return (await signIn.token({ cloud, tenant, interactive: false })).accessToken;
  } catch (error) {
    if (error instanceof SignInFailure && error.code === 'E_SIGN_IN_REQUIRED') return null;
    throw new SignInError(error instanceof Error ? error.message : String(error));
  }
}

/** `az account get-access-token` for the cloud's ARM resource (and the portal URL's tenant, if any). */
function azureCliToken(cloud: Cloud, tenant: string | undefined): string {
  const args = [
    'account',
    'get-access-token',
    '--resource',
    `${cloud.armEndpoint}/`,
    '--query',
    'accessToken',
    '-o',
    'tsv',
  ];
  if (tenant) args.push('--tenant', tenant);
  const { command, shell } = azureCliCommand(currentPlatform(), process.env);
  const result = spawnSync(command, args, { encoding: 'utf8', shell, timeout: 60_000 });
  if (result.error) {
    throw new SignInError(
      'Not signed in: run "rdp-now login" (or pass --token, set AZURE_ACCESS_TOKEN, or run "az login").',
    );
  }
  if (result.status !== 0) {
    const reason = result.stderr.trim().split('\n').pop() ?? '';
    throw new SignInError(
      `Not signed in: run "rdp-now login" (the Azure CLI gave no token either: ${reason || `exit ${result.status}`}).`,
    );
  }
  return result.stdout.trim();
}

/**
 * How to start the Azure CLI. On Windows az is a .cmd, which Node only starts through a shell, and cmd.exe
 * would look for it in the current directory first: it is run by its absolute path from PATH, quoted (it
 * usually lies under "Program Files"). Every argument passed with it is fixed or validated.
 */
export function azureCliCommand(
  platform: HostPlatform,
  env: Env,
  find: typeof findOnPath = findOnPath,
): { command: string; shell: boolean } {
  if (platform !== 'win32') return { command: 'az', shell: false };
  const found = find('az.cmd', env, platform);
  if (!found) {
    throw new SignInError(
      'No token: az.cmd is not on PATH, so pass --token, set AZURE_ACCESS_TOKEN, or install the Azure CLI and run "az login".',
    );
  }
  return { command: `"${found}"`, shell: true };
}

/** A credential for the SDK pipeline around a token obtained elsewhere. */
export function staticCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }) };
}
