/**
 * MSAL in a page with a DOM (the offscreen document on Chromium, the background page on Firefox): MSAL cannot
 * run in a service worker, and its persistent cache does not survive on extension origins, so tokens live only
 * as long as this page and are renewed through the browser's own Microsoft session (a non-interactive web auth
 * flow).
 * The redirect is captured and handed to `identity.launchWebAuthFlow` instead of navigating.
 */
import { type AccountInfo, type AuthenticationResult, PublicClientApplication } from '@azure/msal-browser';

export interface AuthTarget {
  clientId: string;
  /** e.g. `https://login.microsoftonline.com/organizations` */
  authority: string;
  redirectUri: string;
  scope: string;
}

/** Opens the authorize URL in the browser's auth window; resolves to the URL it was redirected to. */
export type WebAuthFlow = (url: string, interactive: boolean) => Promise<string>;

export interface Token {
  token: string;
  expiresOn: number;
  account: string;
}

export class MsalSession {
  private readonly apps = new Map<string, Promise<PublicClientApplication>>();
  private captured: string | null = null;
  /** One redirect flow at a time: MSAL allows one interaction, and `captured` belongs to it. */
  private flows: Promise<unknown> = Promise.resolve();

  constructor(private readonly webAuthFlow: WebAuthFlow) {}

  async token(target: AuthTarget, allowInteractive: boolean): Promise<Token> {
    const app = await this.app(target);
    const account = app.getAllAccounts()[0];
    if (account) {
      try {
        return toToken(await app.acquireTokenSilent({ scopes: [target.scope], account }));
      } catch {
        // Expired or revoked: renew through the browser's session below.
      }
    }
    try {
      return await this.redirectFlow(app, target, false, account);
    } catch (error) {
      if (!allowInteractive) throw error;
    }
    return this.redirectFlow(app, target, true, account);
  }

  /** Forgets every account and token: MSAL's cache, this page's session storage, the app instances. */
  async signOut(): Promise<void> {
    const apps = [...this.apps.values()];
    this.apps.clear();
    for (const app of apps) await app.then((a) => a.clearCache()).catch(() => undefined);
    sessionStorage.clear();
  }

  private app(target: AuthTarget): Promise<PublicClientApplication> {
    const key = `${target.authority}|${target.clientId}|${target.redirectUri}`;
    let app = this.apps.get(key);
    if (!app) {
      const created = new PublicClientApplication({
        auth: {
          clientId: target.clientId,
          authority: target.authority,
          redirectUri: target.redirectUri,
          onRedirectNavigate: (url) => {
            this.captured = url;
            return false;
          },
        },
        // sessionStorage: the redirect flow must keep its state across the web auth flow (MSAL refuses redirects
        // with memoryStorage), and it dies with this page. localStorage would not work: MSAL v4+ encrypts it with
        // a cookie that extension origins drop.
        cache: { cacheLocation: 'sessionStorage' },
      });
      app = created.initialize().then(() => created);
      this.apps.set(key, app);
      app.catch(() => this.apps.delete(key));
    }
    return app;
  }

  private redirectFlow(
    app: PublicClientApplication,
    target: AuthTarget,
    interactive: boolean,
    account: AccountInfo | undefined,
  ): Promise<Token> {
    const flow = this.flows.then(() => this.runRedirectFlow(app, target, interactive, account));
    this.flows = flow.catch(() => undefined);
    return flow;
  }

  private async runRedirectFlow(
    app: PublicClientApplication,
    target: AuthTarget,
    interactive: boolean,
    account: AccountInfo | undefined,
  ): Promise<Token> {
    this.captured = null;
    await app.acquireTokenRedirect({
      scopes: [target.scope],
      ...(account && { loginHint: account.username }),
      ...(interactive ? { prompt: 'select_account' } : { prompt: 'none' }),
    });
    const url = this.captured as string | null;
    if (!url) throw new Error('MSAL did not produce an authorize URL.');
    let response: string;
    try {
      response = await this.webAuthFlow(url, interactive);
    } catch (error) {
      // Clears MSAL's interaction_in_progress flag, or the next attempt fails.
      await app.handleRedirectPromise().catch(() => null);
      throw error;
    }
    const result = await app.handleRedirectPromise({
      hash: new URL(response).hash,
      navigateToLoginRequestUrl: false,
    });
    if (!result) throw new Error('The sign-in returned no token.');
    return toToken(result);
  }
}

function toToken(result: AuthenticationResult): Token {
  return {
    token: result.accessToken,
    expiresOn: result.expiresOn?.getTime() ?? Date.now() + 30 * 60_000,
    account: result.account?.username ?? '',
  };
}
