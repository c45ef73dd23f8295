/**
 * The options page's state: the settings store over the browser's storage (local, and managed for policy),
 * and whether the optional permissions (the IP lookup's, the Azure Bastion hosts') are granted.
 */
import { signal } from '@preact/signals';
import browser from 'webextension-polyfill';
import { BASTION_ORIGIN_PATTERNS } from '../../shared/bastion-host';
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
/** Whether the browser lets the extension reach the Azure Bastion hosts (their optional permission). */
export const bastionAllowed = signal(false);
export const bastionMessage = signal<string | null>(null);

const granted = (origins: string[]) => browser.permissions.contains({ origins }).catch(() => false);

export async function refreshPermissions(): Promise<void> {
  [ipLookupAllowed.value, bastionAllowed.value] = await Promise.all([
    granted([IP_LOOKUP_ORIGIN]),
    granted([...BASTION_ORIGIN_PATTERNS]),
  ]);
}
