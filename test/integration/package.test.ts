/**
 * The npm package users install (docs/PROTOCOL.md §1): `npm pack`, then `npm install -g` of the tarball into an
 * empty prefix with `--offline` and an empty cache, so any dependency would fail the install. The installed
 * `rdp-now` must work from there: --version, doctor, install, and the registered wrapper answering hello.
 *
 * The tarball is packed with --ignore-scripts: `prepack` (the build) has already run as `pretest`, and a second
 * build here would race the other test files reading dist/.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { HostProcess, isolatedEnv } from '../support/host-process';
import { tempDir, writeScript } from '../support/temp';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const nodeDir = path.dirname(process.execPath);

let tarball = '';
let prefix = '';
let bin = '';

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    total += entry.isDirectory() ? duBytes(file) : statSync(file).size;
  }
  return total;
}

beforeAll(() => {
  const work = tempDir('pack');
  const npmEnv = {
    ...process.env,
    npm_config_cache: path.join(work, 'cache'),
    npm_config_update_notifier: 'false',
  };
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      env: npmEnv,
      encoding: 'utf8',
    }),
  ) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  const info = packed[0];
  if (!info) throw new Error('npm pack made nothing');
  tarball = path.join(work, path.basename(info.filename));
  prefix = path.join(work, 'prefix');
  mkdirSync(prefix);
  execFileSync(
    'npm',
    ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball],
    { env: npmEnv, encoding: 'utf8', stdio: 'pipe' },
  );
  bin = path.join(prefix, 'bin', 'rdp-now');
  console.log(
    `package: tarball ${info.size} B, unpacked ${info.unpackedSize} B, ${info.files.length} files; installed ${duBytes(path.join(prefix, 'lib'))} B`,
  );
}, 120_000);

/** The env of a user whose PATH has this Node and the system's programs, and a fresh home. */
function userEnv(): Record<string, string> {
  return isolatedEnv({ PATH: `${nodeDir}:/usr/bin:/bin` });
}

const run = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(bin, args, { env, encoding: 'utf8', cwd: '/' });

describe('the npm package', () => {
  it('holds the built host and the documents for administrators, and installs no dependencies', () => {
    const installed = path.join(prefix, 'lib', 'node_modules', 'rdp-now');
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'docs', 'package.json']);
    expect(readdirSync(path.join(installed, 'dist'))).toEqual(['host']);
    expect(readdirSync(path.join(installed, 'docs')).sort()).toEqual(['enterprise.md', 'privacy.md']);
    expect(existsSync(path.join(installed, 'node_modules'))).toBe(false);
    expect(readdirSync(path.join(prefix, 'lib', 'node_modules'))).toEqual(['rdp-now']);
  });

  it('gives an rdp-now command that prints its version', () => {
    const r = run(userEnv(), '--version');
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.status).toBe(0);
  });

  it('installs for Chrome and Firefox, and the registered wrapper answers hello over pipes', async () => {
    const env = userEnv();
    const home = env.HOME as string;
    writeScript(path.join(home, 'bin', 'remmina'));
    const withClient = { ...env, PATH: `${path.join(home, 'bin')}:${env.PATH}` };

    const doctorBefore = run(withClient, 'doctor');
    expect(doctorBefore.stdout).toMatch(/not registered for any browser/);
    expect(doctorBefore.status).toBe(1);

    const install = run(withClient, 'install', '--browser', 'chrome,firefox');
    expect(install.stderr).toBe('');
    expect(install.stdout).toMatch(/Registered RDP now for chrome, firefox/);
    expect(install.status).toBe(0);

    const chrome = path.join(home, '.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json');
    const manifest = JSON.parse(readFileSync(chrome, 'utf8')) as { path: string };
    const host = new HostProcess(withClient, [`chrome-extension://${DEV_EXTENSION_ID}/`], manifest.path);
    const reply = await host.request({ v: 1, id: 'from-package', type: 'hello' });
    expect(reply).toMatchObject({ id: 'from-package', ok: true, host: { version: pkg.version } });
    expect(await host.close()).toBe(0);

    const firefox = path.join(home, '.mozilla/native-messaging-hosts/com.rdpnow.host.json');
    const viaFirefox = new HostProcess(withClient, [firefox, 'rdp-now@rdpnow.dev'], manifest.path);
    expect(await viaFirefox.request({ v: 1, id: 'ff', type: 'hello' })).toMatchObject({ ok: true });
    expect(await viaFirefox.close()).toBe(0);

    const doctor = run(withClient, 'doctor');
    expect(doctor.stdout).toMatch(/ok {3}Google Chrome: registered/);
    expect(doctor.stdout).toMatch(/ok {3}Firefox: registered/);
    expect(doctor.status).toBe(0);
  });

  it('on an older Node, says which Node it found and what to install, and exits 2', () => {
    // Node 20 itself, told it is 18 before any of the host's modules load (NODE_OPTIONS reaches the `rdp-now`
    // bin and the wrapper alike).
    const base = userEnv();
    const older = writeScript(path.join(base.HOME as string, 'older-node.mjs'));
    writeFileSync(older, "Object.defineProperty(process.versions, 'node', { value: '18.20.4' });\n");
    const env: Record<string, string> = { ...base, NODE_OPTIONS: `--import=${older}` };
    for (const args of [['doctor'], ['install', '--browser', 'chrome'], ['native-host']]) {
      const r = run(env, ...args);
      expect(r.stderr).toMatch(
        /^rdp-now: RDP now needs Node 20\.19\.0 or newer but found 18\.20\.4: install Node 20\.19 or later .*\n$/,
      );
      expect(r.stdout).toBe('');
      expect(r.status).toBe(2);
    }
    expect(existsSync(path.join(base.HOME as string, '.local/share/rdp-now'))).toBe(false);
  });
});
