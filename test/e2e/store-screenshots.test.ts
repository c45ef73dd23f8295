/**
 * The stores' screenshots, taken from the product itself in real headless Chromium over the simulated Azure
 * (test/support/demo-browser.ts: real host, real FreeRDP client and server): the report on a ready VM after
 * sign-in, the popup's recent VMs over that portal page, and the set-up page once everything is done. Each is
 * exactly 1280 × 800, the size the Chrome Web Store asks for, written to dist/store-screenshots for
 * scripts/package.mjs to copy beside the zips.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pngSize } from '../../scripts/png-size.mjs';
import { openReport } from '../../sim/drive';
import { type DemoBrowser, startDemoBrowser } from '../support/demo-browser';
import { extensionUrl } from '../support/extension-state';

const SHOTS = path.resolve('dist/store-screenshots');
const SIZE = { width: 1280, height: 800 };

let run: DemoBrowser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  run = await startDemoBrowser();
}, 60_000);
afterAll(async () => {
  await run?.close();
});

/** Writes the page's 1280 × 800 screenshot as `name` and checks the file's own size. */
async function shoot(page: Page, name: string): Promise<string> {
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  expect(pngSize(readFileSync(file))).toEqual(SIZE);
  return file;
}

const extensionPage = (page: string) => extensionUrl(run.session.worker, page);

let portalShot = '';

it('the report on a ready VM, signed in and connected', async () => {
  const signInPage = run.session.context.waitForEvent('page', {
    predicate: (p) => p.url().includes('login.microsoftonline.com'),
    timeout: 30_000,
  });
  const { page, report } = await openReport(
    run.session.context,
    run.demo.vmPageUrl(run.demo.arm.vm('vm-ready')),
    'vm-ready',
  );
  const login = await signInPage;
  await login.getByRole('button', { name: 'Sign in' }).click();
  await login.waitForEvent('close', { timeout: 30_000 });
  await page.setViewportSize(SIZE);
  await report.getByText(/Started/).waitFor({ timeout: 30_000 });
  portalShot = await shoot(page, '1-report-ready.png');
  await page.close();
}, 90_000);

it('the popup with the recent VM, as it opens over the portal page', async () => {
  const popup = await run.session.context.newPage();
  // Measured in a short window, the page's scroll height is its content's, as the toolbar sizes the popup.
  await popup.setViewportSize({ width: 420, height: 100 });
  await popup.goto(extensionPage('popup/index.html'));
  await popup.getByText('vm-ready').first().waitFor();
  const height = await popup.evaluate(() => document.documentElement.scrollHeight);
  await popup.setViewportSize({ width: 420, height });
  const popupPng = await popup.screenshot();
  await popup.close();
  // The toolbar's popup is outside any page a screenshot can take: placed where it opens, under the toolbar.
  const frame = await run.session.context.newPage();
  await frame.setViewportSize(SIZE);
  const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
  await frame.setContent(
    `<body style="margin:0"><img src="${dataUrl(readFileSync(portalShot))}" style="display:block">` +
      `<img src="${dataUrl(popupPng)}" style="position:absolute;top:8px;right:16px;` +
      'box-shadow:0 4px 24px rgb(0 0 0 / 35%);border-radius:8px"></body>',
  );
  await frame.evaluate(() => Promise.all([...document.images].map((img) => img.decode())));
  await shoot(frame, '2-popup.png');
  await frame.close();
}, 60_000);

it('the set-up page with every step done', async () => {
  const setup = await run.session.context.newPage();
  await setup.setViewportSize(SIZE);
  await setup.goto(extensionPage('welcome/index.html'));
  const step = (name: RegExp) =>
    setup.locator('li', { has: setup.getByRole('heading', { name }) }).getByText('Done');
  await step(/RDP now companion/).waitFor({ timeout: 15_000 });
  await step(/Sign-in to Azure/).waitFor({ timeout: 15_000 });
  await shoot(setup, '3-setup.png');
  await setup.close();
}, 60_000);
