/**
 * The options page's state: the settings store over the browser's storage (local, and managed for policy),
 * and whether the IP lookup's optional permission is granted.
 */
import { signal } from '@preact/signals';
import browser from 'webextension-polyfill';
import { IP_LOOKUP_ORIGIN } from '../settings';
import { createSettingsStore } from '../ui/settings-store';

export const store = createSettingsStore({
  async readLocal() {
    return (await browser.storage.local.get('settings')).settings;
  },
  async writeLocal(settings) {
    await browser.storage.local.set({ settings });
  },
  // Firefox rejects without a policy, and a browser may have no managed area at all: both mean "no policy".
  async readManaged() {
    return browser.storage.managed ? await browser.storage.managed.get() : {};
  },
});

/** Whether the browser lets the extension reach the IP-lookup host (the optional permission). */
export const ipLookupAllowed = signal(false);
export const ipLookupMessage = signal<string | null>(null);

export async function refreshIpLookupPermission(): Promise<void> {
  try {
    ipLookupAllowed.value = await browser.permissions.contains({ origins: [IP_LOOKUP_ORIGIN] });
  } catch {
    ipLookupAllowed.value = false;
  }
}
