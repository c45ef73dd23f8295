/**
 * `install --system` / `uninstall --system` of the built CLI on Linux. The machine's folders are prefixed by
 * RDPNOW_TEST_ROOT (a temporary folder), so nothing outside it is touched. Writing needs root: as root the
 * install runs under umask 077 and must still leave every file readable by every user; the refusal is checked
 * as `nobody` (or as this user when the tests do not run as root).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { runCli } from '../support/cli';
import { HOST_ENTRY, HostProcess, isolatedEnv } from '../support/host-process';
import { publicCopy, tempDir } from '../support/temp';

const asRoot = process.getuid?.() === 0;

const MANIFESTS = [
  '/etc/opt/chrome/native-messaging-hosts/com.rdpnow.host.json',
  '/etc/chromium/native-messaging-hosts/com.rdpnow.host.json',
  '/etc/opt/edge/native-messaging-hosts/com.rdpnow.host.json',
  '/usr/lib/mozilla/native-messaging-hosts/com.rdpnow.host.json',
];

/** The CLI under `sh -c 'umask …; exec node …'`, optionally as another user. */
function runShell(
  args: string[],
  env: Record<string, string>,
  options: { umask?: string; uid?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Another user runs a copy it can read: the checkout may lie in a folder only its owner can enter.
    const entry =
      options.uid === undefined
        ? HOST_ENTRY
        : path.join(publicCopy('host-copy', path.dirname(HOST_ENTRY)), path.basename(HOST_ENTRY));
    const quoted = [process.execPath, entry, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('/bin/sh', ['-c', `umask ${options.umask ?? '022'}; exec ${quoted}`], {
      env,
      cwd: '/',
      ...(options.uid !== undefined && { uid: options.uid, gid: options.uid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('install --system on Linux', () => {
  it('--dry-run lists the machine-wide folder and every browser system folder, as any user', async () => {
    const result = await runCli(['install', '--system', '--dry-run'], isolatedEnv());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^copy .* -> \/opt\/rdp-now\/host$/m);
    expect(result.stdout).toContain('write /opt/rdp-now/rdp-now-host (mode 755)');
    for (const file of MANIFESTS) expect(result.stdout).toContain(`write ${file} (mode 644)`);
  });

  it('refuses without root, in one sentence, exit 2', async () => {
    const root = tempDir('system-root');
    const env: Record<string, string> = { ...isolatedEnv(), RDPNOW_TEST_ROOT: root };
    const result = await runShell(['install', '--system'], env, asRoot ? { uid: 65534 } : {});
    expect(result.stderr).toBe(
      'rdp-now: "install --system" changes files for every user: run it as root, e.g. "sudo rdp-now install --system".\n',
    );
    expect(result.code).toBe(2);
    expect(existsSync(path.join(root, 'opt'))).toBe(false);
  });

  it('rejects browsers without a system folder and --target-dir', async () => {
    const env = isolatedEnv();
    const brave = await runCli(['install', '--system', '--browser', 'brave', '--dry-run'], env);
    expect(brave).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/"brave" cannot be registered machine-wide/),
    });
    const target = await runCli(['install', '--system', '--target-dir', '/tmp/x', '--dry-run'], env);
    expect(target.code).toBe(2);
  });

  it.runIf(asRoot)(
    'as root under umask 077: files 0644 and folders 0755 owned by root; the wrapper answers hello; uninstall removes it all',
    async () => {
      const root = tempDir('system-root');
      const env: Record<string, string> = { ...isolatedEnv(), RDPNOW_TEST_ROOT: root };
      const install = await runShell(['install', '--system'], env, { umask: '077' });
      expect(install.stderr).toBe('');
      expect(install.stdout).toBe(
        `Registered RDP now for every user of chrome, chromium, edge, firefox (host in ${root}/opt/rdp-now).\n`,
      );
      const modeOf = (file: string) => statSync(path.join(root, file));
      for (const file of MANIFESTS) {
        expect(modeOf(file).mode & 0o777, file).toBe(0o644);
        expect(modeOf(file).uid).toBe(0);
        for (let dir = path.dirname(file); dir !== '/'; dir = path.dirname(dir))
          expect(modeOf(dir).mode & 0o777, dir).toBe(0o755);
      }
      expect(modeOf('/opt/rdp-now/rdp-now-host').mode & 0o777).toBe(0o755);
      expect(modeOf('/opt/rdp-now/host').mode & 0o777).toBe(0o755);
      expect(modeOf('/opt/rdp-now/host/cli.mjs').mode & 0o777).toBe(0o644);
      expect(modeOf('/opt/rdp-now/host/install.json').mode & 0o777).toBe(0o644);

      const manifest = JSON.parse(readFileSync(path.join(root, MANIFESTS[0] as string), 'utf8')) as {
        path: string;
        allowed_origins: string[];
      };
      expect(manifest).toMatchObject({
        path: `${root}/opt/rdp-now/rdp-now-host`,
        allowed_origins: [`chrome-extension://${DEV_EXTENSION_ID}/`],
      });
      const host = new HostProcess(env, [`chrome-extension://${DEV_EXTENSION_ID}/`], manifest.path);
      expect(await host.request({ v: 1, id: 'system', type: 'hello' })).toMatchObject({ ok: true });
      expect(await host.close()).toBe(0);

      const uninstall = await runShell(['uninstall', '--system'], env);
      expect(uninstall.code).toBe(0);
      for (const file of MANIFESTS) expect(existsSync(path.join(root, file))).toBe(false);
      expect(existsSync(path.join(root, 'opt/rdp-now'))).toBe(false);
    },
  );
});

describe('doctor reads the managed policies under the root', () => {
  function policy(root: string, file: string, content: unknown): void {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), JSON.stringify(content));
  }

  it('names the policy that stops the registration it found, and what to do', async () => {
    const root = tempDir('system-root');
    const env: Record<string, string> = { ...isolatedEnv(), RDPNOW_TEST_ROOT: root };
    expect((await runCli(['install', '--browser', 'chrome,firefox'], env)).code).toBe(0);
    policy(root, '/etc/opt/chrome/policies/managed/corp.json', { NativeMessagingUserLevelHosts: false });
    policy(root, '/usr/lib/firefox-esr/distribution/policies.json', {
      policies: { ExtensionSettings: { '*': { installation_mode: 'blocked' } } },
    });
    const result = await runCli(['doctor'], env);
    expect(result.stdout).toContain(
      `FIX  A Google Chrome policy (NativeMessagingUserLevelHosts=false in ${root}/etc/opt/chrome/policies/managed) ignores the per-user registration ${env.HOME}/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json: ask your administrator to run "rdp-now install --system" or to allow per-user hosts.`,
    );
    expect(result.stdout).toContain(
      `FIX  A Firefox policy (ExtensionSettings in ${root}/usr/lib/firefox-esr/distribution/policies.json) blocks the RDP now add-on`,
    );
    expect(result.code).toBe(1);

    policy(root, '/etc/opt/chrome/policies/managed/corp.json', { NativeMessagingBlocklist: ['*'] });
    expect((await runCli(['doctor'], env)).stdout).toMatch(
      /FIX {2}A Google Chrome policy \(NativeMessagingBlocklist in .*\) blocks every native host: ask your administrator to add com\.rdpnow\.host to NativeMessagingAllowlist\./,
    );
  });

  it.runIf(asRoot)('a machine-wide registration satisfies NativeMessagingUserLevelHosts=false', async () => {
    const root = tempDir('system-root');
    const env: Record<string, string> = { ...isolatedEnv(), RDPNOW_TEST_ROOT: root };
    policy(root, '/etc/opt/chrome/policies/managed/corp.json', { NativeMessagingUserLevelHosts: false });
    expect((await runShell(['install', '--system', '--browser', 'chrome'], env)).code).toBe(0);
    const result = await runCli(['doctor'], env);
    expect(result.stdout).toContain(
      `ok   Google Chrome: registered for all users (${root}/etc/opt/chrome/native-messaging-hosts/com.rdpnow.host.json).`,
    );
    expect(result.stdout).not.toMatch(/policy/);
  });
});
