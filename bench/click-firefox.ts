/**
 * `clickToLaunchFirefoxMs`: the same measurement as `clickToLaunchMs` (bench/click.ts) in Firefox ESR — a
 * trusted click on "RDP now" to the RDP client process started, VM met the first time, simulated ARM at 100 ms
 * per request (docs/PROTOCOL.md §5).
 */
import { demoSettings, startDemo } from '../sim/demo';
import { waitFor } from '../sim/drive';
import { launchFirefox, openReportFirefox } from '../sim/firefox';
import { launchRecorder } from './launch-recorder';
import { median } from './stats';

const RUNS = 5;

export async function benchClickFirefox(): Promise<Record<string, number>> {
  const recorder = launchRecorder('click-firefox');
  const demo = await startDemo();
  const session = await launchFirefox({
    headless: true,
    hosts: demo.hosts,
    hostConfig: demo.hostConfig,
    env: { RDPNOW_CLIENT: recorder.program },
  });
  const { launches } = recorder;
  try {
    await session.writeStorage({ settings: demoSettings() });
    const url = demo.vmPageUrl(demo.arm.vm('vm-ready'));
    // Sign in once, as a user does on first use; the figures are about the click, not the sign-in.
    const signIn = session.browser.waitForTarget((t) => t.url().includes('login.microsoftonline.com'));
    const first = await openReportFirefox(session, url);
    await (await (await signIn).page())?.locator('#sign-in').click();
    await waitFor(() => launches().length > 0, 'the first launch', 30_000);
    await first.page.close();
    demo.arm.setLatency(100);

    const fresh: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // A VM met the first time: no cached topology.
      const options = await session.openExtensionPage('options/index.html');
      await options.evaluate(() =>
        (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.remove('topology'),
      );
      await options.close();
      const page = await session.browser.newPage();
      await page.goto(url);
      const host = await page.waitForSelector('rdp-now-button');
      const box = await waitFor(() => host?.boundingBox(), 'the RDP now button to be laid out');
      const before = launches().length;
      // The button is there and the host warm, as when a user reads the page before clicking.
      await new Promise((r) => setTimeout(r, 300));
      const clicked = Date.now();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await waitFor(() => launches().length > before, 'the launch', 30_000);
      fresh.push((launches().at(-1) as number) - clicked);
      await page.close();
    }
    return { clickToLaunchFirefoxMs: median(fresh) };
  } finally {
    await session.close();
    await demo.close();
    recorder.remove();
  }
}
