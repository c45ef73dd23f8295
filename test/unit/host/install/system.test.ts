import { describe, expect, it } from 'vitest';
import type { Action } from '../../../../host/install/plan';
import {
  planSystemInstall,
  planSystemUninstall,
  SYSTEM_BROWSERS,
  type SystemContext,
  systemLayout,
  systemNodeProblem,
  systemRefusal,
  systemRegistryKey,
} from '../../../../host/install/system';
import { ID, LINUX, MAC, WIN } from '../../../support/install';

const system = (ctx: typeof LINUX, extra: Partial<SystemContext> = {}): SystemContext => ({
  platform: ctx.platform,
  env: ctx.env,
  nodePath: ctx.platform === 'win32' ? 'C:\\Program Files\\nodejs\\node.exe' : '/usr/bin/node',
  bundleDir: ctx.bundleDir,
  systemRoot: ctx.systemRoot,
  root: '/',
  ...extra,
});

const summary = (actions: Action[]) =>
  actions.map((a) =>
    a.kind === 'write'
      ? `write ${a.path} ${a.mode.toString(8)}`
      : a.kind === 'run'
        ? `run ${a.argv.slice(1).join(' ')}`
        : a.kind === 'remove'
          ? `remove ${a.path}`
          : `copy ${a.to}`,
  );

const all = { browsers: SYSTEM_BROWSERS, extensionIds: [ID] };

describe('planSystemInstall', () => {
  it('Linux: /opt/rdp-now, and the folders Chrome, Chromium, Edge and Firefox read for every user', () => {
    expect(summary(planSystemInstall(system(LINUX), all, '1.2.3'))).toEqual([
      'copy /opt/rdp-now/host',
      'write /opt/rdp-now/host/install.json 644',
      'write /opt/rdp-now/rdp-now-host 755',
      'write /etc/opt/chrome/native-messaging-hosts/com.rdpnow.host.json 644',
      'write /etc/chromium/native-messaging-hosts/com.rdpnow.host.json 644',
      'write /etc/opt/edge/native-messaging-hosts/com.rdpnow.host.json 644',
      'write /usr/lib/mozilla/native-messaging-hosts/com.rdpnow.host.json 644',
    ]);
  });

  it('macOS: /Library', () => {
    expect(summary(planSystemInstall(system(MAC), all, '1.2.3'))).toEqual([
      'copy /Library/Application Support/rdp-now/host',
      'write /Library/Application Support/rdp-now/host/install.json 644',
      'write /Library/Application Support/rdp-now/rdp-now-host 755',
      'write /Library/Google/Chrome/NativeMessagingHosts/com.rdpnow.host.json 644',
      'write /Library/Application Support/Chromium/NativeMessagingHosts/com.rdpnow.host.json 644',
      'write /Library/Microsoft/Edge/NativeMessagingHosts/com.rdpnow.host.json 644',
      'write /Library/Application Support/Mozilla/NativeMessagingHosts/com.rdpnow.host.json 644',
    ]);
  });

  it('Windows: %ProgramFiles%\\rdp-now, manifests beside the host, HKLM keys through reg.exe', () => {
    const dir = 'D:\\Apps\\rdp-now';
    const actions = planSystemInstall(system(WIN, { env: { ProgramFiles: 'D:\\Apps' } }), all, '1.2.3');
    expect(summary(actions)).toEqual([
      `copy ${dir}\\host`,
      `write ${dir}\\host\\install.json 644`,
      `write ${dir}\\rdp-now-host.cmd 755`,
      `write ${dir}\\com.rdpnow.host.chromium.json 644`,
      `run add HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.rdpnow.host /ve /t REG_SZ /d ${dir}\\com.rdpnow.host.chromium.json /f`,
      `run add HKLM\\Software\\Chromium\\NativeMessagingHosts\\com.rdpnow.host /ve /t REG_SZ /d ${dir}\\com.rdpnow.host.chromium.json /f`,
      `run add HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.rdpnow.host /ve /t REG_SZ /d ${dir}\\com.rdpnow.host.chromium.json /f`,
      `write ${dir}\\com.rdpnow.host.firefox.json 644`,
      `run add HKLM\\Software\\Mozilla\\NativeMessagingHosts\\com.rdpnow.host /ve /t REG_SZ /d ${dir}\\com.rdpnow.host.firefox.json /f`,
    ]);
    const run = actions.find((a) => a.kind === 'run');
    expect(run?.kind === 'run' && run.argv[0]).toBe('C:\\Windows\\System32\\reg.exe');
    expect(systemLayout(system(WIN)).installDir).toBe('C:\\Program Files\\rdp-now');
  });

  it('the wrapper and manifests name the machine-wide host', () => {
    const actions = planSystemInstall(system(LINUX), { browsers: ['chrome'], extensionIds: [ID] }, '1');
    const content = (file: string) => {
      const a = actions.find((x) => x.kind === 'write' && x.path === file);
      return a?.kind === 'write' ? a.content : '';
    };
    expect(content('/opt/rdp-now/rdp-now-host')).toBe(
      "#!/bin/sh\nexec '/usr/bin/node' '/opt/rdp-now/host/rdp-now.mjs' native-host \"$@\"\n",
    );
    expect(JSON.parse(content('/etc/opt/chrome/native-messaging-hosts/com.rdpnow.host.json'))).toMatchObject({
      path: '/opt/rdp-now/rdp-now-host',
      allowed_origins: [`chrome-extension://${ID}/`],
    });
  });

  it('a test root prefixes every Linux path', () => {
    const paths = summary(planSystemInstall(system(LINUX, { root: '/tmp/r' }), all, '1'));
    for (const line of paths) expect(line).toMatch(/^(copy|write) \/tmp\/r\//);
  });
});

describe('planSystemUninstall', () => {
  it('removes the registrations, and the folder only when every browser goes', () => {
    expect(summary(planSystemUninstall(system(LINUX), { browsers: ['firefox'] }))).toEqual([
      'remove /usr/lib/mozilla/native-messaging-hosts/com.rdpnow.host.json',
    ]);
    expect(summary(planSystemUninstall(system(LINUX), all)).at(-1)).toBe('remove /opt/rdp-now');
  });

  it('Windows deletes the HKLM keys', () => {
    expect(summary(planSystemUninstall(system(WIN), { browsers: ['edge'] }))).toEqual([
      'remove C:\\Program Files\\rdp-now\\com.rdpnow.host.chromium.json',
      'run delete HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\com.rdpnow.host /f',
    ]);
  });
});

describe('system checks', () => {
  it('registry keys are the HKLM twins of the per-user ones', () => {
    expect(systemRegistryKey('firefox')).toBe(
      'HKLM\\Software\\Mozilla\\NativeMessagingHosts\\com.rdpnow.host',
    );
  });

  it.each([
    ['linux', /run it as root, e.g. "sudo rdp-now install --system"/],
    ['darwin', /run it as root/],
    ['win32', /"Run as administrator"/],
  ] as const)('%s: a non-administrator is told how, in one sentence', (platform, text) => {
    expect(systemRefusal(platform, false, 'install')).toMatch(text);
    expect(systemRefusal(platform, true, 'install')).toBeNull();
  });

  it.each([
    ['linux', '/root/.nvm/versions/node/v20.19.0/bin/node', true],
    ['linux', '/home/ann/.volta/bin/node', true],
    ['linux', '/usr/bin/node', false],
    ['darwin', '/Users/ann/.nvm/node', true],
    ['darwin', '/opt/homebrew/bin/node', false],
    ['win32', 'C:\\Users\\ann\\AppData\\Roaming\\nvm\\node.exe', true],
    ['win32', 'C:\\Program Files\\nodejs\\node.exe', false],
  ] as const)('%s: Node at %s is in a home folder: %s', (platform, node, inHome) => {
    expect(systemNodeProblem(platform, node) !== null).toBe(inHome);
  });
});
