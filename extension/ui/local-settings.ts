/**
 * The settings as a page changes them in place (the report, the popup): read from storage.local and merged, so
 * fields the page does not know stay as stored. The background reads them again at each check.
 */

import { parseSettings, type Settings } from '../settings';
import { pageBrowser } from './page-browser';

export async function readSettings(): Promise<Settings> {
  const { settings } = await pageBrowser().storage.local.get('settings');
  return parseSettings(settings);
}

export async function updateSettings(change: Partial<Settings>): Promise<void> {
  const { settings } = await pageBrowser().storage.local.get('settings');
  await pageBrowser().storage.local.set({ settings: { ...(settings as object | undefined), ...change } });
}
