/** `npm start -- --headless`: the demo a newcomer runs, end to end, as the README promises — in both browsers. */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

it.each(['chromium', 'firefox'])(
  'runs the whole flow headless in %s and exits 0 only after a real authenticated RDP connection',
  async (browser) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'sim/start.ts', '--headless', '--browser', browser],
      {
        env: { ...process.env, DISPLAY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(out).toMatch(new RegExp(`${browser} started with dist/`));
    expect(out).toMatch(/signed in through the simulated Entra ID with no app registration/);
    expect(out).toMatch(/applied the fix "Start VM"/);
    expect(out).toMatch(/the RDP client authenticated to the local RDP server \(NLA\): done/);
    expect(code).toBe(0);
  },
  120_000,
);
