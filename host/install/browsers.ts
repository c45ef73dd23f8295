/** Where each browser looks for native-messaging hosts (docs/notes/native-messaging.md). Pure. */
import type { HostPlatform } from '../../shared/protocol';
import { HOST_NAME } from '../../shared/protocol';
import { type Env, pathApi } from '../paths';

export const BROWSERS = ['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox'] as const;
export type BrowserId = (typeof BROWSERS)[number];

export const BROWSER_NAMES: Record<BrowserId, string> = {
  chrome: 'Google Chrome',
  chromium: 'Chromium',
  edge: 'Microsoft Edge',
  brave: 'Brave',
  vivaldi: 'Vivaldi',
  firefox: 'Firefox',
};

export function isFirefox(browser: BrowserId): boolean {
  return browser === 'firefox';
}

/** The browser's per-user folder (its existence is how `install` knows the browser is used here). */
export function browserUserDir(browser: BrowserId, platform: HostPlatform, home: string, env: Env): string {
  const p = pathApi(platform);
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? p.join(home, 'AppData', 'Local');
    const roaming = env.APPDATA ?? p.join(home, 'AppData', 'Roaming');
    const dirs: Record<BrowserId, string> = {
      chrome: p.join(local, 'Google', 'Chrome', 'User Data'),
      chromium: p.join(local, 'Chromium', 'User Data'),
      edge: p.join(local, 'Microsoft', 'Edge', 'User Data'),
      brave: p.join(local, 'BraveSoftware', 'Brave-Browser', 'User Data'),
      vivaldi: p.join(local, 'Vivaldi', 'User Data'),
      firefox: p.join(roaming, 'Mozilla', 'Firefox'),
    };
    return dirs[browser];
  }
  if (platform === 'darwin') {
    const support = p.join(home, 'Library', 'Application Support');
    const dirs: Record<BrowserId, string> = {
      chrome: p.join(support, 'Google', 'Chrome'),
      chromium: p.join(support, 'Chromium'),
      edge: p.join(support, 'Microsoft Edge'),
      brave: p.join(support, 'BraveSoftware', 'Brave-Browser'),
      vivaldi: p.join(support, 'Vivaldi'),
      firefox: p.join(support, 'Mozilla'),
    };
    return dirs[browser];
  }
  // Chromium-family browsers follow XDG_CONFIG_HOME; Firefox keeps ~/.mozilla.
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : p.join(home, '.config');
  const dirs: Record<BrowserId, string> = {
    chrome: p.join(config, 'google-chrome'),
    chromium: p.join(config, 'chromium'),
    edge: p.join(config, 'microsoft-edge'),
    brave: p.join(config, 'BraveSoftware', 'Brave-Browser'),
    vivaldi: p.join(config, 'vivaldi'),
    firefox: p.join(home, '.mozilla'),
  };
  return dirs[browser];
}

/** Linux and macOS: the folder holding `com.rdpnow.host.json` for this browser. */
export function manifestDir(
  browser: BrowserId,
  platform: 'linux' | 'darwin',
  home: string,
  env: Env,
): string {
  const p = pathApi(platform);
  const folder =
    isFirefox(browser) && platform === 'linux' ? 'native-messaging-hosts' : 'NativeMessagingHosts';
  return p.join(browserUserDir(browser, platform, home, env), folder);
}

/**
 * Windows: the HKCU key whose default value is the manifest's path. Brave and Vivaldi read Chrome's key, so
 * they share it (the first key found wins, which is why one manifest lists every extension id).
 */
export function registryKey(browser: BrowserId): string {
  const vendor: Record<BrowserId, string> = {
    chrome: 'Google\\Chrome',
    chromium: 'Chromium',
    edge: 'Microsoft\\Edge',
    brave: 'Google\\Chrome',
    vivaldi: 'Google\\Chrome',
    firefox: 'Mozilla',
  };
  return `HKCU\\Software\\${vendor[browser]}\\NativeMessagingHosts\\${HOST_NAME}`;
}

/** Windows policies that can forbid per-user hosts (NativeMessagingUserLevelHosts=false). */
export const USER_LEVEL_HOST_POLICY_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['Google Chrome', 'HKLM\\SOFTWARE\\Policies\\Google\\Chrome'],
  ['Chromium', 'HKLM\\SOFTWARE\\Policies\\Chromium'],
  ['Microsoft Edge', 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge'],
];

/** Linux: sandboxed packages whose browser cannot start a host from the user's home without help. */
export const SANDBOXED_BROWSERS: ReadonlyArray<{ name: string; kind: 'Snap' | 'Flatpak'; marker: string }> = [
  { name: 'Firefox', kind: 'Snap', marker: 'snap/firefox' },
  { name: 'Chromium', kind: 'Snap', marker: 'snap/chromium' },
  { name: 'Firefox', kind: 'Flatpak', marker: '.var/app/org.mozilla.firefox' },
  { name: 'Chromium', kind: 'Flatpak', marker: '.var/app/org.chromium.Chromium' },
  { name: 'Google Chrome', kind: 'Flatpak', marker: '.var/app/com.google.Chrome' },
  { name: 'Microsoft Edge', kind: 'Flatpak', marker: '.var/app/com.microsoft.Edge' },
  { name: 'Brave', kind: 'Flatpak', marker: '.var/app/com.brave.Browser' },
  { name: 'Vivaldi', kind: 'Flatpak', marker: '.var/app/com.vivaldi.Vivaldi' },
];
