/**
 * The extension API for the popup's and the report's modules: Firefox's own `browser`, else Chromium's `chrome`,
 * whose MV3 functions return promises (minimum_chrome_version 123). Pages that only ask the background, open tabs,
 * ask for permissions and message their tab's content script need nothing of webextension-polyfill (10 KB of
 * their first paint, bench popupBytes and reportPageBytes); the background keeps the polyfill for its listeners
 * that answer with a promise.
 */
import type Browser from 'webextension-polyfill';

export function pageBrowser(): Browser.Browser {
  const scope = globalThis as unknown as { browser?: Browser.Browser; chrome?: Browser.Browser };
  const api = scope.browser?.runtime?.id ? scope.browser : scope.chrome;
  if (!api) throw new Error('This page runs only inside the RDP now extension.');
  return api;
}

/**
 * Whether this page can ask for an optional permission itself. Firefox gives an extension frame inside a web page
 * (the report panel) only the content scripts' APIs: no `permissions`, `tabs` or `openOptionsPage`
 * (w3c/webextensions#787); there the options page asks.
 */
export function asksForPermissions(): boolean {
  return pageBrowser().permissions !== undefined;
}

/** Opens the options page; from Firefox's report panel, which has no `openOptionsPage`, as a tab of its own. */
export function openOptions(): void {
  const { runtime } = pageBrowser();
  if (typeof runtime.openOptionsPage === 'function') void runtime.openOptionsPage();
  else window.open(runtime.getURL('options/index.html'), '_blank', 'noopener');
}
