/**
 * The background's access to tokens. Chromium: MSAL runs in an offscreen document (it needs a DOM) and asks the
 * background to run `identity.launchWebAuthFlow`, which offscreen documents cannot call. Firefox: the background
 * is an event page with a DOM, so MSAL runs right here. Tokens stay inside the extension's own contexts.
 */
import browser from 'webextension-polyfill';
import { type HostAuthTarget, type HostSignInPort, hostToken } from './host-sign-in';
import type { AuthTarget as AppAuthTarget, Token } from './msal-session';
import { MsalSession } from './msal-session';

/** Who signs in: the host (no app registration, the default) or MSAL here with the organisation's own app. */
export type AuthTarget = HostAuthTarget | ({ method: 'app-registration' } & AppAuthTarget);

/** Reuse a token until five minutes before it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;
const OFFSCREEN_URL = 'offscreen/index.html';

export interface TokenBroker {
  token(target: AuthTarget, interactive: boolean): Promise<Token>;
  account(): string | null;
  signOut(): Promise<void>;
}

/** Runs the browser's auth window; `interactive: false` rides on the browser's existing Microsoft session. */
export function launchWebAuthFlow(url: string, interactive: boolean): Promise<string> {
  return browser.identity.launchWebAuthFlow(webAuthFlowDetails(url, interactive, __BROWSER__));
}

/**
 * Chromium lets a silent flow follow redirects instead of failing on the first page only when asked to; Firefox
 * follows them anyway and refuses any property it does not know ("Unexpected properties"), so it gets none.
 */
export function webAuthFlowDetails(
  url: string,
  interactive: boolean,
  target: typeof __BROWSER__,
): { url: string; interactive: boolean } {
  if (target === 'firefox') return { url, interactive };
  return { url, interactive, ...{ abortOnLoadForNonInteractive: false, timeoutMsForNonInteractive: 10_000 } };
}

interface TokenSource {
  fetch(target: AppAuthTarget, interactive: boolean): Promise<Token>;
  signOut(): Promise<void>;
}

export function createTokenBroker(host: HostSignInPort): TokenBroker {
  const cache = new Map<string, Token>();
  // Two checks at once (two tabs, a tab and the popup) share one sign-in instead of racing for it.
  const inflight = new Map<string, Promise<Token>>();
  let lastAccount: string | null = null;
  // Decided at build time: each browser's bundle keeps only its own path.
  const source: TokenSource = __BROWSER__ === 'firefox' ? inThisPage() : inOffscreenDocument();
  return {
    async token(target, interactive) {
      const key =
        target.method === 'host'
          ? `host|${target.cloud}|${target.tenant ?? ''}`
          : `${target.authority}|${target.clientId}|${target.scope}`;
      const cached = cache.get(key);
      if (cached && cached.expiresOn - Date.now() > RENEW_BEFORE_MS) return cached;
      const flight = `${key}|${interactive}`;
      let pending = inflight.get(flight);
      if (!pending) {
        const fetched =
          target.method === 'host' ? hostToken(host, target, interactive) : source.fetch(target, interactive);
        pending = fetched.finally(() => inflight.delete(flight));
        inflight.set(flight, pending);
      }
      const token = await pending;
      cache.set(key, token);
      lastAccount = token.account || lastAccount;
      return token;
    },
    account: () => lastAccount,
    async signOut() {
      cache.clear();
      lastAccount = null;
      // Both ways: the host forgets its kept sign-in, MSAL here its session. A missing host has nothing kept.
      await Promise.all([source.signOut(), host.signOut().catch(() => undefined)]);
    },
  };
}

/** Firefox: the event page has a DOM, so MSAL runs here. */
function inThisPage(): TokenSource {
  const session = new MsalSession(launchWebAuthFlow);
  return {
    fetch: (target, interactive) => session.token(target, interactive),
    signOut: () => session.signOut(),
  };
}

function inOffscreenDocument(): TokenSource {
  return {
    fetch: viaOffscreen,
    signOut: async () => {
      await chrome.runtime.sendMessage({ type: 'auth:sign-out' }).catch(() => undefined);
      // And the document with MSAL's session storage goes too.
      await chrome.offscreen.closeDocument().catch(() => undefined);
    },
  };
}

async function viaOffscreen(target: AppAuthTarget, interactive: boolean): Promise<Token> {
  await ensureOffscreen();
  const reply = (await chrome.runtime.sendMessage({ type: 'auth:token', target, interactive })) as
    | { ok: true; token: Token }
    | { ok: false; error: string }
    | undefined;
  if (!reply) throw new Error('The sign-in page did not answer.');
  if (!reply.ok) throw new Error(reply.error);
  return reply.token;
}

let creating: Promise<void> | null = null;

async function ensureOffscreen(): Promise<void> {
  const url = chrome.runtime.getURL(OFFSCREEN_URL);
  const contexts = await chrome.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT'],
    documentUrls: [url],
  });
  if (contexts.length > 0) return;
  creating ??= chrome.offscreen
    .createDocument({
      url: OFFSCREEN_URL,
      reasons: ['DOM_PARSER'],
      justification: 'MSAL, the Microsoft sign-in library, needs a DOM, which the service worker lacks.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}
