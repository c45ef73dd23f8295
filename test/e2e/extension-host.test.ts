/**
 * The built extension in a real headless Chromium, talking to the real host registered by `install
 * --target-dir` for that browser's profile.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserSession, launchBrowser } from '../../sim/browser';

let session: BrowserSession;
beforeAll(async () => {
  session = await launchBrowser({ headless: true });
});
afterAll(async () => {
  await session?.close();
});

it('loads from dist/chrome under its fixed development id', () => {
  expect(session.worker.url()).toBe('chrome-extension://gpgidagdndlidklfiinoafehceojjlha/background.js');
});

it('reaches the installed host over native messaging and gets its hello', async () => {
  const reply = (await session.worker.evaluate(
    'rdpNow.host.hello().then((r) => ({ ok: true, ...r }), (e) => ({ ok: false, error: e.advice ?? String(e) }))',
  )) as Record<string, unknown>;
  expect(reply).toMatchObject({ ok: true, host: { version: '0.1.0', platform: 'linux' } });
});
