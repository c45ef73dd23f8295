/**
 * Making the user's public IP known from any page, in place: allow the lookup (the browser asks for the optional
 * permission only inside the press itself) or store the address the user typed. The background reads the
 * settings at each check, so the next check uses either.
 */

import { IP_LOOKUP_ORIGIN } from '../settings';
import { updateSettings } from './local-settings';
import { asksForPermissions, openOptions, pageBrowser } from './page-browser';
import { settingName } from './setting-labels';
import { validateSourceIp } from './settings-form';

/** Whether the lookup can run at the next check: turned on and allowed. */
export async function ipLookupReady(): Promise<boolean> {
  const [{ settings }, allowed] = await Promise.all([
    pageBrowser().storage.local.get('settings'),
    pageBrowser()
      .permissions.contains({ origins: [IP_LOOKUP_ORIGIN] })
      .catch(() => false),
  ]);
  const stored = settings as { ipLookup?: unknown; sourceIp?: unknown } | undefined;
  if (typeof stored?.sourceIp === 'string' && stored.sourceIp !== '') return true;
  return allowed && stored?.ipLookup !== false;
}

/** Must run inside the user's press. Null when allowed; else the one sentence to show. */
export async function allowIpLookup(): Promise<string | null> {
  if (!asksForPermissions()) {
    openOptions();
    return `Turn on ${settingName('ipLookup')} in the options page that opened, then press RDP now again; or type your IP address below.`;
  }
  if (!(await pageBrowser().permissions.request({ origins: [IP_LOOKUP_ORIGIN] })))
    return 'The lookup was not allowed: type your IP address below instead.';
  await updateSettings({ ipLookup: true });
  return null;
}

/** Stores a typed address as the options page's "My IP address" does. Null when stored; else why not. */
export async function saveSourceIp(text: string): Promise<string | null> {
  const checked = validateSourceIp(text);
  if (!checked.ok) return checked.message;
  if (checked.value === '') return `Type your IP address, as in ${settingName('sourceIp')} in the options.`;
  await updateSettings({ sourceIp: checked.value });
  return null;
}
