/**
 * Where the sign-in cache's encryption key lives: the OS's protected store, reached through the OS's own tools
 * (no native module to ship per platform): `secret-tool` (Secret Service / libsecret) on Linux, the login
 * Keychain through `security` on macOS, DPAPI through PowerShell on Windows (Credential Manager caps secrets at
 * 2,560 bytes, so the key — not the cache — is what is protected). The key never appears in an argv: every tool
 * reads it from stdin. The plans are pure, so each OS's commands are tested here without that OS.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HostPlatform } from '../../shared/protocol';
import { findOnPath } from '../clients/detect';
import type { Env } from '../paths';

export type KeyStoreKind = 'secret-service' | 'keychain' | 'dpapi' | 'simulated';

export interface KeyStore {
  kind: KeyStoreKind;
  /** Where the key is, in words for `doctor` and the options page. */
  where: string;
  get(): Promise<Buffer | null>;
  set(key: Buffer): Promise<void>;
  delete(): Promise<void>;
}

/** One run of an OS tool: its argv and what it reads on stdin. */
export interface ToolRun {
  argv: string[];
  stdin: string;
}

const SERVICE = 'rdp-now';
const ACCOUNT = 'sign-in-cache-key';

/** Linux: libsecret's command line, which talks to whichever Secret Service runs (GNOME Keyring, KWallet). */
export const secretToolPlan = {
  get: (): ToolRun => ({
    argv: ['secret-tool', 'lookup', 'service', SERVICE, 'account', ACCOUNT],
    stdin: '',
  }),
  set: (key: Buffer): ToolRun => ({
    argv: [
      'secret-tool',
      'store',
      '--label=RDP now sign-in cache key',
      'service',
      SERVICE,
      'account',
      ACCOUNT,
    ],
    stdin: key.toString('base64'),
  }),
  delete: (): ToolRun => ({
    argv: ['secret-tool', 'clear', 'service', SERVICE, 'account', ACCOUNT],
    stdin: '',
  }),
};

/** macOS: `security -i` reads its commands from stdin, so the key stays out of the process list. */
export const keychainPlan = {
  get: (): ToolRun => ({
    argv: ['/usr/bin/security', 'find-generic-password', '-s', SERVICE, '-a', ACCOUNT, '-w'],
    stdin: '',
  }),
  set: (key: Buffer): ToolRun => ({
    argv: ['/usr/bin/security', '-i'],
    stdin: `add-generic-password -U -s ${SERVICE} -a ${ACCOUNT} -l "RDP now sign-in cache key" -w ${key.toString('base64')}\n`,
  }),
  delete: (): ToolRun => ({
    argv: ['/usr/bin/security', 'delete-generic-password', '-s', SERVICE, '-a', ACCOUNT],
    stdin: '',
  }),
};

const POWERSHELL = ['powershell.exe', '-NoProfile', '-NonInteractive', '-Command'];
const DPAPI = (call: 'Protect' | 'Unprotect') =>
  `Add-Type -AssemblyName System.Security; $b=[Convert]::FromBase64String([Console]::In.ReadLine()); ` +
  `[Convert]::ToBase64String([Security.Cryptography.ProtectedData]::${call}($b,$null,'CurrentUser'))`;

/** Windows: DPAPI binds the key to this user's logon; the protected blob is kept in a file beside the cache. */
export const dpapiPlan = {
  protect: (key: Buffer): ToolRun => ({
    argv: [...POWERSHELL, DPAPI('Protect')],
    stdin: `${key.toString('base64')}\n`,
  }),
  unprotect: (blob: string): ToolRun => ({ argv: [...POWERSHELL, DPAPI('Unprotect')], stdin: `${blob}\n` }),
};

export type RunTool = (run: ToolRun) => Promise<{ code: number; stdout: string; stderr: string }>;

export const runTool: RunTool = (run) =>
  new Promise((resolve) => {
    const [command = '', ...args] = run.argv;
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('error', (error) => resolve({ code: -1, stdout: '', stderr: error.message }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.stdin);
  });

export interface KeyStoreOptions {
  platform: HostPlatform;
  env: Env;
  stateDir: string;
  /** The host config's `simulatedKeyStore`: a file that stands in for the OS store (demo and tests only). */
  simulatedFile?: string | undefined;
  run?: RunTool;
}

/**
 * The protected store this machine offers, or null when there is none (headless Linux with no Secret Service):
 * the sign-in then stays in memory unless the user opted into a plaintext cache.
 */
export async function findKeyStore(options: KeyStoreOptions): Promise<KeyStore | null> {
  const run = options.run ?? runTool;
  if (options.simulatedFile) return simulatedStore(options.simulatedFile);
  if (options.platform === 'win32')
    return dpapiStore(path.win32.join(options.stateDir, 'cache-key.dpapi'), run);
  if (options.platform === 'darwin') return commandStore('keychain', 'the login Keychain', keychainPlan, run);
  // Without a session bus there is no Secret Service to ask: do not spend a process start finding that out.
  if (!options.env.DBUS_SESSION_BUS_ADDRESS || !findOnPath('secret-tool', options.env, 'linux')) return null;
  const store = commandStore('secret-service', 'the Secret Service (libsecret)', secretToolPlan, run);
  // "Not found" is exit 1 in silence; no reachable Secret Service is exit 1 with a complaint: probe once.
  const probe = await run(secretToolPlan.get());
  return probe.code === 0 || (probe.code === 1 && !probe.stderr.trim()) ? store : null;
}

function commandStore(
  kind: KeyStoreKind,
  where: string,
  plan: { get(): ToolRun; set(key: Buffer): ToolRun; delete(): ToolRun },
  run: RunTool,
): KeyStore {
  return {
    kind,
    where,
    async get() {
      const result = await run(plan.get());
      const text = result.stdout.trim();
      return result.code === 0 && text ? decodeKey(text) : null;
    },
    async set(key) {
      const result = await run(plan.set(key));
      if (result.code !== 0) throw new Error(`Could not store the sign-in key in ${where}.`);
    },
    async delete() {
      await run(plan.delete());
    },
  };
}

function dpapiStore(file: string, run: RunTool): KeyStore {
  return {
    kind: 'dpapi',
    where: `Windows DPAPI (${file})`,
    async get() {
      let blob: string;
      try {
        blob = readFileSync(file, 'utf8').trim();
      } catch {
        return null;
      }
      const result = await run(dpapiPlan.unprotect(blob));
      return result.code === 0 ? decodeKey(result.stdout.trim()) : null;
    },
    async set(key) {
      const result = await run(dpapiPlan.protect(key));
      if (result.code !== 0 || !result.stdout.trim())
        throw new Error('Windows DPAPI refused to protect the key.');
      writePrivate(file, result.stdout.trim());
    },
    async delete() {
      rmSync(file, { force: true });
    },
  };
}

function simulatedStore(file: string): KeyStore {
  return {
    kind: 'simulated',
    where: `a simulated protected store (${file})`,
    async get() {
      try {
        return decodeKey(readFileSync(file, 'utf8').trim());
      } catch {
        return null;
      }
    },
    async set(key) {
      writePrivate(file, key.toString('base64'));
    },
    async delete() {
      rmSync(file, { force: true });
    },
  };
}

/** A key is 32 bytes of base64; anything else in the store is treated as no key (and replaced on sign-in). */
function decodeKey(text: string): Buffer | null {
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : null;
}

/** Written whole or not at all, readable by this user only. */
export function writePrivate(file: string, content: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  renameSync(temp, file);
}
