import { describe, expect, it } from 'vitest';
import {
  BROWSERS,
  browserUserDir,
  manifestDir,
  registryKey,
  USER_LEVEL_HOST_POLICY_KEYS,
} from '../../../../host/install/browsers';
import { regAdd, regDelete, regQueryDefault, regQueryPolicy } from '../../../../host/install/host-files';

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
