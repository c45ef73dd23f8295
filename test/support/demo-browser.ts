/** The simulated portal, ARM and Entra ID with headless Chromium pointed at them and the real host: one per file. */
import { type BrowserSession, launchBrowser } from '../../sim/browser';
import { type Demo, startDemo } from '../../sim/demo';
import { testTls } from './test-azure';

export interface DemoBrowser {
  demo: Demo;
  session: BrowserSession;
}

export async function startDemoBrowser(): Promise<DemoBrowser> {
  const demo = await startDemo({ tls: testTls() });
  try {
    const session = await launchBrowser({
      headless: true,
      hostResolverRules: demo.resolverRules,
      hostConfig: demo.hostConfig,
    });
    return { demo, session };
  } catch (error) {
    await demo.close();
    throw error;
  }
}

export async function stopDemoBrowser(running: DemoBrowser | undefined): Promise<void> {
  await running?.session.close();
  await running?.demo.close();
}
