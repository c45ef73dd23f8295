/**
 * `npm start`: the built extension in a real Chromium, the host registered for that browser, and the
 * extension's first round trip to the host. Headless (`--headless`, or no DISPLAY) it prints what it saw.
 */
import { CHROMIUM, launchBrowser } from './browser';

const headless =
  process.argv.includes('--headless') || (process.platform === 'linux' && !process.env.DISPLAY);
const started = performance.now();
const ms = () => `${Math.round(performance.now() - started)} ms`;

console.log(`Starting ${CHROMIUM} with dist/chrome${headless ? ' (headless)' : ''} ...`);
const session = await launchBrowser({ headless });
console.log(`[${ms()}] extension loaded: ${session.worker.url()}`);
const hello = (await session.worker.evaluate(
  'rdpNow.host.hello().then((r) => ({ ok: true, ...r }), (e) => ({ ok: false, error: e.advice ?? String(e) }))',
)) as {
  ok: boolean;
  host?: {
    version: string;
    platform: string;
    clients: Array<{ id: string; available: boolean }>;
    defaultClient: string;
  };
};
if (!hello.ok || !hello.host) {
  console.error('The host did not answer hello:', JSON.stringify(hello));
  await session.close();
  process.exit(1);
}
const available = hello.host.clients.filter((c) => c.available).map((c) => c.id);
console.log(`[${ms()}] host ${hello.host.version} on ${hello.host.platform} answered over native messaging`);
console.log(
  `         RDP clients here: ${available.join(', ') || 'none'}; default: ${hello.host.defaultClient ?? 'none'}`,
);
if (headless) {
  await session.close();
} else {
  console.log('The browser stays open; close it to finish.');
  await new Promise((resolve) => session.context.on('close', resolve));
  await session.close();
}
