/**
 * A smoke test of the Firefox build in Debian's Firefox ESR, headless: web-ext installs dist/firefox as a
 * temporary add-on over Firefox's remote protocol, and none of its scripts reports an error while it starts.
 * (Firefox cannot be driven further here: Playwright needs its own Firefox build, which cannot be downloaded.)
 */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { tempDir } from '../support/temp';

it('installs in headless Firefox ESR and starts without script errors', async () => {
  const home = tempDir('firefox');
  const child = spawn(
    'npx',
    [
      'web-ext',
      'run',
      '--no-config-discovery',
      '--source-dir',
      'dist/firefox',
      '--target',
      'firefox-desktop',
      '--firefox',
      '/usr/bin/firefox-esr',
      '--arg=--headless',
      '--no-reload',
      '--no-input',
      '--verbose',
    ],
    { env: { ...process.env, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  const collect = (c: Buffer) => {
    out += c.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  try {
    const deadline = Date.now() + 60_000;
    while (!/Installed .* as a temporary add-on/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`not installed:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Let the background page start and run its start-up code.
    await new Promise((r) => setTimeout(r, 3000));
  } finally {
    // web-ext closes Firefox on Ctrl-C; only then the whole group goes.
    if (child.pid && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
  }
  expect(out).toMatch(/installTemporaryAddon: .*"id":"rdp-now@rdpnow\.dev"/);
  const ours = out
    .split('\n')
    .filter((line) => /moz-extension:|rdp-now@rdpnow\.dev/.test(line) && /error|exception/i.test(line));
  expect(ours).toEqual([]);
}, 90_000);
