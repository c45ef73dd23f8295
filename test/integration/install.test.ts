/**
 * `install`, `doctor` and `uninstall` of the built CLI in a temporary HOME: the manifests it writes must work,
 * so each test starts the registered wrapper the way a browser would and gets a `hello`.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { runCli } from '../support/cli';
import { HOST_ENTRY, HostProcess, isolatedEnv } from '../support/host-process';
import { writeScript } from '../support/temp';

const cli = (env: Record<string, string>, ...args: string[]) => runCli(args, env);

/** A home where Chrome and Firefox have been used, and Remmina is on PATH. */
function homeWithBrowsers(): Record<string, string> {
  const env = isolatedEnv();
  const home = env.HOME as string;
  mkdirSync(path.join(home, '.config/google-chrome'), { recursive: true });
  mkdirSync(path.join(home, '.mozilla'), { recursive: true });
  const bin = path.join(home, 'bin');
  writeScript(path.join(bin, 'remmina'));
  return { ...env, PATH: `${bin}:${path.dirname(process.execPath)}:/usr/bin:/bin` };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Starts what a manifest names, with the arguments that browser passes, and asks for hello. */
async function helloThrough(manifestFile: string, args: string[], env: Record<string, string>) {
  const manifest = readJson(manifestFile);
  const host = new HostProcess(env, args, manifest.path as string);
  const reply = await host.request({ v: 1, id: 'via-manifest', type: 'hello' });
  expect(await host.close()).toBe(0);
  return reply;
}

describe('install into a temporary HOME', () => {
  it('registers for the browsers found, with a wrapper that starts the host and answers hello', async () => {
    const env = homeWithBrowsers();
    const home = env.HOME as string;
    const result = await cli(env, 'install');
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/Registered RDP now for chrome, firefox/);

    const chrome = path.join(home, '.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json');
    const firefox = path.join(home, '.mozilla/native-messaging-hosts/com.rdpnow.host.json');
    const wrapper = path.join(home, '.local/share/rdp-now/rdp-now-host');
    expect(readJson(chrome)).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: wrapper,
      type: 'stdio',
      allowed_origins: [`chrome-extension://${DEV_EXTENSION_ID}/`],
    });
    expect(readJson(firefox)).toMatchObject({ path: wrapper, allowed_extensions: ['rdp-now@rdpnow.dev'] });
    expect(existsSync(path.join(home, '.config/chromium'))).toBe(false);
    expect(statSync(wrapper).mode & 0o111).not.toBe(0);
    expect(readFileSync(wrapper, 'utf8')).toContain(`'${process.execPath}'`);

    const viaChrome = await helloThrough(chrome, [`chrome-extension://${DEV_EXTENSION_ID}/`], env);
    expect(viaChrome).toMatchObject({ id: 'via-manifest', ok: true, host: { defaultClient: 'remmina' } });
    const viaFirefox = await helloThrough(firefox, [firefox, 'rdp-now@rdpnow.dev'], env);
    expect(viaFirefox).toMatchObject({ ok: true });
  });

  it('the installed copy runs without the source tree', async () => {
    const env = homeWithBrowsers();
    await cli(env, 'install', '--browser', 'chromium');
    const installed = path.join(env.HOME as string, '.local/share/rdp-now/host/rdp-now.mjs');
    const r = spawnSync(process.execPath, [installed, '--version'], { env, encoding: 'utf8', cwd: '/' });
    expect(r.stdout.trim()).toBe('0.1.0');
  });

  it('--target-dir writes one Chromium manifest there; --extension-id sets the allowed origin', async () => {
    const env = homeWithBrowsers();
    const dir = path.join(env.HOME as string, 'profile/NativeMessagingHosts');
    const id = 'abcdefghijklmnopabcdefghijklmnop';
    expect((await cli(env, 'install', '--target-dir', dir, '--extension-id', id)).code).toBe(0);
    const manifest = path.join(dir, 'com.rdpnow.host.json');
    expect(readJson(manifest).allowed_origins).toEqual([`chrome-extension://${id}/`]);
    expect(existsSync(path.join(env.HOME as string, '.config/google-chrome/NativeMessagingHosts'))).toBe(
      false,
    );
    expect(await helloThrough(manifest, [`chrome-extension://${id}/`], env)).toMatchObject({ ok: true });
  });

  it('--dry-run prints every file and changes nothing', async () => {
    const env = homeWithBrowsers();
    const result = await cli(env, 'install', '--browser', 'edge,brave', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('.config/microsoft-edge/NativeMessagingHosts/com.rdpnow.host.json');
    expect(result.stdout).toContain(
      '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/com.rdpnow.host.json',
    );
    expect(result.stdout).toContain('native-host "$@"');
    expect(existsSync(path.join(env.HOME as string, '.local/share/rdp-now'))).toBe(false);
    expect(existsSync(path.join(env.HOME as string, '.config/microsoft-edge'))).toBe(false);
  });

  it('refuses bad options with exit code 2 and a sentence', async () => {
    const env = homeWithBrowsers();
    expect(await cli(env, 'install', '--browser', 'netscape')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Unknown browser "netscape"/),
    });
    expect(await cli(env, 'install', '--extension-id', 'nope')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/not an extension id/),
    });
    expect(await cli(env, 'install', '--frobnicate')).toMatchObject({ code: 2 });
  });

  it('says so when no browser is found and none is named', async () => {
    const result = await cli(isolatedEnv(), 'install');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No supported browser was found/);
  });
});

describe('install under a umask of 002', () => {
  /** Every path below `root` with its permission bits, links not followed. */
  function modes(root: string): Map<string, number> {
    const found = new Map<string, number>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        const stat = lstatSync(file);
        found.set(path.relative(root, file), stat.mode & 0o7777);
        if (stat.isDirectory()) walk(file);
      }
    };
    walk(root);
    return found;
  }

  it('creates nothing group- or world-writable: folders 0755, executables 0755, manifests 0644', async () => {
    const env = isolatedEnv();
    const home = env.HOME as string;
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      // The umask of a user whose files are group-writable by default (Debian's usergroups, many desktops).
      const child = spawn(
        '/bin/sh',
        [
          '-c',
          'umask 002 && exec "$0" "$@"',
          process.execPath,
          HOST_ENTRY,
          'install',
          '--browser',
          'chrome,firefox',
        ],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stderr }));
    });
    expect(result).toMatchObject({ code: 0 });

    const all = modes(home);
    const expected: Record<string, number> = {
      '.local': 0o755,
      '.local/share': 0o755,
      '.local/share/rdp-now': 0o755,
      '.local/share/rdp-now/host': 0o755,
      '.local/share/rdp-now/host/rdp-now.mjs': 0o644,
      '.local/share/rdp-now/host/install.json': 0o644,
      '.local/share/rdp-now/rdp-now-host': 0o755,
      '.config': 0o755,
      '.config/google-chrome': 0o755,
      '.config/google-chrome/NativeMessagingHosts': 0o755,
      '.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json': 0o644,
      '.mozilla': 0o755,
      '.mozilla/native-messaging-hosts': 0o755,
      '.mozilla/native-messaging-hosts/com.rdpnow.host.json': 0o644,
    };
    for (const [file, mode] of Object.entries(expected)) {
      expect({ file, mode: all.get(file)?.toString(8) }).toEqual({ file, mode: mode.toString(8) });
    }
    // Whatever else it wrote (the host's chunks, a log): never group- or world-writable, folders 0700 or 0755.
    const loose = [...all]
      .filter(([, mode]) => mode & 0o022)
      .map(([file, mode]) => `${file} ${mode.toString(8)}`);
    expect(loose).toEqual([]);
    for (const [file, mode] of all) {
      if (lstatSync(path.join(home, file)).isDirectory()) expect([0o700, 0o755]).toContain(mode);
      else expect([0o600, 0o644, 0o755]).toContain(mode);
    }
  });
});

describe('install over planted symlinks', () => {
  it('replaces a link at a manifest or the wrapper instead of writing through it', async () => {
    const env = isolatedEnv();
    const home = env.HOME as string;
    const victim = path.join(home, 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    const manifest = path.join(home, '.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json');
    const wrapper = path.join(home, '.local/share/rdp-now/rdp-now-host');
    for (const link of [manifest, wrapper]) {
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(victim, link);
    }
    expect(await cli(env, 'install', '--browser', 'chrome')).toMatchObject({ code: 0 });
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(lstatSync(manifest).isSymbolicLink()).toBe(false);
    expect(lstatSync(wrapper).isSymbolicLink()).toBe(false);
    expect(statSync(victim).mode & 0o777).not.toBe(0o755);
  });
});

describe('doctor', () => {
  it('reports a healthy installation and exits 0', async () => {
    const env = homeWithBrowsers();
    await cli(env, 'install');
    const result = await cli(env, 'doctor');
    expect(result.stdout).toMatch(/ok {3}Google Chrome: registered/);
    expect(result.stdout).toMatch(/ok {3}Firefox: registered/);
    expect(result.stdout).toMatch(/RDP clients: remmina/);
    expect(result.code).toBe(0);
  });

  it('explains a missing registration, a vanished Node and a missing client, and exits 1', async () => {
    const env = homeWithBrowsers();
    const home = env.HOME as string;
    await cli(env, 'install', '--browser', 'chrome');
    const wrapper = path.join(home, '.local/share/rdp-now/rdp-now-host');
    writeFileSync(wrapper, readFileSync(wrapper, 'utf8').replace(process.execPath, '/opt/gone/bin/node'));
    const result = await cli({ ...env, PATH: '/nonexistent' }, 'doctor');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FIX +Firefox is installed but RDP now is not registered for it/);
    expect(result.stdout).toMatch(
      /FIX +The host wrapper runs Node from \/opt\/gone\/bin\/node, which no longer exists/,
    );
    expect(result.stdout).toMatch(/FIX +No Remote Desktop client was found/);
  });
});

describe('uninstall', () => {
  it('removes the manifests, the wrapper and the host copy', async () => {
    const env = homeWithBrowsers();
    const home = env.HOME as string;
    await cli(env, 'install');
    expect(await cli(env, 'uninstall')).toMatchObject({ code: 0 });
    expect(
      existsSync(path.join(home, '.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json')),
    ).toBe(false);
    expect(existsSync(path.join(home, '.mozilla/native-messaging-hosts/com.rdpnow.host.json'))).toBe(false);
    expect(existsSync(path.join(home, '.local/share/rdp-now/host'))).toBe(false);
    expect(existsSync(path.join(home, '.local/share/rdp-now/rdp-now-host'))).toBe(false);
    expect((await cli(env, 'doctor')).stdout).toMatch(/not registered for any browser/);
  });
});
