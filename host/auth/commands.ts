/**
 * `rdp-now login [--tenant T] [--cloud C] [--device-code]`, `logout`, `account`: the same sign-in the extension
 * uses through the host (session.ts), from a terminal. Interactive sign-in opens the system browser; the device
 * code is only used when asked for (Conditional Access often blocks it).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { CLOUDS, cloudByName } from '../../shared/azure/clouds';
import { isTenant } from '../../shared/tenant';
import { EXIT, UsageError } from '../cli-args';
import { readConfig } from '../config';
import { currentPlatform, hostPaths } from '../paths';
import { describeCache, openSession, SignInFailure } from './session';

const OPTIONS = {
  tenant: { type: 'string' },
  cloud: { type: 'string' },
  'device-code': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function runAuthCommand(
  command: 'login' | 'logout' | 'account',
  argv: string[],
): Promise<number> {
  let values: { tenant?: string; cloud?: string; 'device-code'?: boolean; json?: boolean };
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const cloud = values.cloud === undefined ? CLOUDS.AzureCloud : cloudByName(values.cloud);
  if (!cloud) throw new UsageError(`Unknown cloud "${values.cloud}"; use ${Object.keys(CLOUDS).join(', ')}.`);
  if (values.tenant !== undefined && !isTenant(values.tenant)) {
    throw new UsageError(
      `--tenant must be a directory (tenant) ID or a domain name, not "${values.tenant}".`,
    );
  }
  const platform = currentPlatform();
  const paths = hostPaths(platform, os.homedir(), process.env);
  const { config } = readConfig(paths.configFile);
  const { signIn, cache } = await openSession({
    platform,
    env: process.env,
    stateDir: paths.stateDir,
    config,
    openUrl: async (url) => {
      process.stderr.write(
        `Opening the sign-in page in your browser. If none opens, open this address:\n${url}\n`,
      );
      openInSystemBrowser(url, platform);
    },
  });
  try {
    if (command === 'logout') {
      await signIn.signOut(Object.values(CLOUDS));
      process.stdout.write('Signed out: the account, the cache file and its key were removed.\n');
      return EXIT.ok;
    }
    if (command === 'account') {
      const accounts = await signIn.accounts(cloud);
      const where = describeCache(cache, paths.configFile);
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ accounts: accounts.map((a) => ({ username: a.username, tenantId: a.tenantId })), cache: { ...cache } })}\n`,
        );
      } else if (accounts.length === 0) {
        process.stdout.write(`Not signed in: run "rdp-now login". ${where}\n`);
      } else {
        for (const a of accounts) process.stdout.write(`${a.username} (tenant ${a.tenantId})\n`);
        process.stdout.write(`${where} Sign-in logs show the application "Microsoft Azure CLI".\n`);
      }
      return accounts.length > 0 ? EXIT.ok : EXIT.notReady;
    }
    const request = { cloud, tenant: values.tenant, interactive: true };
    const token = values['device-code']
      ? await signIn.deviceCode(request, (message) => process.stderr.write(`${message}\n`))
      : await signIn.token(request);
    process.stdout.write(`Signed in as ${token.account.username} (tenant ${token.account.tenantId}).\n`);
    if (cache.protection === 'memory') {
      process.stdout.write(
        'This machine has no protected store (Secret Service), so the sign-in is not kept after this command.\n',
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SignInFailure) {
      process.stderr.write(`rdp-now: ${error.message}\n`);
      return EXIT.noJudgement;
    }
    throw error;
  }
}

/** The system's way to open a URL; the URL goes as one argument, never through a shell. */
function openInSystemBrowser(url: string, platform: ReturnType<typeof currentPlatform>): void {
  const [command, args] =
    platform === 'win32'
      ? ['rundll32.exe', ['url.dll,FileProtocolHandler', url]]
      : platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}
