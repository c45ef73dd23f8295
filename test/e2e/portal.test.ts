/**
 * The built extension on a portal VM page in real headless Chromium: the button appears for a VM URL, follows
 * the portal's single-page navigation, and a trusted click opens the report, which says what to set up.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserSession, launchBrowser } from '../../sim/browser';
import { clickRdpNow, waitFor } from '../../sim/drive';
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
  // No host: the first thing a new user meets is what to set up.
  session = await launchBrowser({
    headless: true,
    installHost: false,
    hostResolverRules: `MAP portal.azure.com 127.0.0.1:${portal.port}`,
  });
  page = await session.context.newPage();
  cdp = await session.context.newCDPSession(page);
});
afterAll(async () => {
  await session?.close();
  await portal?.close();
});

/** The RDP now button's accessible name, or null when there is none. */
async function rdpButtonName(): Promise<string | null> {
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: Array<{ role?: { value: string }; name?: { value: string }; ignored?: boolean }>;
  };
  const node = nodes.find(
    (n) => !n.ignored && n.role?.value === 'button' && /RDP now/.test(n.name?.value ?? ''),
  );
  return node?.name?.value ?? null;
}

it('shows an accessible "RDP now" button on a VM page', async () => {
  await page.goto(`https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM}/overview`);
  expect(await waitFor(rdpButtonName, 'the RDP now button')).toMatch(/vm-ready/);
});

it('follows single-page navigation: no button off a VM page, back on another VM', async () => {
  await page.evaluate(() => {
    location.hash = '#home';
  });
  await waitFor(async () => (await rdpButtonName()) === null, 'the button to go');
  await page.evaluate((id) => {
    location.hash = `#resource${id.replace('vm-ready', 'vm-jit')}/overview`;
  }, VM);
  await waitFor(async () => /vm-jit/.test((await rdpButtonName()) ?? ''), 'the button for vm-jit');
});

it('a trusted click opens the report in place, which says what to set up first', async () => {
  await clickRdpNow(page, cdp, 'vm-jit');
  const frame = await waitFor(
    () => page.frames().find((f) => f.url().includes('/report/index.html')),
    'the report frame',
  );
  // Signing in with no app registration goes through the host, so the host is the first step.
  await frame
    .getByText(/companion host is not installed: install the RDP now companion/)
    .waitFor({ timeout: 10_000 });
});

it('page scripts cannot press the button: synthetic clicks are ignored', async () => {
  page = await session.context.newPage();
  cdp = await session.context.newCDPSession(page);
  await page.goto(`https://portal.azure.com/#resource${VM}/overview`);
  await waitFor(rdpButtonName, 'the RDP now button');
  const reports = () => page.frames().filter((f) => f.url().includes('/report/')).length;
  // Everything a page script can reach: its own synthetic events on the button's host element.
  await page.evaluate(() => {
    for (const el of document.querySelectorAll('*')) {
      if (el.shadowRoot === null && el.tagName.includes('-'))
        el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(reports()).toBe(0);
});
