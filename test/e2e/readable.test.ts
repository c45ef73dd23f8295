/**
 * Every extension page is readable (issue 13 point 14), in real headless Chromium: Chromium's own stylesheet for
 * extension pages sets the body to 75 %, so each page must set its text back, to at least 14 CSS px at 100 %
 * zoom; and at 200 % zoom (the same CSS layout in half the CSS pixels of the window) nothing needs a horizontal
 * scroll bar and every button stays inside the page.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM_WINDOW } from '../../extension/ui/confirm-target';
import type { BrowserSession } from '../../sim/browser';
import { applyDemoSettings, type Demo } from '../../sim/demo';
import { openReport } from '../../sim/drive';
import { type DemoBrowser, startDemoBrowser } from '../support/demo-browser';
import { extensionUrl } from '../support/extension-state';

let demo: Demo;
let session: BrowserSession;

let running: DemoBrowser | undefined;

beforeAll(async () => {
  running = await startDemoBrowser();
  ({ demo, session } = running);
  await applyDemoSettings(session.worker);
}, 60_000);
afterAll(() => running?.close());

/** Every visible element with text of its own, and its computed font size, smallest first. */
function textSizes(frame: Page | Frame): Promise<Array<{ text: string; px: number }>> {
  return frame.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()))
      .filter((e) => e.getClientRects().length > 0 && !e.closest('.visually-hidden'))
      .map((e) => ({
        text: e.textContent?.trim().slice(0, 40) ?? '',
        px: Number.parseFloat(getComputedStyle(e).fontSize),
      }))
      .sort((a, b) => a.px - b.px),
  );
}

/** What does not fit across the page: a horizontal scroll, or buttons and fields past its right edge. */
function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide =
      document.documentElement.scrollWidth > width
        ? [`page ${document.documentElement.scrollWidth} px > ${width} px`]
        : [];
    const out = [...document.querySelectorAll('button, input, select, a')]
      .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > width + 0.5)
      .map((e) => `${e.tagName.toLowerCase()} "${e.textContent?.trim() || e.getAttribute('aria-label')}"`);
    return [...wide, ...out];
  });
}

const half = (size: { width: number; height: number }) => ({
  width: Math.floor(size.width / 2),
  height: Math.floor(size.height / 2),
});

interface ExtensionPage {
  name: string;
  path: string;
  /** The window at 100 % zoom, and the CSS px it has at 200 %. */
  size: { width: number; height: number };
  zoomed: { width: number; height: number };
  /** What the user waits for before reading it. */
  ready: string;
}

/**
 * A popup grows with its content up to 800 × 600 device px, so at 200 % it has 400 × 300 CSS px; the report's
 * panel keeps its 420 CSS px (min(420px, 100vw) of a page twice as large) in half the height.
 */
const PAGES: ExtensionPage[] = [
  {
    name: 'popup',
    path: 'popup/index.html',
    size: { width: 380, height: 600 },
    zoomed: { width: 400, height: 300 },
    ready: 'Recent VMs',
  },
  {
    name: 'options',
    path: 'options/index.html',
    size: { width: 900, height: 800 },
    zoomed: half({ width: 900, height: 800 }),
    ready: 'Connecting',
  },
  {
    name: 'set-up',
    path: 'welcome/index.html',
    size: { width: 900, height: 800 },
    zoomed: half({ width: 900, height: 800 }),
    ready: 'Your public IP address',
  },
  {
    name: 'confirmation',
    path: 'confirm/index.html?host=10.0.0.4&port=3390',
    size: CONFIRM_WINDOW,
    zoomed: half(CONFIRM_WINDOW),
    ready: 'Connect',
  },
  {
    name: 'report',
    path: 'report/index.html?vm=VM',
    size: { width: 420, height: 720 },
    zoomed: { width: 420, height: 360 },
    ready: 'Checks',
  },
];

const pageUrl = (path: string) =>
  extensionUrl(session.worker, path.replace('VM', encodeURIComponent(demo.arm.vm('vm-nsg-deny'))));

describe('text at 14 px or more', () => {
  it('the report, in the portal panel', async () => {
    const signIn = session.context.waitForEvent('page', {
      predicate: (p) => p.url().includes('login.microsoftonline.com'),
      timeout: 30_000,
    });
    const { page, report } = await openReport(
      session.context,
      demo.vmPageUrl(demo.arm.vm('vm-nsg-deny')),
      'vm-nsg-deny',
    );
    const login = await signIn;
    await login.getByRole('button', { name: 'Sign in' }).click();
    await report.getByRole('button', { name: 'Add rule for my IP' }).waitFor({ timeout: 30_000 });
    const sizes = await textSizes(report);
    expect(sizes.length).toBeGreaterThan(10);
    expect(sizes.filter((s) => s.px < 14)).toEqual([]);
    await page.close();
  }, 90_000);

  for (const { name, path, size, ready } of PAGES.filter((p) => p.name !== 'report')) {
    it(`the ${name} page`, async () => {
      const page = await session.context.newPage();
      await page.setViewportSize(size);
      await page.goto(pageUrl(path));
      await page.getByText(ready).first().waitFor();
      const sizes = await textSizes(page);
      expect(sizes.length).toBeGreaterThan(2);
      expect(sizes.filter((s) => s.px < 14)).toEqual([]);
      await page.close();
    }, 30_000);
  }
});

describe('layouts hold at 200 % zoom', () => {
  for (const { name, path, zoomed, ready } of PAGES) {
    it(`the ${name} page`, async () => {
      const page = await session.context.newPage();
      await page.setViewportSize(zoomed);
      await page.goto(pageUrl(path));
      await page.getByText(ready).first().waitFor({ timeout: 30_000 });
      expect(await overflow(page)).toEqual([]);
      await page.screenshot({ path: `test-results/zoom-200-${name}.png`, fullPage: true });
      await page.close();
    }, 60_000);
  }
});
