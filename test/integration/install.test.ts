/**
 * `install`, `doctor` and `uninstall` of the built CLI in a temporary HOME: the manifests it writes must work,
 * so each test starts the registered wrapper the way a browser would and gets a `hello`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { runCli } from '../support/cli';
import { HostProcess, isolatedEnv } from '../support/host-process';
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
