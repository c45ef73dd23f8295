/** One browser on the simulated Azure for a test file, and a VM's report opened in it as a user opens it. */
import type { BrowserSession } from '../../sim/browser';
import { launchBrowser } from '../../sim/browser';
import { applyDemoSettings, type Demo, startDemo } from '../../sim/demo';
import { openReport } from '../../sim/drive';
import { testTls } from './test-azure';

/** The simulation and a headless Chromium with the extension and the demo settings (no RDP client). */
export async function startDemoBrowser(): Promise<{ demo: Demo; session: BrowserSession }> {
  const demo = await startDemo({ tls: testTls() });
  const session = await launchBrowser({
    headless: true,
    hostResolverRules: demo.resolverRules,
    hostConfig: demo.hostConfig,
  });
  await applyDemoSettings(session.worker);
  return { demo, session };
}

/** Opens a VM's report from its portal page; `signIn` presses Sign in on the simulated authority's page. */
export async function openVmReport(session: BrowserSession, demo: Demo, name: string, signIn: boolean) {
  const signInPage = signIn
    ? session.context.waitForEvent('page', {
        predicate: (p) => p.url().includes('login.microsoftonline.com'),
      })
    : null;
  const opened = await openReport(session.context, demo.vmPageUrl(demo.arm.vm(name as never)), name);
  if (signInPage) await (await signInPage).getByRole('button', { name: 'Sign in' }).click();
  return opened;
}
