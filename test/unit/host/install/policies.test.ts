import { describe, expect, it } from 'vitest';
import {
  type ChromiumPolicy,
  chromiumPolicy,
  firefoxBlocksAddon,
  NO_POLICIES,
  type PolicyFacts,
  type PolicyIo,
  parseRegList,
  plistAsJson,
  policyProblems,
  type RegistrationSummary,
  readPolicies,
  regPolicyQueries,
} from '../../../../host/install/policies';

const USER_CHROME = '/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json';
const SYSTEM_CHROME = '/etc/opt/chrome/native-messaging-hosts/com.rdpnow.host.json';
const SOURCE = '/etc/opt/chrome/policies/managed';

const chrome = (over: Partial<RegistrationSummary> = {}): RegistrationSummary => ({
  browser: 'chrome',
  browserPresent: true,
  userManifest: USER_CHROME,
  systemManifest: null,
  ...over,
});

const withChrome = (over: Partial<ChromiumPolicy>): PolicyFacts => ({
  chromium: { chrome: { source: SOURCE, userLevelHosts: null, allowlist: [], blocklist: [], ...over } },
  firefoxBlockedBy: null,
});

describe('policyProblems', () => {
  it.each([
    ['no policy', NO_POLICIES, chrome(), null],
    ['user-level hosts allowed', withChrome({ userLevelHosts: true }), chrome(), null],
    [
      'user-level hosts off, per-user registration',
      withChrome({ userLevelHosts: false }),
      chrome(),
      `A Google Chrome policy (NativeMessagingUserLevelHosts=false in ${SOURCE}) ignores the per-user registration ${USER_CHROME}: ask your administrator to run "rdp-now install --system" or to allow per-user hosts.`,
    ],
    [
      'user-level hosts off, machine-wide registration',
      withChrome({ userLevelHosts: false }),
      chrome({ systemManifest: SYSTEM_CHROME }),
      null,
    ],
    [
      'user-level hosts off, nothing registered, Chrome in use',
      withChrome({ userLevelHosts: false }),
      chrome({ userManifest: null }),
      /allows only hosts installed for all users: ask your administrator to run "rdp-now install --system"\.$/,
    ],
    [
      'blocklist names the host',
      withChrome({ blocklist: ['com.rdpnow.host'] }),
      chrome({ systemManifest: SYSTEM_CHROME }),
      `A Google Chrome policy (NativeMessagingBlocklist in ${SOURCE}) blocks com.rdpnow.host: ask your administrator to add com.rdpnow.host to NativeMessagingAllowlist and remove it from NativeMessagingBlocklist.`,
    ],
    [
      'blocklist * without the host allowed',
      withChrome({ blocklist: ['*'], allowlist: ['com.other.host'] }),
      chrome(),
      /blocks every native host: ask your administrator to add com\.rdpnow\.host to NativeMessagingAllowlist\.$/,
    ],
    [
      'blocklist * with the host allowed',
      withChrome({ blocklist: ['*'], allowlist: ['com.rdpnow.host'] }),
      chrome(),
      null,
    ],
    [
      'a policy for a browser neither installed nor registered',
      withChrome({ blocklist: ['*'] }),
      chrome({ browserPresent: false, userManifest: null }),
      null,
    ],
  ] as const)('%s', (_, policies, registration, expected) => {
    const problems = policyProblems(policies, [registration]);
    if (expected === null) expect(problems).toEqual([]);
    else {
      expect(problems).toHaveLength(1);
      if (typeof expected === 'string') expect(problems[0]).toBe(expected);
      else expect(problems[0]).toMatch(expected);
    }
  });

  it('Firefox: ExtensionSettings blocking the add-on', () => {
    const policies = { ...NO_POLICIES, firefoxBlockedBy: '/etc/firefox/policies/policies.json' };
    const firefox = {
      browser: 'firefox',
      browserPresent: true,
      userManifest: null,
      systemManifest: null,
    } as const;
    expect(policyProblems(policies, [firefox])).toEqual([
      'A Firefox policy (ExtensionSettings in /etc/firefox/policies/policies.json) blocks the RDP now add-on rdp-now@rdpnow.dev: ask your administrator to allow it (docs/enterprise.md).',
    ]);
  });
});

describe('reading policies', () => {
  it('folds several managed files; the pre-86 names count too', () => {
    expect(
      chromiumPolicy('d', [
        { NativeMessagingUserLevelHosts: false, HomepageLocation: 'x' },
        { NativeMessagingBlacklist: ['*'] },
        { NativeMessagingAllowlist: ['com.rdpnow.host', 7] },
        null,
      ]),
    ).toEqual({ source: 'd', userLevelHosts: false, allowlist: ['com.rdpnow.host'], blocklist: ['*'] });
    expect(chromiumPolicy('d', [{ HomepageLocation: 'x' }])).toBeNull();
  });

  it.each([
    [{ policies: { ExtensionSettings: { 'rdp-now@rdpnow.dev': { installation_mode: 'blocked' } } } }, true],
    [{ policies: { ExtensionSettings: { '*': { installation_mode: 'blocked' } } } }, true],
    [
      {
        policies: {
          ExtensionSettings: {
            '*': { installation_mode: 'blocked' },
            'rdp-now@rdpnow.dev': { installation_mode: 'force_installed' },
          },
        },
      },
      false,
    ],
    [{ policies: { DisableTelemetry: true } }, false],
    [null, false],
  ])('Firefox ExtensionSettings %j blocks the add-on: %s', (policies, blocked) => {
    expect(firefoxBlocksAddon(policies)).toBe(blocked);
  });

  it('Windows: reg.exe plans and list values', () => {
    const key = 'HKLM\\SOFTWARE\\Policies\\Google\\Chrome';
    expect(regPolicyQueries('C:\\Windows\\System32\\reg.exe', key)).toEqual({
      userLevel: ['C:\\Windows\\System32\\reg.exe', 'query', key, '/v', 'NativeMessagingUserLevelHosts'],
      allow: ['C:\\Windows\\System32\\reg.exe', 'query', `${key}\\NativeMessagingAllowlist`],
      block: ['C:\\Windows\\System32\\reg.exe', 'query', `${key}\\NativeMessagingBlocklist`],
    });
    expect(
      parseRegList(
        `\r\n${key}\\NativeMessagingBlocklist\r\n    1    REG_SZ    *\r\n    2    REG_SZ    com.evil.host\r\n\r\n`,
      ),
    ).toEqual(['*', 'com.evil.host']);
    expect(parseRegList('')).toEqual([]);
  });

  it('macOS: the managed plist as JSON through plutil', () => {
    expect(plistAsJson('/Library/Managed Preferences/com.google.Chrome.plist')).toEqual([
      '/usr/bin/plutil',
      '-convert',
      'json',
      '-o',
      '-',
      '/Library/Managed Preferences/com.google.Chrome.plist',
    ]);
  });

  const fakeIo = (files: Record<string, string>, runs: Record<string, string> = {}): PolicyIo => ({
    listJson: (dir) =>
      Object.keys(files)
        .filter(
          (f) => f.startsWith(`${dir}/`) && f.endsWith('.json') && !f.slice(dir.length + 1).includes('/'),
        )
        .map((f) => f.slice(dir.length + 1)),
    read: (file) => files[file] ?? null,
    run: (argv) => runs[argv.join(' ')] ?? '',
  });

  it('Linux: each browser folder under the root, and the first Firefox policies.json that blocks', () => {
    const io = fakeIo({
      '/r/etc/opt/edge/policies/managed/b.json': '{"NativeMessagingUserLevelHosts": false}',
      '/r/etc/opt/edge/policies/managed/a.json': 'not json',
      '/r/etc/chromium/policies/managed/x.json': '{"NativeMessagingBlocklist": ["*"]}',
      '/r/usr/lib/firefox-esr/distribution/policies.json':
        '{"policies": {"ExtensionSettings": {"*": {"installation_mode": "blocked"}}}}',
    });
    expect(readPolicies('linux', io, { root: '/r', reg: '' })).toEqual({
      chromium: {
        chromium: {
          source: '/r/etc/chromium/policies/managed',
          userLevelHosts: null,
          allowlist: [],
          blocklist: ['*'],
        },
        edge: {
          source: '/r/etc/opt/edge/policies/managed',
          userLevelHosts: false,
          allowlist: [],
          blocklist: [],
        },
      },
      firefoxBlockedBy: '/r/usr/lib/firefox-esr/distribution/policies.json',
    });
  });

  it('Windows: HKLM through reg.exe', () => {
    const reg = 'C:\\Windows\\System32\\reg.exe';
    const key = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge';
    const io = fakeIo(
      {},
      {
        [`${reg} query ${key} /v NativeMessagingUserLevelHosts`]: `\r\n${key}\r\n    NativeMessagingUserLevelHosts    REG_DWORD    0x0\r\n`,
      },
    );
    expect(readPolicies('win32', io, { root: '/', reg }).chromium).toEqual({
      edge: { source: key, userLevelHosts: false, allowlist: [], blocklist: [] },
    });
  });
});
