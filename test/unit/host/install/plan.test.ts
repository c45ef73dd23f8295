import { describe, expect, it } from 'vitest';
import { BROWSERS } from '../../../../host/install/browsers';
import {
  type Action,
  describeAction,
  installLayout,
  manifestPath,
  planInstall,
  planUninstall,
} from '../../../../host/install/plan';
import { ID, LINUX, MAC, OTHER_ID, WIN } from '../../../support/install';

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
