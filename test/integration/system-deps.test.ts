/**
 * scripts/ensure-system-deps.mjs, the first step of `npm start` and `npm test`, on a PATH where the programs are
 * missing: as a user it names the packages and the exact command; as root it runs apt-get (here a stand-in that
 * "installs" by writing the programs). Never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicCopy, tempDir, writeScript } from '../support/temp';

const SCRIPT = path.resolve('scripts/ensure-system-deps.mjs');
const asRoot = process.getuid?.() === 0;
const debian = existsSync('/etc/debian_version');

function run(args: string[], bin: string, uid?: number) {
  const script = uid === undefined ? SCRIPT : publicCopy('deps-script', SCRIPT);
  return spawnSync(process.execPath, [script, ...args], {
    // Only the stand-ins' folder: node is run by absolute path, and /usr/bin has the real programs.
    env: { PATH: bin, HOME: bin },
    encoding: 'utf8',
    cwd: '/',
    ...(uid !== undefined && { uid, gid: uid }),
  });
}

describe.runIf(debian)('ensure-system-deps on Debian', () => {
  it('as a user: the missing packages and the exact command, exit 1; npm start does not need Firefox', () => {
    const bin = tempDir('deps-bin');
    writeScript(path.join(bin, 'apt-get'), 'exit 99');
    const result = run(['start'], bin, asRoot ? 65534 : undefined);
    expect(result.stderr).toBe(
      'Missing system packages for npm start: chromium freerdp2-x11 freerdp2-shadow-x11 winpr-utils xvfb openssl. Install them with:\n' +
        '  sudo apt-get install -y --no-install-recommends chromium freerdp2-x11 freerdp2-shadow-x11 winpr-utils xvfb openssl\n',
    );
    expect(result.status).toBe(1);
    const tests = run([], bin, asRoot ? 65534 : undefined);
    expect(tests.stderr).toMatch(
      /^Missing system packages for the tests: chromium firefox-esr .* iproute2\./,
    );
    expect(tests.status).toBe(1);
  });

  it.runIf(asRoot)('as root: installs the missing packages with apt-get, then finds the programs', () => {
    const bin = tempDir('deps-bin');
    const programs = ['chromium', 'xfreerdp', 'freerdp-shadow-cli', 'winpr-hash', 'Xvfb', 'openssl'];
    writeScript(
      path.join(bin, 'apt-get'),
      `echo "$@" >> '${bin}/apt.log'`,
      ...programs.map((p) => `printf '#!/bin/sh\\n' > '${bin}/${p}' && /bin/chmod 755 '${bin}/${p}'`),
    );
    const result = run(['start'], bin);
    expect(result.stdout).toContain('Installing chromium freerdp2-x11');
    expect(readFileSync(path.join(bin, 'apt.log'), 'utf8')).toBe(
      'install -y --no-install-recommends chromium freerdp2-x11 freerdp2-shadow-x11 winpr-utils xvfb openssl\n',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.runIf(asRoot)('as root, when apt-get fails: one sentence with the command, exit 1', () => {
    const bin = tempDir('deps-bin');
    writeScript(path.join(bin, 'apt-get'), 'exit 100');
    const result = run(['start'], bin);
    expect(result.stderr).toMatch(/^Could not install chromium .* openssl; run: apt-get install -y/);
    expect(result.stderr).not.toMatch(/ at /);
    expect(result.status).toBe(1);
  });
});
