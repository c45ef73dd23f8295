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
  const file = path.join(
    options.stateDir,
    protection.mode === 'plaintext' ? 'msal-cache.json' : 'msal-cache.bin',
  );
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
