/**
 * The sign-in cache on disk, shared by every host process and the CLI: MSAL's serialized cache, encrypted with
 * AES-256-GCM under a key kept in the OS's protected store (key-store.ts) — or, only when the user opted in,
 * as plaintext JSON (as the Azure CLI keeps it on Linux and macOS). Writers take a lock file and replace the
 * cache by rename, so two browsers and a terminal signing in at once never leave a torn or mixed file.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { type KeyStore, writePrivate } from './key-store';

const MAGIC = Buffer.from('RDPNOW-MSAL-1\n');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A lock older than this belongs to a process that died while writing. */
const STALE_LOCK_MS = 10_000;

export function encrypt(plain: Buffer, key: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(MAGIC);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

/** Null for anything that is not this format under this key (another key, a truncated or altered file). */
export function decrypt(file: Buffer, key: Buffer): Buffer | null {
  if (file.length < MAGIC.length + IV_BYTES + TAG_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    return null;
  }
  const iv = file.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = file.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(MAGIC);
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(file.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return null;
  }
}

export type CacheProtection =
  | { mode: 'protected'; store: KeyStore }
  | { mode: 'plaintext' }
  /** No protected store and no opt-in: MSAL's in-memory cache only, gone with the process. */
  | { mode: 'memory' };

export interface CacheFile {
  file: string;
  protection: CacheProtection;
  plugin: ICachePlugin | undefined;
  /** Sign-out: the file, its lock and the key go. */
  remove(): Promise<void>;
}

export function cacheFile(file: string, protection: CacheProtection): CacheFile {
  const lock = `${file}.lock`;
  let key: Buffer | null = null;

  const readKey = async (create: boolean): Promise<Buffer | null> => {
    if (protection.mode !== 'protected') return null;
    key ??= await protection.store.get();
    if (!key && create) {
      key = randomBytes(32);
      await protection.store.set(key);
    }
    return key;
  };

  const read = async (): Promise<string | null> => {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch {
      return null;
    }
    if (protection.mode === 'plaintext') return content.toString('utf8');
    const current = await readKey(false);
    // A cache written under a key that is gone (another machine, a cleared keyring) is no sign-in.
    return current ? (decrypt(content, current)?.toString('utf8') ?? null) : null;
  };

  // MSAL calls before → (work) → after around every cache access; the lock spans both, so a read-modify-write
  // by one process never interleaves with another's (as msal-node-extensions' persistence plugin does).
  const plugin: ICachePlugin = {
    async beforeCacheAccess(context: TokenCacheContext) {
      await acquireLock(lock);
      try {
        const text = await read();
        if (text) context.tokenCache.deserialize(text);
      } catch (error) {
        releaseLock(lock);
        throw error;
      }
    },
    async afterCacheAccess(context: TokenCacheContext) {
      try {
        if (!context.cacheHasChanged) return;
        const text = context.tokenCache.serialize();
        if (protection.mode === 'plaintext') writePrivate(file, text);
        else writePrivate(file, encrypt(Buffer.from(text), (await readKey(true)) as Buffer));
      } finally {
        releaseLock(lock);
      }
    },
  };

  return {
    file,
    protection,
    plugin: protection.mode === 'memory' ? undefined : plugin,
    async remove() {
      await acquireLock(lock);
      rmSync(file, { force: true });
      releaseLock(lock);
      if (protection.mode === 'protected') await protection.store.delete();
      key = null;
    },
  };
}

/** Takes an exclusive lock file: waits for another holder, takes over one that is stale or held too long. */
export async function acquireLock(lock: string, waitMs = 5_000): Promise<void> {
  mkdirSync(path.dirname(lock), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lock) || Date.now() > deadline) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export function releaseLock(lock: string): void {
  rmSync(lock, { force: true });
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false;
  }
}
