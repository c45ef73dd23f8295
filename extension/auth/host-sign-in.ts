/**
 * Signing in with no app registration: the companion host signs in (MSAL Node as the Azure CLI's client) and this
 * browser shows the page — in a tab, where the user is usually signed in to the portal already. The tab opens only
 * for a page that passes `hostSignInUrlProblem`, closes when the host answers, and closing it cancels the sign-in.
 * What comes back is an ARM access token in memory; the refresh token never leaves the host.
 */
import browser from 'webextension-polyfill';
import { hostSignInUrlProblem } from '../../shared/azure/host-sign-in-url';
import type { AzureCloudName } from '../../shared/resource-id';
import type { Token } from './msal-session';

/** What the host signs in for: the cloud and, when the portal URL names one, the tenant. */
export interface HostAuthTarget {
  method: 'host';
  cloud: AzureCloudName;
  /** A GUID or domain; undefined for `organizations` / `common`. */
  tenant: string | undefined;
}

/** The part of the native port this needs (background/native-port.ts). */
export interface HostSignInPort {
  token(
    fields: { cloud: AzureCloudName; tenant?: string; interactive: boolean },
    onPage: (url: string) => void,
  ): Promise<{ accessToken: string; expiresOn: number; account: { username: string } }>;
  cancelSignIn(): Promise<unknown>;
  signOut(): Promise<unknown>;
}

export function hostTarget(cloud: AzureCloudName, tenant: string): HostAuthTarget {
  return {
    method: 'host',
    cloud,
    tenant: tenant === 'organizations' || tenant === 'common' ? undefined : tenant,
  };
}

export async function hostToken(
  port: HostSignInPort,
  target: HostAuthTarget,
  interactive: boolean,
): Promise<Token> {
  let tabId: number | undefined;
  let settled = false;
  const onRemoved = (removed: number) => {
    // The user closed the sign-in tab: the host stops waiting for it.
    if (removed === tabId && !settled) void port.cancelSignIn().catch(() => undefined);
  };
  browser.tabs.onRemoved.addListener(onRemoved);
  try {
    const result = await port.token(
      { cloud: target.cloud, interactive, ...(target.tenant !== undefined && { tenant: target.tenant }) },
      (url) => {
        if (hostSignInUrlProblem(url, target.cloud, target.tenant) !== null) {
          void port.cancelSignIn().catch(() => undefined);
          return;
        }
        void browser.tabs.create({ url, active: true }).then((tab) => {
          tabId = tab.id;
          if (settled && tabId !== undefined) void browser.tabs.remove(tabId).catch(() => undefined);
        });
      },
    );
    return { token: result.accessToken, expiresOn: result.expiresOn, account: result.account.username };
  } finally {
    settled = true;
    browser.tabs.onRemoved.removeListener(onRemoved);
    if (tabId !== undefined) await browser.tabs.remove(tabId).catch(() => undefined);
  }
}
