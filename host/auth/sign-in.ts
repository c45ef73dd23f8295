/**
 * Signing in with no app registration (docs/notes/sign-in.md): MSAL Node as the Azure CLI's public client, so it
 * works in any tenant where `az login` works. Interactive sign-in goes through MSAL's loopback redirect
 * (`form_post` to http://localhost:<port>); the caller decides where the authorize URL opens — a tab of the
 * user's browser for the extension, the system browser for the CLI. Only an access token for the cloud's ARM
 * leaves this module, never the refresh token, which stays in the cache (cache-file.ts).
 */
import http from 'node:http';
import {
  type AccountInfo,
  type AuthenticationResult,
  type INetworkModule,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from '@azure/msal-node';
import type { Cloud } from '../../shared/azure/clouds';
import { AZURE_CLI_CLIENT_ID } from '../../shared/azure/host-sign-in-url';
import type { CacheFile } from './cache-file';
import { SignInFailure, signInFailure } from './sign-in-errors';

export { AZURE_CLI_CLIENT_ID };
/** A sign-in page left open, or held by the browser's local-network prompt, is given up after this. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface TokenRequest {
  cloud: Cloud;
  /** A GUID or a domain name (validated at the boundary); `organizations` when absent. */
  tenant?: string | undefined;
  interactive: boolean;
}

export interface ArmToken {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresOn: number;
  account: { username: string; tenantId: string };
}

export interface SignInOptions {
  cache: CacheFile;
  /** Where the authorize URL opens. */
  openUrl(url: string): Promise<void>;
  /** The simulation's network (host config only); MSAL's own client otherwise. */
  networkClient?: INetworkModule | undefined;
  timeoutMs?: number;
  clientId?: string;
}

const SIGNED_IN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RDP now: signed in</title></head>
<body style="font:16px system-ui,sans-serif;margin:3em"><h1>Signed in</h1><p>RDP now has your sign-in. You can close this tab.</p></body></html>`;
const FAILED_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RDP now: not signed in</title></head>
<body style="font:16px system-ui,sans-serif;margin:3em"><h1>Not signed in</h1><p>RDP now shows what went wrong. You can close this tab.</p></body></html>`;

export class SignIn {
  private readonly apps = new Map<string, PublicClientApplication>();
  /** Ends the interactive sign-in in progress (the loopback is told the user declined). */
  private cancelInteractive: ((reason: 'cancelled' | 'timed out') => void) | null = null;

  constructor(private readonly options: SignInOptions) {}

  async token(request: TokenRequest): Promise<ArmToken> {
    const app = this.app(request.cloud);
    const authority = authorityUrl(request.cloud, request.tenant);
    const scopes = [request.cloud.scope];
    const account = pickAccount(await app.getTokenCache().getAllAccounts(), request.tenant);
    if (account) {
      try {
        return armToken(await app.acquireTokenSilent({ account, scopes, authority }));
      } catch (error) {
        if (request.interactive) {
          // Fall through to the sign-in page, which settles whatever the refresh could not.
        } else if (error instanceof InteractionRequiredAuthError) {
          throw new SignInFailure('E_SIGN_IN_REQUIRED', requiredText(error));
        } else {
          throw signInFailure(error);
        }
      }
    } else if (!request.interactive) {
      throw new SignInFailure('E_SIGN_IN_REQUIRED', 'Sign in to Azure first.');
    }
    return this.interactive(app, scopes, authority, account);
  }

  /** For SSH sessions and machines with no browser: the user enters a code on another device. */
  async deviceCode(request: TokenRequest, show: (message: string) => void): Promise<ArmToken> {
    const app = this.app(request.cloud);
    try {
      return armToken(
        await app.acquireTokenByDeviceCode({
          scopes: [request.cloud.scope],
          authority: authorityUrl(request.cloud, request.tenant),
          deviceCodeCallback: (response) => show(response.message),
        }),
      );
    } catch (error) {
      throw signInFailure(error);
    }
  }

  cancel(): void {
    this.cancelInteractive?.('cancelled');
  }

  async accounts(cloud: Cloud): Promise<AccountInfo[]> {
    return this.app(cloud).getTokenCache().getAllAccounts();
  }

  /** Forgets every account, then removes the cache file and its key. */
  async signOut(clouds: readonly Cloud[]): Promise<void> {
    for (const cloud of clouds) {
      const cache = this.app(cloud).getTokenCache();
      for (const account of await cache.getAllAccounts()) await cache.removeAccount(account);
    }
    await this.options.cache.remove();
  }

  private async interactive(
    app: PublicClientApplication,
    scopes: string[],
    authority: string,
    account: AccountInfo | null,
  ): Promise<ArmToken> {
    // One interactive sign-in at a time: a second one replaces the first, whose tab the user left.
    this.cancelInteractive?.('cancelled');
    let loopback: { redirectUri: string; state: string } | null = null;
    let ended: 'cancelled' | 'timed out' | null = null;
    const cancel = (reason: 'cancelled' | 'timed out') => {
      ended = reason;
      if (loopback) void declineAtLoopback(loopback.redirectUri, loopback.state);
    };
    this.cancelInteractive = cancel;
    const timer = setTimeout(() => cancel('timed out'), this.options.timeoutMs ?? SIGN_IN_TIMEOUT_MS);
    try {
      const result = await app.acquireTokenInteractive({
        scopes,
        authority,
        ...(account && { loginHint: account.username }),
        successTemplate: SIGNED_IN_PAGE,
        errorTemplate: FAILED_PAGE,
        openBrowser: async (url) => {
          const query = new URL(url).searchParams;
          loopback = { redirectUri: query.get('redirect_uri') ?? '', state: query.get('state') ?? '' };
          if (ended) await declineAtLoopback(loopback.redirectUri, loopback.state);
          else await this.options.openUrl(url);
        },
      });
      return armToken(result);
    } catch (error) {
      if (ended === 'timed out') {
        throw new SignInFailure(
          'E_SIGN_IN_CANCELLED',
          'The sign-in page got no answer for 5 minutes, so it was cancelled: sign in again, or run "rdp-now login --device-code" if your browser cannot reach this computer.',
        );
      }
      if (ended === 'cancelled') throw new SignInFailure('E_SIGN_IN_CANCELLED', 'Sign-in was cancelled.');
      throw signInFailure(error);
    } finally {
      clearTimeout(timer);
      if (this.cancelInteractive === cancel) this.cancelInteractive = null;
    }
  }

  private app(cloud: Cloud): PublicClientApplication {
    let app = this.apps.get(cloud.name);
    if (!app) {
      app = new PublicClientApplication({
        auth: {
          clientId: this.options.clientId ?? AZURE_CLI_CLIENT_ID,
          authority: authorityUrl(cloud, undefined),
          knownAuthorities: [cloud.authorityHost],
        },
        ...(this.options.cache.plugin && { cache: { cachePlugin: this.options.cache.plugin } }),
        ...(this.options.networkClient && { system: { networkClient: this.options.networkClient } }),
      });
      this.apps.set(cloud.name, app);
    }
    return app;
  }
}

export function authorityUrl(cloud: Cloud, tenant: string | undefined): string {
  return `https://${cloud.authorityHost}/${tenant ?? 'organizations'}`;
}

/** The account for a tenant: its home account when the GUID matches, else the one signed in (a guest elsewhere). */
export function pickAccount(
  accounts: readonly AccountInfo[],
  tenant: string | undefined,
): AccountInfo | null {
  if (tenant) {
    const match = accounts.find((a) => a.tenantId === tenant || a.tenantProfiles?.has(tenant));
    if (match) return match;
  }
  return accounts[0] ?? null;
}

function armToken(result: AuthenticationResult | null): ArmToken {
  if (!result?.accessToken || !result.account) {
    throw new SignInFailure('E_SIGN_IN_FAILED', 'Microsoft sign-in answered without a token: sign in again.');
  }
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn?.getTime() ?? Date.now() + 60 * 60_000,
    account: { username: result.account.username, tenantId: result.tenantId || result.account.tenantId },
  };
}

function requiredText(error: unknown): string {
  const detail = error instanceof Error ? error.message.split('\n')[0] : '';
  return /AADSTS50076|AADSTS50079|AADSTS50074/.test(detail ?? '')
    ? 'This tenant asks for multi-factor authentication: sign in again and complete it.'
    : 'Your sign-in has expired: sign in again.';
}

/**
 * Ends MSAL's loopback wait the only way it offers: the answer the sign-in page would post when the user
 * declines (`form_post`, the request's state). MSAL then rejects with access_denied.
 */
function declineAtLoopback(redirectUri: string, state: string): Promise<void> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      resolve();
      return;
    }
    if (target.protocol !== 'http:' || !['localhost', '127.0.0.1'].includes(target.hostname)) {
      resolve();
      return;
    }
    const body = new URLSearchParams({
      error: 'access_denied',
      error_description: 'cancelled',
      state,
    }).toString();
    const req = http.request(
      target,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', () => resolve());
    req.end(body);
  });
}
