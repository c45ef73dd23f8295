import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BROWSERS,
  type BrowserId,
  browserUserDir,
  manifestDir,
  registryKey,
  USER_LEVEL_HOST_POLICY_KEYS,
} from '../../../../host/install/browsers';
import { type DoctorFacts, diagnose, type Finding, type Registration } from '../../../../host/install/doctor';
import {
  chromiumManifest,
  firefoxManifest,
  isExtensionId,
  manifestText,
  nodePathInWrapper,
  parseRegDefault,
  policyBlocksUserHosts,
  regAdd,
  regDelete,
  regQueryDefault,
  regQueryPolicy,
  wrapperFileName,
  wrapperText,
} from '../../../../host/install/host-files';
import {
  type Action,
  describeAction,
  type InstallContext,
  installLayout,
  manifestPath,
  planInstall,
  planUninstall,
} from '../../../../host/install/plan';
import type { ClientInfo } from '../../../../shared/protocol';
import { tempDir } from '../../../support/temp';

const ID = 'gpgidagdndlidklfiinoafehceojjlha';
const OTHER_ID = 'abcdefghijklmnopabcdefghijklmnop';

// ---------------------------------------------------------------------------------------------------------------
// Where each browser looks

describe('manifest folders on Linux', () => {
  const home = '/home/ann';

  it.each([
    ['chrome', '/home/ann/.config/google-chrome/NativeMessagingHosts'],
    ['chromium', '/home/ann/.config/chromium/NativeMessagingHosts'],
    ['edge', '/home/ann/.config/microsoft-edge/NativeMessagingHosts'],
    ['brave', '/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts'],
    ['vivaldi', '/home/ann/.config/vivaldi/NativeMessagingHosts'],
    ['firefox', '/home/ann/.mozilla/native-messaging-hosts'],
  ] as const)('%s: %s', (browser, dir) => {
    expect(manifestDir(browser, 'linux', home, {})).toBe(dir);
  });

  it.each([
    ['chrome', '/xdg/cfg/google-chrome/NativeMessagingHosts'],
    ['chromium', '/xdg/cfg/chromium/NativeMessagingHosts'],
    ['edge', '/xdg/cfg/microsoft-edge/NativeMessagingHosts'],
    ['brave', '/xdg/cfg/BraveSoftware/Brave-Browser/NativeMessagingHosts'],
    ['vivaldi', '/xdg/cfg/vivaldi/NativeMessagingHosts'],
    ['firefox', '/home/ann/.mozilla/native-messaging-hosts'],
  ] as const)('with XDG_CONFIG_HOME=/xdg/cfg, %s: %s', (browser, dir) => {
    expect(manifestDir(browser, 'linux', home, { XDG_CONFIG_HOME: '/xdg/cfg' })).toBe(dir);
  });

  it('a relative XDG_CONFIG_HOME is ignored (XDG spec)', () => {
    expect(manifestDir('chrome', 'linux', home, { XDG_CONFIG_HOME: 'cfg' })).toBe(
      '/home/ann/.config/google-chrome/NativeMessagingHosts',
    );
  });

  it('the browser folders whose existence means "installed"', () => {
    expect(browserUserDir('chrome', 'linux', home, {})).toBe('/home/ann/.config/google-chrome');
    expect(browserUserDir('firefox', 'linux', home, { XDG_CONFIG_HOME: '/xdg' })).toBe('/home/ann/.mozilla');
  });
});

describe('manifest folders on macOS', () => {
  const home = '/Users/ann';
  const support = '/Users/ann/Library/Application Support';

  it.each([
    ['chrome', `${support}/Google/Chrome/NativeMessagingHosts`],
    ['chromium', `${support}/Chromium/NativeMessagingHosts`],
    ['edge', `${support}/Microsoft Edge/NativeMessagingHosts`],
    ['brave', `${support}/BraveSoftware/Brave-Browser/NativeMessagingHosts`],
    ['vivaldi', `${support}/Vivaldi/NativeMessagingHosts`],
    ['firefox', `${support}/Mozilla/NativeMessagingHosts`],
  ] as const)('%s: %s', (browser, dir) => {
    expect(manifestDir(browser, 'darwin', home, {})).toBe(dir);
    // XDG means nothing on macOS.
    expect(manifestDir(browser, 'darwin', home, { XDG_CONFIG_HOME: '/xdg/cfg' })).toBe(dir);
  });
});

describe('registry keys on Windows', () => {
  it.each([
    ['chrome', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.rdpnow.host'],
    ['chromium', 'HKCU\\Software\\Chromium\\NativeMessagingHosts\\com.rdpnow.host'],
    ['edge', 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.rdpnow.host'],
    ['brave', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.rdpnow.host'],
    ['vivaldi', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.rdpnow.host'],
    ['firefox', 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\com.rdpnow.host'],
  ] as const)('%s: %s', (browser, key) => {
    expect(registryKey(browser)).toBe(key);
  });

  it('Brave and Vivaldi share Chrome’s key', () => {
    expect(registryKey('brave')).toBe(registryKey('chrome'));
    expect(registryKey('vivaldi')).toBe(registryKey('chrome'));
    expect(new Set(BROWSERS.map(registryKey)).size).toBe(4);
  });

  it('the browser folders on Windows follow LOCALAPPDATA and APPDATA', () => {
    const env = { LOCALAPPDATA: 'D:\\Local', APPDATA: 'D:\\Roaming' };
    expect(browserUserDir('chrome', 'win32', 'C:\\Users\\ann', env)).toBe(
      'D:\\Local\\Google\\Chrome\\User Data',
    );
    expect(browserUserDir('edge', 'win32', 'C:\\Users\\ann', env)).toBe(
      'D:\\Local\\Microsoft\\Edge\\User Data',
    );
    expect(browserUserDir('firefox', 'win32', 'C:\\Users\\ann', env)).toBe('D:\\Roaming\\Mozilla\\Firefox');
    expect(browserUserDir('brave', 'win32', 'C:\\Users\\ann', {})).toBe(
      'C:\\Users\\ann\\AppData\\Local\\BraveSoftware\\Brave-Browser\\User Data',
    );
  });

  it('reg.exe command lines', () => {
    const reg = 'C:\\Windows\\System32\\reg.exe';
    const key = registryKey('chrome');
    expect(regAdd(reg, key, 'C:\\x\\m.json')).toEqual([
      reg,
      'add',
      key,
      '/ve',
      '/t',
      'REG_SZ',
      '/d',
      'C:\\x\\m.json',
      '/f',
    ]);
    expect(regDelete(reg, key)).toEqual([reg, 'delete', key, '/f']);
    expect(regQueryDefault(reg, key)).toEqual([reg, 'query', key, '/ve']);
    expect(regQueryPolicy(reg, 'HKLM\\SOFTWARE\\Policies\\Google\\Chrome')).toEqual([
      reg,
      'query',
      'HKLM\\SOFTWARE\\Policies\\Google\\Chrome',
      '/v',
      'NativeMessagingUserLevelHosts',
    ]);
    expect(USER_LEVEL_HOST_POLICY_KEYS.map(([, k]) => k)).toEqual([
      'HKLM\\SOFTWARE\\Policies\\Google\\Chrome',
      'HKLM\\SOFTWARE\\Policies\\Chromium',
      'HKLM\\SOFTWARE\\Policies\\Microsoft\\Edge',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Manifests

describe('host manifests', () => {
  it('Chromium family: allowed_origins with the trailing slash, one per id', () => {
    expect(chromiumManifest('/home/ann/.local/share/rdp-now/rdp-now-host', [ID, OTHER_ID])).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: '/home/ann/.local/share/rdp-now/rdp-now-host',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ID}/`, `chrome-extension://${OTHER_ID}/`],
    });
  });

  it('Firefox: allowed_extensions with the add-on id, no allowed_origins', () => {
    const manifest = firefoxManifest('/home/ann/.local/share/rdp-now/rdp-now-host');
    expect(manifest).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: '/home/ann/.local/share/rdp-now/rdp-now-host',
      type: 'stdio',
      allowed_extensions: ['rdp-now@rdpnow.dev'],
    });
    expect(manifest).not.toHaveProperty('allowed_origins');
  });

  it('is written as JSON without a BOM, ending in a newline', () => {
    const text = manifestText(chromiumManifest('C:\\rdp-now\\rdp-now-host.cmd', [ID]));
    expect(text.charCodeAt(0)).toBe(0x7b);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: 'C:\\rdp-now\\rdp-now-host.cmd',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ID}/`],
    });
  });

  it('extension ids are 32 letters a–p', () => {
    expect(isExtensionId(ID)).toBe(true);
    expect(isExtensionId('abcdefghijklmnopabcdefghijklmnoq')).toBe(false);
    expect(isExtensionId(ID.slice(1))).toBe(false);
    expect(isExtensionId(ID.toUpperCase())).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The wrapper

describe('wrapper scripts', () => {
  it('file names', () => {
    expect(wrapperFileName('linux')).toBe('rdp-now-host');
    expect(wrapperFileName('darwin')).toBe('rdp-now-host');
    expect(wrapperFileName('win32')).toBe('rdp-now-host.cmd');
  });

  it('POSIX: absolute Node, quoted paths, "$@"', () => {
    expect(
      wrapperText('linux', '/usr/local/bin/node', '/home/ann/.local/share/rdp-now/host/rdp-now.mjs'),
    ).toBe(
      "#!/bin/sh\nexec '/usr/local/bin/node' '/home/ann/.local/share/rdp-now/host/rdp-now.mjs' native-host \"$@\"\n",
    );
  });

  it('POSIX: spaces and single quotes are shell-quoted', () => {
    expect(
      wrapperText(
        'darwin',
        "/Users/o'brien/.nvm/versions/node/v22 LTS/bin/node",
        "/Users/o'brien/Library/Application Support/rdp-now/host/rdp-now.mjs",
      ),
    ).toBe(
      "#!/bin/sh\nexec '/Users/o'\\''brien/.nvm/versions/node/v22 LTS/bin/node' " +
        "'/Users/o'\\''brien/Library/Application Support/rdp-now/host/rdp-now.mjs' native-host \"$@\"\n",
    );
  });

  it('Windows: a % in a path (allowed in user names) is doubled, and read back single', () => {
    const text = wrapperText('win32', 'C:\\Users\\a%b\\node.exe', 'C:\\Users\\a%b\\host\\rdp-now.mjs');
    expect(text).toBe(
      '@echo off\r\n"C:\\Users\\a%%b\\node.exe" "C:\\Users\\a%%b\\host\\rdp-now.mjs" native-host %*\r\n',
    );
    expect(nodePathInWrapper(text)).toBe('C:\\Users\\a%b\\node.exe');
  });

  it('Windows: @echo off, CRLF, quoted paths, %*', () => {
    const text = wrapperText(
      'win32',
      'C:\\Program Files\\nodejs\\node.exe',
      'C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\host\\rdp-now.mjs',
    );
    expect(text).toBe(
      '@echo off\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\host\\rdp-now.mjs" native-host %*\r\n',
    );
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  describe('runs under /bin/sh', () => {
    const dir = tempDir("it's a wrapper ");

    it.skipIf(process.platform === 'win32')(
      'passes the entry, native-host and every argument through',
      () => {
        // A stand-in for Node at a path with a space and a quote: prints its arguments one a line.
        const fakeNode = path.join(dir, "no'de bin");
        writeFileSync(fakeNode, '#!/bin/sh\nprintf \'%s\\n\' "$@"\n');
        chmodSync(fakeNode, 0o755);
        const entry = path.join(dir, "host dir/it's rdp-now.mjs");
        const wrapper = path.join(dir, 'rdp-now-host');
        writeFileSync(wrapper, wrapperText('linux', fakeNode, entry));
        chmodSync(wrapper, 0o755);
        const result = spawnSync(wrapper, ['chrome-extension://x/', 'a b', '$HOME', "'"], {
          encoding: 'utf8',
        });
        expect(result.status).toBe(0);
        expect(result.stdout.split('\n')).toEqual([
          entry,
          'native-host',
          'chrome-extension://x/',
          'a b',
          '$HOME',
          "'",
          '',
        ]);
      },
    );
  });

  it.each([
    '/usr/bin/node',
    '/Users/ann/.nvm/versions/node/v22.1.0/bin/node',
    "/home/o'brien/my node/bin/node",
    "/x/'",
    "'",
    "/a/'\\''/b",
  ])('nodePathInWrapper reads back the POSIX wrapper: %s', (node) => {
    expect(nodePathInWrapper(wrapperText('linux', node, '/opt/rdp-now/host/rdp-now.mjs'))).toBe(node);
  });

  it.each([
    'C:\\Program Files\\nodejs\\node.exe',
    'C:\\Users\\ann\\AppData\\Roaming\\nvm\\v22.1.0\\node.exe',
    "C:\\Users\\o'brien\\node.exe",
  ])('nodePathInWrapper reads back the Windows wrapper: %s', (node) => {
    expect(nodePathInWrapper(wrapperText('win32', node, 'C:\\rdp-now\\host\\rdp-now.mjs'))).toBe(node);
  });

  it('nodePathInWrapper round-trips any POSIX path', () => {
    const pathChars = fc.string({
      unit: fc.constantFrom('/', 'a', ' ', "'", '\\', '"', '$', '`', 'é', '\t'),
      maxLength: 30,
    });
    fc.assert(
      fc.property(pathChars, pathChars, (node, entry) => {
        expect(nodePathInWrapper(wrapperText('linux', node, entry))).toBe(node);
      }),
      { numRuns: 1000 },
    );
  });

  it('nodePathInWrapper round-trips any Windows path', () => {
    const pathChars = fc.string({
      unit: fc.constantFrom('C', ':', '\\', 'a', ' ', "'", '(', ')', 'é', '.'),
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(pathChars, pathChars, (node, entry) => {
        expect(nodePathInWrapper(wrapperText('win32', node, entry))).toBe(node);
      }),
      { numRuns: 1000 },
    );
  });

  it('nodePathInWrapper returns null for a script it did not write', () => {
    expect(nodePathInWrapper('#!/bin/sh\nexec node "$@"\n')).toBeNull();
    expect(nodePathInWrapper('')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// reg query output

describe('reading reg query output', () => {
  const chromeKey = 'HKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.rdpnow.host';

  it('the default value, a path with a space', () => {
    const out = `\r\n${chromeKey}\r\n    (Default)    REG_SZ    C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\com.rdpnow.host.chromium.json\r\n\r\n`;
    expect(parseRegDefault(out)).toBe(
      'C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\com.rdpnow.host.chromium.json',
    );
  });

  it('a localized "(Default)" and LF line ends', () => {
    const out = `\n${chromeKey}\n    (Standard)    REG_SZ    C:\\Users\\ann\\rdp-now\\m.json\n`;
    expect(parseRegDefault(out)).toBe('C:\\Users\\ann\\rdp-now\\m.json');
  });

  it('REG_EXPAND_SZ', () => {
    const out = `\r\n${chromeKey}\r\n    (Default)    REG_EXPAND_SZ    D:\\rdp-now\\m.json\r\n`;
    expect(parseRegDefault(out)).toBe('D:\\rdp-now\\m.json');
  });

  it('a key without a default value', () => {
    expect(
      parseRegDefault(`\r\n${chromeKey}\r\n    (Default)    REG_SZ    (value not set)\r\n\r\n`),
    ).toBeNull();
  });

  it('nothing (reg failed: key missing)', () => {
    expect(parseRegDefault('')).toBeNull();
    expect(parseRegDefault(`\r\n${chromeKey}\r\n\r\n`)).toBeNull();
  });

  const policy = (value: string) =>
    `\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\r\n    NativeMessagingUserLevelHosts    REG_DWORD    ${value}\r\n\r\n`;

  it('the policy set to 0 blocks per-user hosts', () => {
    expect(policyBlocksUserHosts(policy('0x0'))).toBe(true);
    expect(policyBlocksUserHosts(policy('0x0').replaceAll('\r\n', '\n'))).toBe(true);
  });

  it('the policy set to 1, or absent, does not', () => {
    expect(policyBlocksUserHosts(policy('0x1'))).toBe(false);
    expect(policyBlocksUserHosts(policy('0x10'))).toBe(false);
    expect(policyBlocksUserHosts('')).toBe(false);
    expect(
      policyBlocksUserHosts(
        '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\r\n    NativeMessagingAllowlist    REG_DWORD    0x0\r\n',
      ),
    ).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Install and uninstall plans

const LINUX: InstallContext = {
  platform: 'linux',
  home: '/home/ann',
  env: {},
  nodePath: '/usr/bin/node',
  bundleDir: '/src/rdp-now/dist/host',
  systemRoot: 'C:\\Windows',
};

const MAC: InstallContext = {
  platform: 'darwin',
  home: '/Users/ann',
  env: {},
  nodePath: '/opt/homebrew/bin/node',
  bundleDir: '/src/rdp-now/dist/host',
  systemRoot: 'C:\\Windows',
};

const WIN: InstallContext = {
  platform: 'win32',
  home: 'C:\\Users\\ann',
  env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local', APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' },
  nodePath: 'C:\\Program Files\\nodejs\\node.exe',
  bundleDir: 'C:\\src\\rdp-now\\dist\\host',
  systemRoot: 'C:\\Windows',
};

const REG = 'C:\\Windows\\System32\\reg.exe';
const WIN_DIR = 'C:\\Users\\ann\\AppData\\Local\\rdp-now';
const CHROME_KEY = 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.rdpnow.host';
const CHROMIUM_KEY = 'HKCU\\Software\\Chromium\\NativeMessagingHosts\\com.rdpnow.host';
const EDGE_KEY = 'HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.rdpnow.host';
const FIREFOX_KEY = 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\com.rdpnow.host';

function writes(actions: Action[]): Array<{ path: string; mode: number }> {
  return actions.flatMap((a) => (a.kind === 'write' ? [{ path: a.path, mode: a.mode }] : []));
}

function contentOf(actions: Action[], file: string): string {
  const action = actions.find((a) => a.kind === 'write' && a.path === file);
  if (action?.kind !== 'write') throw new Error(`no write to ${file}`);
  return action.content;
}

describe('install layout', () => {
  it.each([
    [LINUX, '/home/ann/.local/share/rdp-now', '/home/ann/.local/share/rdp-now/rdp-now-host'],
    [
      MAC,
      '/Users/ann/Library/Application Support/rdp-now',
      '/Users/ann/Library/Application Support/rdp-now/rdp-now-host',
    ],
    [WIN, WIN_DIR, `${WIN_DIR}\\rdp-now-host.cmd`],
  ])('%#: the stable per-user folder and the wrapper', (ctx, installDir, wrapper) => {
    const layout = installLayout(ctx);
    expect(layout.installDir).toBe(installDir);
    expect(layout.wrapper).toBe(wrapper);
    expect(layout.hostEntry).toBe(
      ctx.platform === 'win32' ? `${installDir}\\host\\rdp-now.mjs` : `${installDir}/host/rdp-now.mjs`,
    );
  });

  it('Linux follows an absolute XDG_DATA_HOME', () => {
    expect(installLayout({ ...LINUX, env: { XDG_DATA_HOME: '/data' } }).installDir).toBe('/data/rdp-now');
  });

  it('Windows manifests live beside the host, one per family', () => {
    expect(manifestPath(WIN, 'chrome')).toBe(`${WIN_DIR}\\com.rdpnow.host.chromium.json`);
    expect(manifestPath(WIN, 'edge')).toBe(`${WIN_DIR}\\com.rdpnow.host.chromium.json`);
    expect(manifestPath(WIN, 'firefox')).toBe(`${WIN_DIR}\\com.rdpnow.host.firefox.json`);
  });
});

describe('planInstall', () => {
  it('Linux: copy, record, wrapper, one manifest per browser', () => {
    const actions = planInstall(LINUX, { browsers: ['chrome', 'firefox'], extensionIds: [ID] }, '1.2.3');
    const wrapper = '/home/ann/.local/share/rdp-now/rdp-now-host';
    expect(actions).toEqual([
      { kind: 'copy-host', from: '/src/rdp-now/dist/host', to: '/home/ann/.local/share/rdp-now/host' },
      {
        kind: 'write',
        path: '/home/ann/.local/share/rdp-now/host/install.json',
        content: expect.any(String),
        mode: 0o644,
      },
      {
        kind: 'write',
        path: wrapper,
        content:
          "#!/bin/sh\nexec '/usr/bin/node' '/home/ann/.local/share/rdp-now/host/rdp-now.mjs' native-host \"$@\"\n",
        mode: 0o755,
      },
      {
        kind: 'write',
        path: '/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json',
        content: expect.any(String),
        mode: 0o644,
      },
      {
        kind: 'write',
        path: '/home/ann/.mozilla/native-messaging-hosts/com.rdpnow.host.json',
        content: expect.any(String),
        mode: 0o644,
      },
    ]);
    expect(JSON.parse(contentOf(actions, '/home/ann/.local/share/rdp-now/host/install.json'))).toEqual({
      version: '1.2.3',
      node: '/usr/bin/node',
      extensionIds: [ID],
    });
    expect(
      JSON.parse(
        contentOf(actions, '/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json'),
      ),
    ).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: wrapper,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ID}/`],
    });
    expect(
      JSON.parse(contentOf(actions, '/home/ann/.mozilla/native-messaging-hosts/com.rdpnow.host.json')),
    ).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: wrapper,
      type: 'stdio',
      allowed_extensions: ['rdp-now@rdpnow.dev'],
    });
  });

  it('Linux: every browser gets its own folder, and nothing is run', () => {
    const actions = planInstall(LINUX, { browsers: BROWSERS, extensionIds: [ID, OTHER_ID] }, '1.2.3');
    expect(writes(actions).map((w) => w.path)).toEqual([
      '/home/ann/.local/share/rdp-now/host/install.json',
      '/home/ann/.local/share/rdp-now/rdp-now-host',
      '/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json',
      '/home/ann/.config/chromium/NativeMessagingHosts/com.rdpnow.host.json',
      '/home/ann/.config/microsoft-edge/NativeMessagingHosts/com.rdpnow.host.json',
      '/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/com.rdpnow.host.json',
      '/home/ann/.config/vivaldi/NativeMessagingHosts/com.rdpnow.host.json',
      '/home/ann/.mozilla/native-messaging-hosts/com.rdpnow.host.json',
    ]);
    expect(actions.filter((a) => a.kind === 'run')).toEqual([]);
    const brave = contentOf(
      actions,
      '/home/ann/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/com.rdpnow.host.json',
    );
    expect(JSON.parse(brave).allowed_origins).toEqual([
      `chrome-extension://${ID}/`,
      `chrome-extension://${OTHER_ID}/`,
    ]);
  });

  it('macOS: the Application Support folders; the wrapper path has a space', () => {
    const actions = planInstall(MAC, { browsers: ['edge', 'firefox'], extensionIds: [ID] }, '1.2.3');
    const base = '/Users/ann/Library/Application Support';
    expect(actions[0]).toEqual({
      kind: 'copy-host',
      from: '/src/rdp-now/dist/host',
      to: `${base}/rdp-now/host`,
    });
    expect(writes(actions)).toEqual([
      { path: `${base}/rdp-now/host/install.json`, mode: 0o644 },
      { path: `${base}/rdp-now/rdp-now-host`, mode: 0o755 },
      { path: `${base}/Microsoft Edge/NativeMessagingHosts/com.rdpnow.host.json`, mode: 0o644 },
      { path: `${base}/Mozilla/NativeMessagingHosts/com.rdpnow.host.json`, mode: 0o644 },
    ]);
    expect(contentOf(actions, `${base}/rdp-now/rdp-now-host`)).toBe(
      "#!/bin/sh\nexec '/opt/homebrew/bin/node' '/Users/ann/Library/Application Support/rdp-now/host/rdp-now.mjs' native-host \"$@\"\n",
    );
    expect(
      JSON.parse(contentOf(actions, `${base}/Mozilla/NativeMessagingHosts/com.rdpnow.host.json`)).path,
    ).toBe(`${base}/rdp-now/rdp-now-host`);
    expect(actions.filter((a) => a.kind === 'run')).toEqual([]);
  });

  it('Windows: two manifests beside the host, reg add once per key (Brave/Vivaldi share Chrome’s)', () => {
    const actions = planInstall(WIN, { browsers: BROWSERS, extensionIds: [ID] }, '1.2.3');
    const chromium = `${WIN_DIR}\\com.rdpnow.host.chromium.json`;
    const firefox = `${WIN_DIR}\\com.rdpnow.host.firefox.json`;
    const add = (key: string, file: string) => ({
      kind: 'run',
      argv: [REG, 'add', key, '/ve', '/t', 'REG_SZ', '/d', file, '/f'],
    });
    expect(actions).toEqual([
      { kind: 'copy-host', from: 'C:\\src\\rdp-now\\dist\\host', to: `${WIN_DIR}\\host` },
      { kind: 'write', path: `${WIN_DIR}\\host\\install.json`, content: expect.any(String), mode: 0o644 },
      {
        kind: 'write',
        path: `${WIN_DIR}\\rdp-now-host.cmd`,
        content: `@echo off\r\n"C:\\Program Files\\nodejs\\node.exe" "${WIN_DIR}\\host\\rdp-now.mjs" native-host %*\r\n`,
        mode: 0o755,
      },
      { kind: 'write', path: chromium, content: expect.any(String), mode: 0o644 },
      add(CHROME_KEY, chromium),
      add(CHROMIUM_KEY, chromium),
      add(EDGE_KEY, chromium),
      { kind: 'write', path: firefox, content: expect.any(String), mode: 0o644 },
      add(FIREFOX_KEY, firefox),
    ]);
    expect(JSON.parse(contentOf(actions, chromium))).toMatchObject({
      path: `${WIN_DIR}\\rdp-now-host.cmd`,
      allowed_origins: [`chrome-extension://${ID}/`],
    });
    expect(JSON.parse(contentOf(actions, firefox))).toMatchObject({
      path: `${WIN_DIR}\\rdp-now-host.cmd`,
      allowed_extensions: ['rdp-now@rdpnow.dev'],
    });
  });

  it('Windows: Brave alone writes the Chromium manifest and Chrome’s key', () => {
    const actions = planInstall(WIN, { browsers: ['brave', 'vivaldi'], extensionIds: [ID] }, '1.2.3');
    expect(actions.filter((a) => a.kind === 'run')).toEqual([
      {
        kind: 'run',
        argv: [
          REG,
          'add',
          CHROME_KEY,
          '/ve',
          '/t',
          'REG_SZ',
          '/d',
          `${WIN_DIR}\\com.rdpnow.host.chromium.json`,
          '/f',
        ],
      },
    ]);
    expect(writes(actions).map((w) => w.path)).toEqual([
      `${WIN_DIR}\\host\\install.json`,
      `${WIN_DIR}\\rdp-now-host.cmd`,
      `${WIN_DIR}\\com.rdpnow.host.chromium.json`,
    ]);
  });

  it.each([LINUX, WIN])(
    '--target-dir: one Chromium manifest in that folder, no registrations (%#)',
    (ctx) => {
      const target =
        ctx.platform === 'win32'
          ? 'C:\\tmp\\profile\\NativeMessagingHosts'
          : '/tmp/profile/NativeMessagingHosts';
      const file =
        ctx.platform === 'win32' ? `${target}\\com.rdpnow.host.json` : `${target}/com.rdpnow.host.json`;
      const actions = planInstall(
        ctx,
        { browsers: ['chrome', 'firefox'], extensionIds: [ID], targetDir: target },
        '1',
      );
      expect(actions.map((a) => a.kind)).toEqual(['copy-host', 'write', 'write', 'write']);
      expect(actions.filter((a) => a.kind === 'run')).toEqual([]);
      expect(actions.at(-1)).toMatchObject({ kind: 'write', path: file, mode: 0o644 });
      expect(JSON.parse(contentOf(actions, file))).toEqual({
        name: 'com.rdpnow.host',
        description: 'RDP now companion host',
        path: installLayout(ctx).wrapper,
        type: 'stdio',
        allowed_origins: [`chrome-extension://${ID}/`],
      });
    },
  );
});

describe('planUninstall', () => {
  it('Linux, every browser: removes the manifests, the wrapper and the host', () => {
    const plan = planUninstall(LINUX, { browsers: BROWSERS, extensionIds: [ID] });
    expect(plan).toContainEqual({
      kind: 'remove',
      path: '/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json',
    });
    expect(plan).toContainEqual({
      kind: 'remove',
      path: '/home/ann/.mozilla/native-messaging-hosts/com.rdpnow.host.json',
    });
    expect(plan.slice(-2)).toEqual([
      { kind: 'remove', path: '/home/ann/.local/share/rdp-now/rdp-now-host' },
      { kind: 'remove', path: '/home/ann/.local/share/rdp-now/host' },
    ]);
  });

  it('Linux, some browsers: removes only their manifests; the others keep a working host', () => {
    expect(planUninstall(LINUX, { browsers: ['chrome', 'firefox'], extensionIds: [ID] })).toEqual([
      { kind: 'remove', path: '/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json' },
      { kind: 'remove', path: '/home/ann/.mozilla/native-messaging-hosts/com.rdpnow.host.json' },
    ]);
  });

  it('Windows: each manifest and each key once', () => {
    const del = (key: string) => ({ kind: 'run', argv: [REG, 'delete', key, '/f'] });
    expect(planUninstall(WIN, { browsers: BROWSERS, extensionIds: [ID] })).toEqual([
      { kind: 'remove', path: `${WIN_DIR}\\com.rdpnow.host.chromium.json` },
      del(CHROME_KEY),
      del(CHROMIUM_KEY),
      del(EDGE_KEY),
      { kind: 'remove', path: `${WIN_DIR}\\com.rdpnow.host.firefox.json` },
      del(FIREFOX_KEY),
      { kind: 'remove', path: `${WIN_DIR}\\rdp-now-host.cmd` },
      { kind: 'remove', path: `${WIN_DIR}\\host` },
    ]);
  });

  it('--target-dir: removes the manifest there, no registry commands', () => {
    expect(
      planUninstall(LINUX, {
        browsers: ['chrome'],
        extensionIds: [ID],
        targetDir: '/tmp/p/NativeMessagingHosts',
      }),
    ).toEqual([{ kind: 'remove', path: '/tmp/p/NativeMessagingHosts/com.rdpnow.host.json' }]);
    expect(
      planUninstall(WIN, { browsers: ['chrome'], extensionIds: [ID], targetDir: 'C:\\p' }).filter(
        (a) => a.kind === 'run',
      ),
    ).toEqual([]);
  });
});

describe('describeAction', () => {
  it('copy', () => {
    expect(describeAction({ kind: 'copy-host', from: '/a/dist/host', to: '/b/host' })).toBe(
      'copy /a/dist/host -> /b/host',
    );
  });

  it('write: the mode in octal and the content indented', () => {
    expect(
      describeAction({ kind: 'write', path: '/b/rdp-now-host', content: '#!/bin/sh\nexec x\n', mode: 0o755 }),
    ).toBe('write /b/rdp-now-host (mode 755):\n    #!/bin/sh\n    exec x');
    expect(
      describeAction({ kind: 'write', path: 'C:\\w.cmd', content: '@echo off\r\nx %*\r\n', mode: 0o644 }),
    ).toBe('write C:\\w.cmd (mode 644):\n    @echo off\n    x %*');
  });

  it('run: arguments with spaces or quotes are quoted', () => {
    expect(describeAction({ kind: 'run', argv: [REG, 'delete', CHROME_KEY, '/f'] })).toBe(
      `run ${REG} delete ${CHROME_KEY} /f`,
    );
    expect(describeAction({ kind: 'run', argv: ['/bin/x', 'a b', 'say "hi"', 'plain'] })).toBe(
      'run /bin/x "a b" "say \\"hi\\"" plain',
    );
  });

  it('run: backslashes in a quoted Windows path are shown as they are passed', () => {
    expect(describeAction({ kind: 'run', argv: [REG, 'add', 'K', '/d', 'C:\\Users\\Ann Lee\\m.json'] })).toBe(
      `run ${REG} add K /d "C:\\Users\\Ann Lee\\m.json"`,
    );
  });

  it('remove', () => {
    expect(describeAction({ kind: 'remove', path: '/b/host' })).toBe('remove /b/host');
  });

  it('a whole plan describes every action', () => {
    const plan = planInstall(WIN, { browsers: ['chrome'], extensionIds: [ID] }, '1.2.3');
    const lines = plan.map(describeAction);
    expect(lines[0]).toBe(`copy C:\\src\\rdp-now\\dist\\host -> ${WIN_DIR}\\host`);
    expect(lines.at(-1)).toBe(
      `run ${REG} add ${CHROME_KEY} /ve /t REG_SZ /d ${WIN_DIR}\\com.rdpnow.host.chromium.json /f`,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// doctor

const WRAPPER = '/home/ann/.local/share/rdp-now/rdp-now-host';

function registration(browser: BrowserId, over: Partial<Registration> = {}): Registration {
  const manifest =
    browser === 'firefox' ? { ...firefoxManifest(WRAPPER) } : { ...chromiumManifest(WRAPPER, [ID]) };
  return {
    browser,
    browserPresent: true,
    manifestPath: manifestPath(LINUX, browser),
    manifest: manifest as unknown as Record<string, unknown>,
    wrapperOk: true,
    wrapperNode: '/usr/bin/node',
    wrapperNodeExists: true,
    ...over,
  };
}

function missing(browser: BrowserId, browserPresent = false): Registration {
  return registration(browser, {
    browserPresent,
    manifest: 'missing',
    wrapperOk: false,
    wrapperNode: null,
    wrapperNodeExists: false,
  });
}

const CLIENTS: ClientInfo[] = [
  { id: 'remmina', name: 'Remmina', available: true },
  { id: 'sdl-freerdp3', name: 'FreeRDP 3 (SDL)', available: false },
  { id: 'xfreerdp3', name: 'FreeRDP 3 (X11) in a terminal', available: false },
  { id: 'xfreerdp', name: 'FreeRDP 2 (X11) in a terminal', available: false },
  { id: 'xdg-open', name: 'The desktop default for .rdp files', available: true },
  { id: 'custom', name: 'Custom client (RDPNOW_CLIENT)', available: false },
];

function facts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    platform: 'linux',
    version: '0.1.0',
    extensionIds: [ID],
    installedVersion: '0.1.0',
    registrations: [
      registration('chrome'),
      missing('chromium'),
      missing('edge'),
      missing('brave'),
      missing('vivaldi'),
      registration('firefox'),
    ],
    clients: CLIENTS,
    defaultClient: 'remmina',
    clientProblems: [],
    sandboxed: [],
    policyBlocked: [],
    ...over,
  };
}

/** Runs diagnose and checks that every finding is one sentence. */
function run(f: DoctorFacts): Finding[] {
  const findings = diagnose(f);
  for (const { text } of findings) {
    expect(text, text).toMatch(/\.$/);
    expect(text.slice(0, -1), text).not.toMatch(/[.!?]\s+[A-Z]/);
    expect(text, text).not.toContain('\n');
  }
  return findings;
}

function problems(findings: Finding[]): string[] {
  return findings.filter((f) => !f.ok).map((f) => f.text);
}

describe('diagnose', () => {
  it('all fine: every finding ok, each registration and the clients reported', () => {
    const findings = run(facts());
    expect(problems(findings)).toEqual([]);
    expect(findings.map((f) => f.text)).toEqual([
      'Google Chrome: registered (/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json).',
      'Firefox: registered (/home/ann/.mozilla/native-messaging-hosts/com.rdpnow.host.json).',
      'RDP clients: remmina, xdg-open (default: remmina).',
    ]);
  });

  it('nothing registered', () => {
    const findings = run(facts({ registrations: BROWSERS.map((b) => missing(b)), installedVersion: null }));
    const bad = problems(findings);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/not registered for any browser/);
    expect(bad[0]).toContain('rdp-now install');
  });

  it('nothing registered although browsers are installed: one finding per browser', () => {
    const findings = run(
      facts({ registrations: [missing('chrome', true), missing('edge', true), missing('firefox')] }),
    );
    const bad = problems(findings);
    expect(bad).toHaveLength(3);
    expect(bad[0]).toMatch(
      /^Google Chrome is installed but RDP now is not registered for it.*rdp-now install/,
    );
    expect(bad[1]).toMatch(/^Microsoft Edge is installed but RDP now is not registered/);
    expect(bad[2]).toMatch(/not registered for any browser/);
  });

  it('an installed but unregistered browser', () => {
    const bad = problems(
      run(
        facts({
          registrations: [registration('chrome'), missing('vivaldi', true), missing('firefox', true)],
        }),
      ),
    );
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/Vivaldi is installed but RDP now is not registered/);
    expect(bad[1]).toMatch(/Firefox is installed but RDP now is not registered/);
    expect(bad.join(' ')).not.toMatch(/any browser/);
  });

  it('a missing wrapper', () => {
    const bad = problems(
      run(facts({ registrations: [registration('chrome', { wrapperOk: false, wrapperNode: null })] })),
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain(WRAPPER);
    expect(bad[0]).toMatch(/missing or not executable/);
    expect(bad[0]).toContain('rdp-now install');
  });

  it('the Node path in the wrapper is gone', () => {
    const bad = problems(
      run(
        facts({
          registrations: [
            registration('chrome', {
              wrapperNode: '/home/ann/.nvm/versions/node/v18.0.0/bin/node',
              wrapperNodeExists: false,
            }),
          ],
        }),
      ),
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain('/home/ann/.nvm/versions/node/v18.0.0/bin/node');
    expect(bad[0]).toMatch(/no longer exists/);
    expect(bad[0]).toMatch(/Node/);
  });

  it('a stale installed version', () => {
    const bad = problems(run(facts({ installedVersion: '0.0.9' })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/version 0\.0\.9.*0\.1\.0/);
    expect(bad[0]).toContain('rdp-now install');
  });

  it('an unknown installed version (installed by hand) is not a problem', () => {
    expect(problems(run(facts({ installedVersion: null })))).toEqual([]);
  });

  it('a manifest that allows another extension id', () => {
    const manifest = chromiumManifest(WRAPPER, [OTHER_ID]) as unknown as Record<string, unknown>;
    const bad = problems(run(facts({ registrations: [registration('edge', { manifest })] })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/Microsoft Edge manifest does not allow the extension/);
    expect(bad[0]).toContain(`--extension-id ${ID}`);
  });

  it('an origin without the trailing slash does not count', () => {
    const manifest = { ...chromiumManifest(WRAPPER, []), allowed_origins: [`chrome-extension://${ID}`] };
    const bad = problems(run(facts({ registrations: [registration('chrome', { manifest })] })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain(ID);
  });

  it('several extension ids: every one must be allowed', () => {
    const manifest = chromiumManifest(WRAPPER, [ID]) as unknown as Record<string, unknown>;
    const bad = problems(
      run(facts({ extensionIds: [ID, OTHER_ID], registrations: [registration('chrome', { manifest })] })),
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain(OTHER_ID);
    expect(bad[0]).not.toContain(`extension ${ID}`);
  });

  it('Firefox without the add-on id', () => {
    const manifest = { ...firefoxManifest(WRAPPER), allowed_extensions: ['someone-else@example.com'] };
    const bad = problems(run(facts({ registrations: [registration('firefox', { manifest })] })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/Firefox manifest does not allow rdp-now@rdpnow\.dev/);
    expect(bad[0]).toContain('--browser firefox');
  });

  it('Firefox given a Chromium manifest (allowed_origins only)', () => {
    const manifest = chromiumManifest(WRAPPER, [ID]) as unknown as Record<string, unknown>;
    const bad = problems(run(facts({ registrations: [registration('firefox', { manifest })] })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain('rdp-now@rdpnow.dev');
  });

  it('a manifest that is not JSON, or not ours', () => {
    const bad = problems(
      run(
        facts({
          registrations: [
            registration('chrome', { manifest: 'unreadable' }),
            registration('chromium', { manifest: { name: 'org.other.host', type: 'stdio', path: '/x' } }),
          ],
        }),
      ),
    );
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/Google Chrome host manifest .* is not valid JSON/);
    expect(bad[1]).toMatch(/Chromium manifest .* is not an RDP now host manifest/);
  });

  it.each([
    ['Firefox', 'Snap'],
    ['Chromium', 'Flatpak'],
  ])('%s as a %s', (name, kind) => {
    const bad = problems(run(facts({ sandboxed: [{ name, kind }] })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(new RegExp(`^${name} is installed as a ${kind}`));
    expect(bad[0]).toMatch(/xdg-desktop-portal/);
  });

  it('a Windows policy blocking per-user hosts', () => {
    const bad = problems(
      run(
        facts({
          platform: 'win32',
          policyBlocked: ['Google Chrome', 'Microsoft Edge'],
          clients: [{ id: 'mstsc', name: 'Remote Desktop Connection (mstsc)', available: true }],
          defaultClient: 'mstsc',
        }),
      ),
    );
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/Google Chrome policy \(NativeMessagingUserLevelHosts\) blocks per-user hosts/);
    expect(bad[0]).toMatch(/administrator/);
    expect(bad[1]).toMatch(/Microsoft Edge policy/);
  });

  it.each([
    ['linux', /Remmina/],
    ['win32', /mstsc\.exe/],
    ['darwin', /Windows App/],
  ] as const)('no RDP client on %s', (platform, advice) => {
    const clients = CLIENTS.map((c) => ({ ...c, available: false }));
    const bad = problems(run(facts({ platform, clients, defaultClient: null })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(advice);
  });

  it('client problems (e.g. a bad RDPNOW_CLIENT) are passed on', () => {
    const bad = problems(
      run(facts({ clientProblems: ['The custom client "rdp" must be an absolute path.'] })),
    );
    expect(bad).toEqual(['The custom client "rdp" must be an absolute path.']);
  });
});
