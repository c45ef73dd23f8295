/**
 * Click on "RDP now" to the RDP client process started, in the real browser with the simulated ARM at 100 ms per
 * request: for a VM met the first time (no cached topology) and for a recent one (docs/PROTOCOL.md §5).
 */
import { launchBrowser } from '../sim/browser';
import { applyDemoSettings, startDemo } from '../sim/demo';
import { findRdpNow, openReport, waitFor } from '../sim/drive';
import { launchRecorder } from './launch-recorder';
import { median } from './stats';

const RUNS = 7;

export async function benchClick(): Promise<Record<string, number>> {
  const recorder = launchRecorder('click');
  const demo = await startDemo();
  const session = await launchBrowser({
    headless: true,
    hostResolverRules: demo.resolverRules,
    hostConfig: demo.hostConfig,
    env: { RDPNOW_CLIENT: recorder.program },
  });
  const { launches } = recorder;
  try {
    await applyDemoSettings(session.worker);
    const url = demo.vmPageUrl(demo.arm.vm('vm-ready'));
    // Sign in once, as a user does on first use; the figures are about the click, not the sign-in.
    const signIn = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('login.microsoftonline.com'),
    });
    const first = await openReport(session.context, url, 'vm-ready');
    await (await signIn).getByRole('button', { name: 'Sign in' }).click();
    await waitFor(() => launches().length > 0, 'the first launch', 30_000);
    await first.page.close();
    demo.arm.setLatency(100);

    const measure = async (forgetTopology: boolean): Promise<number> => {
      if (forgetTopology) await session.worker.evaluate(() => chrome.storage.local.remove('topology'));
      const page = await session.context.newPage();
      const cdp = await session.context.newCDPSession(page);
      await page.goto(url);
      const before = launches().length;
      // The button is there and the host warm, as when a user reads the page before clicking. The clock starts at
      // the press: finding the button (a walk of the whole accessibility tree) is the driver's work, not the user's.
      await page.waitForTimeout(300);
      const { x, y } = await findRdpNow(cdp, 'vm-ready');
      const clicked = Date.now();
      await page.mouse.click(x, y);
      await waitFor(() => launches().length > before, 'the launch', 30_000);
      await page.close();
      return (launches().at(-1) as number) - clicked;
    };
    const fresh: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      fresh.push(await measure(true));
      known.push(await measure(false));
    }
    return { clickToLaunchMs: median(fresh), clickToLaunchKnownMs: median(known) };
  } finally {
    await session.close();
    await demo.close();
    recorder.remove();
  }
}
