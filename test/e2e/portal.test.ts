/**
 * The built extension on a portal VM page in real headless Chromium: the button appears for a VM URL, follows
 * the portal's single-page navigation, and a trusted click opens the report, which says what to set up.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserSession, launchBrowser } from '../../sim/browser';
import { type PortalPage, startPortalPage } from '../../sim/portal-page';
import { testTls } from '../support/test-azure';

const VM =
  '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg-rdpnow-demo/providers/Microsoft.Compute/virtualMachines/vm-ready';

let portal: PortalPage;
let session: BrowserSession;
let page: Page;
let cdp: CDPSession;

beforeAll(async () => {
  portal = await startPortalPage({ tls: testTls() });
  session = await launchBrowser({
    headless: true,
    hostResolverRules: `MAP portal.azure.com 127.0.0.1:${portal.port}`,
  });
  page = await session.context.newPage();
  cdp = await session.context.newCDPSession(page);
});
afterAll(async () => {
  await session?.close();
  await portal?.close();
});

/** The button lives in a closed shadow root, out of the page's reach and of Playwright's selectors: find it in the accessibility tree. */
async function rdpButton(): Promise<{ name: string; backendDOMNodeId: number } | null> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: Array<{
      role?: { value: string };
      name?: { value: string };
      backendDOMNodeId?: number;
      ignored?: boolean;
    }>;
  };
  const node = nodes.find(
    (n) => !n.ignored && n.role?.value === 'button' && /RDP now/.test(n.name?.value ?? ''),
  );
  return node?.backendDOMNodeId
    ? { name: node.name?.value ?? '', backendDOMNodeId: node.backendDOMNodeId }
    : null;
}

async function waitFor<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('shows an accessible "RDP now" button on a VM page', async () => {
  await page.goto(`https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM}/overview`);
  const button = await waitFor(rdpButton, 'the RDP now button');
  expect(button.name).toMatch(/vm-ready/);
});

it('follows single-page navigation: no button off a VM page, back on another VM', async () => {
  await page.evaluate(() => {
    location.hash = '#home';
  });
  await waitFor(async () => ((await rdpButton()) ? null : true), 'the button to go');
  await page.evaluate((id) => {
    location.hash = `#resource${id.replace('vm-ready', 'vm-jit')}/overview`;
  }, VM);
  const button = await waitFor(async () => {
    const b = await rdpButton();
    return b && /vm-jit/.test(b.name) ? b : null;
  }, 'the button for vm-jit');
  expect(button.name).toMatch(/vm-jit/);
});

it('a trusted click opens the report in place, which says what to set up first', async () => {
  const button = await waitFor(rdpButton, 'the RDP now button');
  const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: button.backendDOMNodeId })) as {
    model: { content: number[] };
  };
  const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
  await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  const frame = await waitFor(
    async () => page.frames().find((f) => f.url().includes('/report/index.html')) ?? null,
    'the report frame',
  );
  await frame.getByText(/Sign-in is not set up/).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: 'test-results/portal-report.png' });
});
