/**
 * The browsers' managed policies that decide whether a registered host may start (for `doctor`):
 * - Chrome, Chromium, Edge: NativeMessagingUserLevelHosts (false: per-user hosts are ignored),
 *   NativeMessagingBlocklist (a name, or `*` for all) and NativeMessagingAllowlist (exempts names from `*`).
 *   Read from: Linux `/etc/opt/chrome`, `/etc/chromium`, `/etc/opt/edge` `policies/managed/*.json`; macOS the
 *   managed plists in `/Library/Managed Preferences` (converted to JSON by `plutil`); Windows
 *   `HKLM\SOFTWARE\Policies\<vendor>` through reg.exe (HKCU policies are not read).
 * - Firefox has no native-messaging policy; its `ExtensionSettings` can block the add-on itself. Read from the
 *   policies.json files Firefox reads (Linux `/etc/firefox/policies` and the installs' `distribution` folders,
 *   macOS the app's `Resources/distribution`, Windows `%ProgramFiles%\Mozilla Firefox\distribution`); the
 *   Windows and macOS Firefox policies in the registry or a plist are not read.
 *
 * Everything here is pure except `readPolicies`, whose I/O (reading a file, running a program) is passed in, so
 * tests give it a temporary root.
 */
import { FIREFOX_EXTENSION_ID, HOST_NAME, type HostPlatform } from '../../shared/protocol';
import { pathApi } from '../paths';
import { BROWSER_NAMES, type BrowserId } from './browsers';
import { policyBlocksUserHosts, regQueryPolicy } from './host-files';

export const POLICY_BROWSERS = ['chrome', 'chromium', 'edge'] as const;
export type PolicyBrowserId = (typeof POLICY_BROWSERS)[number];

export interface ChromiumPolicy {
  /** Where it was read (a folder, a plist, a registry key). */
  source: string;
  userLevelHosts: boolean | null;
  allowlist: string[];
  blocklist: string[];
}

export interface PolicyFacts {
  chromium: Partial<Record<PolicyBrowserId, ChromiumPolicy>>;
  /** The policies.json whose ExtensionSettings block the add-on, if any. */
  firefoxBlockedBy: string | null;
}

export const NO_POLICIES: PolicyFacts = { chromium: {}, firefoxBlockedBy: null };

const LINUX_POLICY_DIRS: Record<PolicyBrowserId, string> = {
  chrome: '/etc/opt/chrome/policies/managed',
  chromium: '/etc/chromium/policies/managed',
  edge: '/etc/opt/edge/policies/managed',
};

const MAC_POLICY_PLISTS: Record<PolicyBrowserId, string> = {
  chrome: '/Library/Managed Preferences/com.google.Chrome.plist',
  chromium: '/Library/Managed Preferences/org.chromium.Chromium.plist',
  edge: '/Library/Managed Preferences/com.microsoft.Edge.plist',
};

const WINDOWS_POLICY_KEYS: Record<PolicyBrowserId, string> = {
  chrome: 'HKLM\\SOFTWARE\\Policies\\Google\\Chrome',
  chromium: 'HKLM\\SOFTWARE\\Policies\\Chromium',
  edge: 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge',
};

export function firefoxPolicyFiles(platform: HostPlatform, programFiles = 'C:\\Program Files'): string[] {
  if (platform === 'win32') return [`${programFiles}\\Mozilla Firefox\\distribution\\policies.json`];
  if (platform === 'darwin')
    return ['/Applications/Firefox.app/Contents/Resources/distribution/policies.json'];
  return [
    '/etc/firefox/policies/policies.json',
    '/usr/lib/firefox/distribution/policies.json',
    '/usr/lib/firefox-esr/distribution/policies.json',
    '/usr/lib64/firefox/distribution/policies.json',
    '/opt/firefox/distribution/policies.json',
  ];
}

/** macOS: the command that prints a managed plist as JSON. */
export function plistAsJson(plist: string): string[] {
  return ['/usr/bin/plutil', '-convert', 'json', '-o', '-', plist];
}

/** Windows: the reg.exe commands for one browser's policy key (the value, then the two list subkeys). */
export function regPolicyQueries(
  reg: string,
  key: string,
): { userLevel: string[]; allow: string[]; block: string[] } {
  return {
    userLevel: regQueryPolicy(reg, key),
    allow: [reg, 'query', `${key}\\NativeMessagingAllowlist`],
    block: [reg, 'query', `${key}\\NativeMessagingBlocklist`],
  };
}

/** A Windows list policy: the values `1`, `2`, … of a key, each `REG_SZ <name>`. */
export function parseRegList(output: string): string[] {
  return [...output.matchAll(/^\s+\S+\s+REG_SZ\s+(.+?)\s*$/gm)].map((m) => m[1] as string);
}

/** Folds the policy objects of one browser (several JSON files, or one plist) into the three policies. */
export function chromiumPolicy(source: string, objects: readonly unknown[]): ChromiumPolicy | null {
  const policy: ChromiumPolicy = { source, userLevelHosts: null, allowlist: [], blocklist: [] };
  let any = false;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  for (const o of objects) {
    if (typeof o !== 'object' || o === null) continue;
    const p = o as Record<string, unknown>;
    if (typeof p.NativeMessagingUserLevelHosts === 'boolean') {
      policy.userLevelHosts = p.NativeMessagingUserLevelHosts;
      any = true;
    }
    // NativeMessagingWhitelist / Blacklist: the names before Chrome 86, still honoured.
    for (const [list, names] of [
      ['allowlist', ['NativeMessagingAllowlist', 'NativeMessagingWhitelist']],
      ['blocklist', ['NativeMessagingBlocklist', 'NativeMessagingBlacklist']],
    ] as const) {
      for (const name of names) {
        if (Array.isArray(p[name])) {
          policy[list].push(...strings(p[name]));
          any = true;
        }
      }
    }
  }
  return any ? policy : null;
}

/** True when Firefox's ExtensionSettings keep the RDP now add-on out. */
export function firefoxBlocksAddon(policies: unknown): boolean {
  const settings = (policies as { policies?: { ExtensionSettings?: Record<string, unknown> } } | null)
    ?.policies?.ExtensionSettings;
  if (typeof settings !== 'object' || settings === null) return false;
  const mode = (key: string) =>
    (settings[key] as { installation_mode?: unknown } | undefined)?.installation_mode as string | undefined;
  const ours = mode(FIREFOX_EXTENSION_ID);
  if (ours !== undefined) return ours === 'blocked';
  return mode('*') === 'blocked';
}

export interface PolicyIo {
  /** The names of the `.json` files in a folder ([] if none). */
  listJson(dir: string): string[];
  /** A file's text, or null. */
  read(file: string): string | null;
  /** A program's stdout when it exits 0, else ''. */
  run(argv: string[]): string;
}

/** Reads every policy this module knows on this platform. `root` prefixes Linux and macOS paths (tests). */
export function readPolicies(
  platform: HostPlatform,
  io: PolicyIo,
  options: { root: string; reg: string; programFiles?: string },
): PolicyFacts {
  const p = pathApi(platform);
  const at = (file: string) => (platform === 'win32' ? file : p.join(options.root, file));
  const parse = (text: string | null): unknown => {
    try {
      return text === null ? null : JSON.parse(text);
    } catch {
      return null;
    }
  };
  const chromium: PolicyFacts['chromium'] = {};
  for (const browser of POLICY_BROWSERS) {
    let policy: ChromiumPolicy | null = null;
    if (platform === 'linux') {
      const dir = at(LINUX_POLICY_DIRS[browser]);
      const objects = io
        .listJson(dir)
        .sort()
        .map((name) => parse(io.read(p.join(dir, name))));
      policy = chromiumPolicy(dir, objects);
    } else if (platform === 'darwin') {
      const plist = at(MAC_POLICY_PLISTS[browser]);
      policy = chromiumPolicy(plist, [parse(io.run(plistAsJson(plist)) || null)]);
    } else {
      const key = WINDOWS_POLICY_KEYS[browser];
      const q = regPolicyQueries(options.reg, key);
      const userLevel = io.run(q.userLevel);
      const allowlist = parseRegList(io.run(q.allow));
      const blocklist = parseRegList(io.run(q.block));
      const blocksUsers = policyBlocksUserHosts(userLevel);
      if (blocksUsers || allowlist.length > 0 || blocklist.length > 0)
        policy = { source: key, userLevelHosts: blocksUsers ? false : null, allowlist, blocklist };
    }
    if (policy !== null) chromium[browser] = policy;
  }
  const firefoxBlockedBy =
    firefoxPolicyFiles(platform, options.programFiles)
      .map(at)
      .find((file) => firefoxBlocksAddon(parse(io.read(file)))) ?? null;
  return { chromium, firefoxBlockedBy };
}

/** What `doctor` knows of one browser's registrations. */
export interface RegistrationSummary {
  browser: BrowserId;
  browserPresent: boolean;
  /** The per-user manifest found, or null. */
  userManifest: string | null;
  /** The machine-wide manifest found, or null. */
  systemManifest: string | null;
}

/** One sentence and an action for each policy that stops a registration found (or a browser in use). */
export function policyProblems(
  policies: PolicyFacts,
  registrations: readonly RegistrationSummary[],
): string[] {
  const problems: string[] = [];
  for (const r of registrations) {
    const name = BROWSER_NAMES[r.browser];
    if (r.browser === 'firefox') {
      if (policies.firefoxBlockedBy !== null && (r.browserPresent || r.userManifest || r.systemManifest))
        problems.push(
          `A Firefox policy (ExtensionSettings in ${policies.firefoxBlockedBy}) blocks the RDP now add-on ${FIREFOX_EXTENSION_ID}: ask your administrator to allow it (docs/enterprise.md).`,
        );
      continue;
    }
    const policy = policies.chromium[r.browser as PolicyBrowserId];
    if (policy === undefined) continue;
    const registered = r.userManifest !== null || r.systemManifest !== null;
    if (!registered && !r.browserPresent) continue;
    const listed = policy.blocklist.includes(HOST_NAME);
    const all = policy.blocklist.includes('*') && !policy.allowlist.includes(HOST_NAME);
    if (listed || all) {
      problems.push(
        `A ${name} policy (NativeMessagingBlocklist in ${policy.source}) blocks ${listed ? HOST_NAME : 'every native host'}: ask your administrator to add ${HOST_NAME} to NativeMessagingAllowlist${listed ? ' and remove it from NativeMessagingBlocklist' : ''}.`,
      );
      continue;
    }
    if (policy.userLevelHosts === false && r.systemManifest === null) {
      problems.push(
        r.userManifest !== null
          ? `A ${name} policy (NativeMessagingUserLevelHosts=false in ${policy.source}) ignores the per-user registration ${r.userManifest}: ask your administrator to run "rdp-now install --system" or to allow per-user hosts.`
          : `A ${name} policy (NativeMessagingUserLevelHosts=false in ${policy.source}) allows only hosts installed for all users: ask your administrator to run "rdp-now install --system".`,
      );
    }
  }
  return problems;
}
