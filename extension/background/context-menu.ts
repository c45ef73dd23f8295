/**
 * "RDP now to …" on selected text. The selection is page-controlled, so nothing launches from it directly:
 * the address found in it opens a confirmation window that names the target, and only a click there connects.
 */
import browser from 'webextension-polyfill';
import { findAddressInText } from '../../shared/ip-in-text';
import { CONFIRM_WINDOW } from '../ui/confirm-target';

export const MENU_ID = 'rdp-now-selection';
const MAX_SELECTION = 4096;

export function createMenu(): void {
  browser.contextMenus
    .removeAll()
    .then(() =>
      browser.contextMenus.create({ id: MENU_ID, title: 'RDP now to "%s"', contexts: ['selection'] }),
    )
    .catch(() => undefined);
}

/** The confirmation page for the first address in the selection, or null when there is none. */
export function confirmationUrl(selection: string, base: string): string | null {
  const found = findAddressInText(selection.slice(0, MAX_SELECTION));
  if (!found) return null;
  const query = new URLSearchParams({
    host: found.host,
    ...(found.port !== undefined && { port: String(found.port) }),
  });
  return `${base}confirm/index.html?${query}`;
}

/** The menu's click handler (exported so tests can call it: context menus cannot be clicked by automation). */
export async function handleSelection(selection: string): Promise<{ opened: boolean }> {
  const url = confirmationUrl(selection, browser.runtime.getURL(''));
  if (!url) return { opened: false };
  await browser.windows.create({ url, type: 'popup', ...CONFIRM_WINDOW });
  return { opened: true };
}
