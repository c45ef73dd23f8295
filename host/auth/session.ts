/**
 * The host's sign-in as the native host and the CLI use it: the protected store this machine has, the cache file
 * under the host's state folder, and MSAL. Loaded lazily (its own bundle, auth.mjs) on the first request that
 * needs a token, so `hello` and `launch` never pay for MSAL.
 */
import path from 'node:path';
import type { HostPlatform } from '../../shared/protocol';
import type { HostConfig } from '../config';
import type { Env } from '../paths';
import { type CacheProtection, cacheFile } from './cache-file';
import { findKeyStore } from './key-store';
import { pinnedNetwork } from './pinned-network';
import { SignIn } from './sign-in';

export { AZURE_CLI_CLIENT_ID, SignIn } from './sign-in';
export { SignInFailure } from './sign-in-errors';

export interface SessionOptions {
  platform: HostPlatform;
  env: Env;
  stateDir: string;
  config: HostConfig;
  openUrl(url: string): Promise<void>;
  timeoutMs?: number;
}

export interface CacheState {
  file: string;
  /** `protected` (where), `plaintext` (the user opted in) or `memory` (no protected store: gone with the host). */
  protection: 'protected' | 'plaintext' | 'memory';
  where: string | null;
}

export async function cacheProtection(options: Omit<SessionOptions, 'openUrl'>): Promise<CacheProtection> {
  const store = await findKeyStore({
    platform: options.platform,
    env: options.env,
    stateDir: options.stateDir,
    simulatedFile: options.config.simulation?.keyStoreFile,
  });
  if (store) return { mode: 'protected', store };
  return options.config.plaintextSignInCache ? { mode: 'plaintext' } : { mode: 'memory' };
}

export async function openSession(options: SessionOptions): Promise<{ signIn: SignIn; cache: CacheState }> {
  const protection = await cacheProtection(options);
  const file = cacheFilePath(options.stateDir, protection);
  const cache = cacheFile(file, protection);
  const simulation = options.config.simulation;
  const signIn = new SignIn({
    cache,
    openUrl: options.openUrl,
    networkClient: simulation && pinnedNetwork(simulation),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
  return {
    signIn,
    cache: {
      file,
      protection: protection.mode,
      where: protection.mode === 'protected' ? protection.store.where : null,
    },
  };
}

/** Where and how the sign-in is kept, in one sentence (`rdp-now account` and `doctor`). */
export function describeCache(cache: CacheState, configFile: string): string {
  if (cache.protection === 'protected')
    return `The sign-in is kept encrypted in ${cache.file}; its key is in ${cache.where}.`;
  if (cache.protection === 'plaintext')
    return `The sign-in is kept unencrypted in ${cache.file}, as ${configFile} asks.`;
  return `This machine has no protected store (no Secret Service, Keychain or DPAPI), so a sign-in is kept only while the host runs; to keep it unencrypted instead, set "plaintextSignInCache": true in ${configFile}.`;
}

/** The sign-in cache this machine would use, without signing in (doctor). */
export async function cacheState(options: Omit<SessionOptions, 'openUrl'>): Promise<CacheState> {
  const protection = await cacheProtection(options);
  return {
    file: cacheFilePath(options.stateDir, protection),
    protection: protection.mode,
    where: protection.mode === 'protected' ? protection.store.where : null,
  };
}

function cacheFilePath(stateDir: string, protection: CacheProtection): string {
  return path.join(stateDir, protection.mode === 'plaintext' ? 'msal-cache.json' : 'msal-cache.bin');
}
