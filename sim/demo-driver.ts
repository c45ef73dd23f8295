/**
 * One way to drive the product as a user does, over either browser: open a VM's portal page and press "RDP now",
 * sign in on the page that opens, read the report and press its buttons. Chromium is driven with Playwright,
 * Firefox ESR with Puppeteer over WebDriver BiDi; the flows (sim/start.ts, the tests) are written once on top.
 */
import type { BrowserContext, Page as PlaywrightPage } from 'playwright-core';
import type { Frame as PuppeteerFrame } from 'puppeteer-core';
import { type BrowserSession, launchBrowser } from './browser';
import type { Demo } from './demo';
import { demoSettings } from './demo';
import { openReport, waitFor } from './drive';
import { type FirefoxSession, launchFirefox, openReportFirefox, pressFirefox } from './firefox';

export const BROWSERS = ['chromium', 'firefox'] as const;
export type BrowserName = (typeof BROWSERS)[number];

/** The report frame, whichever driver shows it. */
export interface Report {
  /** The text a person reads there now. */
  text(): Promise<string>;
  /** The names of the buttons on show. */
  buttons(): Promise<string[]>;
  /** Presses a button as a person does: once it has been on screen for a moment (extension/report/visibility.ts). */
  press(name: string): Promise<void>;
}

export interface DemoBrowser {
  name: BrowserName;
  /** Opens the VM's portal page, presses "RDP now" with a trusted click, and returns the report. */
  openVm(url: string): Promise<Report>;
  /** Resolves once a sign-in page opened, and presses its "Sign in". */
  signInWhenAsked(): Promise<void>;
  /** Opens the page for a person at the keyboard (no clicking). */
  show(url: string): Promise<void>;
  closed(): Promise<void>;
  close(): Promise<void>;
}

export interface DemoBrowserOptions {
  browser: BrowserName;
  headless: boolean;
  demo: Demo;
  env: Record<string, string>;
  user: string;
}

// Both drivers' frames run these in the page, where the DOM is.
// biome-ignore lint/performance/useDomNodeTextContent: what is rendered is what a person reads.
const readText = () => document.body?.innerText ?? '';
const readButtons = () =>
  [...document.querySelectorAll('button')]
    .filter((b) => !b.disabled && b.getClientRects().length > 0)
    .map((b) => (b.textContent ?? '').trim());

export async function launchDemoBrowser(options: DemoBrowserOptions): Promise<DemoBrowser> {
  const settings = demoSettings(options.user);
  if (options.browser === 'firefox') {
    const session = await launchFirefox({
      headless: options.headless,
      hosts: options.demo.hosts,
      hostConfig: options.demo.hostConfig,
      env: options.env,
    });
    await session.storeSettings(settings);
    return firefoxDriver(session);
  }
  const session = await launchBrowser({
    headless: options.headless,
    hostResolverRules: options.demo.resolverRules,
    hostConfig: options.demo.hostConfig,
    env: options.env,
    // A person at a desktop answers the Bastion's permission prompt; a headless run cannot (see sim/browser.ts).
    grantOptionalHosts: options.headless,
  });
  await session.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
  return chromiumDriver(session);
}

function chromiumDriver(session: BrowserSession): DemoBrowser {
  const context: BrowserContext = session.context;
  return {
    name: 'chromium',
    async openVm(url) {
      const vmName = /virtualMachines\/([^/?#]+)/i.exec(decodeURIComponent(url))?.[1] ?? '';
      const { report } = await openReport(context, url, vmName);
      return {
        text: () => report.evaluate(readText),
        buttons: () => report.evaluate(readButtons),
        async press(name) {
          const button = report.getByRole('button', { name, exact: true });
          await button.waitFor({ timeout: 30_000 });
          await new Promise((r) => setTimeout(r, 400));
          await button.click();
        },
      };
    },
    async signInWhenAsked() {
      const page: PlaywrightPage = await context.waitForEvent('page', {
        predicate: (p) => p.url().includes('login.microsoftonline.com'),
        timeout: 30_000,
      });
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    async show(url) {
      await (await context.newPage()).goto(url);
    },
    closed: () => new Promise((resolve) => context.on('close', () => resolve())),
    close: () => session.close(),
  };
}

function firefoxDriver(session: FirefoxSession): DemoBrowser {
  return {
    name: 'firefox',
    async openVm(url) {
      const { report } = await openReportFirefox(session, url);
      const frame: PuppeteerFrame = report;
      return {
        text: () => frame.evaluate(readText),
        buttons: () => frame.evaluate(readButtons),
        press: (name) => pressFirefox(frame, name),
      };
    },
    async signInWhenAsked() {
      const target = await session.browser.waitForTarget(
        (t) => t.url().includes('login.microsoftonline.com'),
        {
          timeout: 30_000,
        },
      );
      await (await target.page())?.locator('#sign-in').click();
    },
    async show(url) {
      await (await session.browser.newPage()).goto(url);
    },
    closed: () => new Promise((resolve) => session.browser.once('disconnected', () => resolve())),
    close: () => session.close(),
  };
}

/** What the report settles on: launched, or a fix / Connect to press, or a verdict with nothing to press. */
export type ReportState =
  | { kind: 'started'; text: string }
  | { kind: 'press'; button: string }
  | { kind: 'stuck'; text: string };

const NEXT_PRESS = ['Start VM', 'Request access', 'Connect'];

/** A report that shows the same text, with nothing to press, for this long has said all it will. */
const SETTLED_MS = 3_000;

export async function nextState(report: Report, timeoutMs = 60_000): Promise<ReportState> {
  let seen = { text: '', since: Date.now() };
  return waitFor(
    async () => {
      const [text, buttons] = await Promise.all([
        report.text().catch(() => ''),
        report.buttons().catch((): string[] => []),
      ]);
      if (/Started/.test(text)) return { kind: 'started', text } as const;
      const button = NEXT_PRESS.find((b) => buttons.includes(b));
      if (button) return { kind: 'press', button } as const;
      // Progress ("Starting the VM…") is not a verdict, however long it takes.
      if (text.includes('…')) return null;
      if (text !== seen.text) seen = { text, since: Date.now() };
      return text.trim() && Date.now() - seen.since > SETTLED_MS ? ({ kind: 'stuck', text } as const) : null;
    },
    'the report to settle',
    timeoutMs,
  );
}
