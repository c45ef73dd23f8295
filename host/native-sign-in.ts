/**
 * The native host's side of signing in (docs/PROTOCOL.md §2.8): `token`, `sign-in-cancel`, `sign-out` and
 * `account`. MSAL loads on the first of them (auth.mjs), so `hello` and `launch` never pay for it. The sign-in
 * page opens in the extension's browser: the host sends its URL unasked (`sign-in-page`, naming the `token`
 * request it belongs to) and answers that request when the sign-in is done, which tells the extension to close
 * the tab. Only an ARM access token, its expiry and the account leave; the refresh token stays in the cache.
 */
import os from 'node:os';
import { CLOUDS } from '../shared/azure/clouds';
import {
  type AccountRequest,
  type AccountResult,
  ProtocolError,
  type SignInPageMessage,
  type TokenRequest,
  type TokenResult,
} from '../shared/protocol';
import { readConfig } from './config';
import type { Logger } from './log';
import { currentPlatform, hostPaths } from './paths';

type Session = Awaited<ReturnType<typeof import('./auth/session').openSession>>;

export interface NativeSignIn {
  token(request: TokenRequest): Promise<TokenResult>;
  cancel(): { cancelled: boolean };
  signOut(): Promise<Record<string, never>>;
  account(request: AccountRequest): Promise<AccountResult>;
}

export function nativeSignIn(notify: (message: SignInPageMessage) => void, log: Logger): NativeSignIn {
  let session: Promise<Session> | null = null;
  /** The `token` request whose sign-in page is open, if any. */
  let interactiveFor: string | null = null;

  const open = (): Promise<Session> => {
    session ??= (async () => {
      const { openSession } = await import('./auth/session');
      const platform = currentPlatform();
      const paths = hostPaths(platform, os.homedir(), process.env);
      const { config, problem } = readConfig(paths.configFile);
      if (problem) log(problem);
      return openSession({
        platform,
        env: process.env,
        stateDir: paths.stateDir,
        config,
        openUrl: async (url) => {
          if (!interactiveFor) throw new Error('no sign-in request is waiting for a page');
          notify({ v: 1, type: 'sign-in-page', for: interactiveFor, url });
        },
      });
    })();
    return session;
  };

  const failure = async (error: unknown): Promise<never> => {
    const { SignInFailure } = await import('./auth/session');
    if (error instanceof SignInFailure) throw new ProtocolError(error.code, error.message);
    throw error;
  };

  return {
    async token(request) {
      const { signIn } = await open();
      if (request.interactive) interactiveFor = request.id;
      try {
        const token = await signIn.token({
          cloud: CLOUDS[request.cloud],
          tenant: request.tenant,
          interactive: request.interactive,
        });
        log(`signed in as ${token.account.username} for ${request.cloud}`);
        return token;
      } catch (error) {
        return failure(error);
      } finally {
        if (interactiveFor === request.id) interactiveFor = null;
      }
    },
    cancel() {
      if (!session || !interactiveFor) return { cancelled: false };
      void session.then(({ signIn }) => signIn.cancel());
      return { cancelled: true };
    },
    async signOut() {
      const { signIn } = await open();
      await signIn.signOut(Object.values(CLOUDS));
      log('signed out');
      return {};
    },
    async account(request) {
      const { signIn, cache } = await open();
      const accounts = await signIn.accounts(CLOUDS[request.cloud]);
      return {
        accounts: accounts.map((a) => ({ username: a.username, tenantId: a.tenantId })),
        cache: { protection: cache.protection, where: cache.where, file: cache.file },
      };
    },
  };
}
