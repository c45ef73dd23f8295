/**
 * One way to drive the product as a user does, over either browser: open a VM's portal page and press "RDP now",
 * sign in on the page that opens, read the report and press its buttons. Chromium is driven with Playwright,
 * Firefox ESR with Puppeteer over WebDriver BiDi; the flows (sim/start.ts, the tests) are written once on top.
 */
import type { BrowserContext, Frame as PlaywrightFrame, Page as PlaywrightPage } from 'playwright-core';
import type { KeyInput, Frame as PuppeteerFrame } from 'puppeteer-core';
import type { SignInMethod } from '../extension/settings';
import { type BrowserSession, launchBrowser } from './browser';
import type { Demo } from './demo';
import { demoSettings } from './demo';
import { openReport, waitFor } from './drive';
import {
  type FirefoxSession,
  launchFirefox,
  openReportFirefox,
  pressFirefox,
  terminateBackgroundScript,
} from './firefox';

export const BROWSERS = ['chromium', 'firefox'] as const;
export type BrowserName = (typeof BROWSERS)[number];

/** A page or frame of the product (the report, the popup, the confirmation), whichever driver shows it. */
export interface Surface {
  /** The text a person reads there now. */
  text(): Promise<string>;
  /** The names of the buttons on show. */
  buttons(): Promise<string[]>;
  /** Presses a button as a person does: once it has been on screen for a moment (extension/report/visibility.ts). */
  press(name: string): Promise<void>;
  /** Moves the keyboard focus to the control (a button, a radio) of this name. */
  focus(name: string): Promise<void>;
  /** Presses a key on the keyboard, where the focus is (e.g. `Space`, `ArrowRight`). */
  key(key: string): Promise<void>;
  /** Whether the radio or checkbox of this name is checked. */
  checked(name: string): Promise<boolean>;
  /** The name of the control that has the focus ('' when none has). */
  focused(): Promise<string>;
  /** Closes the tab it is in. */
  close(): Promise<void>;
}

/** The report frame. */
export interface Report extends Surface {
  /** Whether the report panel is still on the portal page (it closes itself after a launch). */
  panelOpen(): Promise<boolean>;
}

/** The panel's host element, which the content script removes when the panel closes (extension/content/view.ts). */
const panelOnPage = () => document.querySelector('rdp-now-panel') !== null;

/** The sign-in page the product opened, once its "Sign in" was pressed. */
export interface SignIn {
  url: string;
  /** Resolves when the page has gone (the product closes it after the answer). */
  closed(): Promise<void>;
}

/** What a call into the background's `rdpNow` test handle returned or threw (its `advice`, if any). */
export type BackgroundResult = { value: unknown } | { error: unknown };

export interface DemoBrowser {
  name: BrowserName;
  /** The temporary HOME the browser, and so the host it starts, runs with. */
  home: string;
  /** Opens the VM's portal page, presses "RDP now" with a trusted click, and returns the report. */
  openVm(url: string): Promise<Report>;
  /** Resolves once a sign-in page opened and its "Sign in" was pressed. */
  signInWhenAsked(): Promise<SignIn>;
  /** Resolves once a sign-in page opened and was closed, as a person who changed their mind does. */
  cancelSignInWhenAsked(): Promise<void>;
  /** Opens an extension page (e.g. `popup/index.html`) in a tab. */
  openExtensionPage(file: string): Promise<Surface>;
  /** The extension page the product opens itself (e.g. `confirm/`), once it is there. */
  extensionPageOpened(file: string): Promise<Surface>;
  /** One item of the extension's local storage. */
  readStorage(key: string): Promise<unknown>;
  /** Stores items in the extension's local storage, as its pages do. */
  writeStorage(items: Record<string, unknown>): Promise<void>;
  /** Calls `globalThis.rdpNow.<path>(...args)` in the background (what native UI such as a context menu calls). */
  callBackground(path: string, args: unknown[]): Promise<BackgroundResult>;
  /**
   * Unloads the background as the browser does when it is idle (Chromium stops the service worker, Firefox
   * suspends the event page); its state in memory and its port to the host go with it.
   */
  unloadBackground(): Promise<void>;
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
  user?: string;
  signIn?: SignInMethod;
  /** Register the companion host (default true; false shows what a user without it meets). */
  installHost?: boolean;
}

// Both drivers' frames run these in the page, where the DOM is.
// biome-ignore lint/performance/useDomNodeTextContent: what is rendered is what a person reads.
const readText = () => document.body?.innerText ?? '';
const readButtons = () =>
  [...document.querySelectorAll('button')]
    .filter((b) => !b.disabled && b.getClientRects().length > 0)
    .map((b) => (b.textContent ?? '').trim());

interface ControlQuery {
  /** null: the control that has the focus. */
  name: string | null;
  focus: boolean;
}

/** Finds the control of this name (its aria-label, its label, or its text), focuses it when asked, and says how it stands. */
const control = ({ name, focus }: ControlQuery) => {
  const nameOf = (el: HTMLButtonElement | HTMLInputElement) =>
    (el.getAttribute('aria-label') ?? (el.labels?.[0] ?? el).textContent ?? '').trim();
  const found =
    name === null
      ? document.activeElement
      : [...document.querySelectorAll('button, input')].find(
          (el) => nameOf(el as HTMLInputElement) === name && el.getClientRects().length > 0,
        );
  if (!(found instanceof HTMLButtonElement || found instanceof HTMLInputElement)) return null;
  if (focus) found.focus();
  return { name: nameOf(found), checked: found instanceof HTMLInputElement && found.checked };
};

/** The keyboard-side reads of a surface, over whichever driver runs `control` in its frame. */
function controls(
  evaluate: (query: ControlQuery) => Promise<ReturnType<typeof control>>,
): Pick<Surface, 'focus' | 'checked' | 'focused'> {
  const state = async (name: string, focus: boolean) => {
    const found = await evaluate({ name, focus });
    if (!found) throw new Error(`no control named "${name}" is on show`);
    return found;
  };
  return {
    focus: async (name) => void (await state(name, true)),
    checked: async (name) => (await state(name, false)).checked,
    focused: async () => (await evaluate({ name: null, focus: false }))?.name ?? '',
  };
}

/** Runs in the background (Chromium's worker) or in an extension page that reaches it (Firefox). */
const callRdpNow = async ({ path, args, viaPage }: { path: string; args: unknown[]; viaPage: boolean }) => {
  type Api = { runtime: { getBackgroundPage(): Promise<unknown> } };
  const global = viaPage
    ? await (globalThis as unknown as { browser: Api }).browser.runtime.getBackgroundPage()
    : globalThis;
  const names = path.split('.');
  const method = names.pop() ?? '';
  let target = (global as { rdpNow: Record<string, unknown> }).rdpNow;
  for (const name of names) target = target[name] as Record<string, unknown>;
  try {
    return { value: await (target[method] as (...a: unknown[]) => unknown)(...args) };
  } catch (error) {
    return { error: (error as { advice?: unknown }).advice ?? String(error) };
  }
};

export async function launchDemoBrowser(options: DemoBrowserOptions): Promise<DemoBrowser> {
  const settings = demoSettings(options.user, options.signIn);
  const common = {
    headless: options.headless,
    hostConfig: options.demo.hostConfig,
    env: options.env,
    ...(options.installHost !== undefined && { installHost: options.installHost }),
  };
  if (options.browser === 'firefox') {
    const session = await launchFirefox({ ...common, hosts: options.demo.hosts });
    try {
      await session.writeStorage({ settings });
    } catch (error) {
      await session.close();
      throw error;
    }
    return firefoxDriver(session);
  }
  const session = await launchBrowser({
    ...common,
    hostResolverRules: options.demo.resolverRules,
    // A person at a desktop answers the Bastion's permission prompt; a headless run cannot (see sim/browser.ts).
    grantOptionalHosts: options.headless,
  });
  await session.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
  return chromiumDriver(session);
}

function chromiumSurface(frame: PlaywrightFrame): Surface {
  return {
    text: () => frame.evaluate(readText),
    buttons: () => frame.evaluate(readButtons),
    async press(name) {
      const button = frame.getByRole('button', { name, exact: true });
      await button.waitFor({ timeout: 30_000 });
      await new Promise((r) => setTimeout(r, 400));
      await button.click();
    },
    ...controls((query) => frame.evaluate(control, query)),
    key: (key) => frame.page().keyboard.press(key),
    close: () => frame.page().close(),
  };
}

function chromiumDriver(session: BrowserSession): DemoBrowser {
  const context: BrowserContext = session.context;
  const origin = session.worker.url().replace('background.js', '');
  const signInPage = () =>
    context.waitForEvent('page', {
      predicate: (p) => p.url().includes('login.microsoftonline.com'),
      timeout: 30_000,
    });
  // A stopped worker is replaced by a new one when an event wakes the extension.
  const worker = () =>
    context
      .serviceWorkers()
      .filter((w) => w.url().startsWith(origin))
      .at(-1) ?? session.worker;
  return {
    name: 'chromium',
    home: session.home,
    async openVm(url) {
      const vmName = /virtualMachines\/([^/?#]+)/i.exec(decodeURIComponent(url))?.[1] ?? '';
      const { page, report } = await openReport(context, url, vmName);
      return { ...chromiumSurface(report), panelOpen: () => page.evaluate(panelOnPage) };
    },
    async signInWhenAsked() {
      const page: PlaywrightPage = await signInPage();
      const url = page.url();
      await page.getByRole('button', { name: 'Sign in' }).click();
      return { url, closed: () => page.waitForEvent('close', { timeout: 30_000 }).then(() => undefined) };
    },
    async cancelSignInWhenAsked() {
      await (await signInPage()).close();
    },
    async openExtensionPage(file) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 420, height: 640 });
      await page.goto(`${origin}${file}`);
      return chromiumSurface(page.mainFrame());
    },
    async extensionPageOpened(file) {
      const page =
        context.pages().find((p) => p.url().startsWith(`${origin}${file}`)) ??
        (await context.waitForEvent('page', {
          predicate: (p) => p.url().startsWith(`${origin}${file}`),
          timeout: 15_000,
        }));
      return chromiumSurface(page.mainFrame());
    },
    readStorage: (key) => worker().evaluate(async (k) => (await chrome.storage.local.get(k))[k], key),
    writeStorage: (items) => worker().evaluate((i) => chrome.storage.local.set(i), items),
    callBackground: (path, args) => worker().evaluate(callRdpNow, { path, args, viaPage: false }),
    async unloadBackground() {
      const page = await context.newPage();
      await page.goto(`${origin}options/index.html`);
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await page.close();
    },
    async show(url) {
      await (await context.newPage()).goto(url);
    },
    closed: () => new Promise((resolve) => context.on('close', () => resolve())),
    close: () => session.close(),
  };
}

function firefoxSurface(frame: PuppeteerFrame): Surface {
  return {
    text: () => frame.evaluate(readText),
    buttons: () => frame.evaluate(readButtons),
    press: (name) => pressFirefox(frame, name),
    ...controls((query) => frame.evaluate(control, query)),
    // Puppeteer's BiDi keyboard knows the space bar by its key, not by Playwright's name for it.
    key: (key) => frame.page().keyboard.press((key === 'Space' ? ' ' : key) as KeyInput),
    close: () => frame.page().close(),
  };
}

function firefoxDriver(session: FirefoxSession): DemoBrowser {
  const signInTarget = () =>
    session.browser.waitForTarget((t) => t.url().includes('login.microsoftonline.com'), { timeout: 30_000 });
  return {
    name: 'firefox',
    home: session.home,
    async openVm(url) {
      const { page, report } = await openReportFirefox(session, url);
      return { ...firefoxSurface(report), panelOpen: () => page.evaluate(panelOnPage) };
    },
    async signInWhenAsked() {
      const target = await signInTarget();
      const url = target.url();
      await (await target.page())?.locator('#sign-in').click();
      return {
        url,
        closed: () =>
          waitFor(
            () => !session.browser.targets().includes(target),
            'the sign-in page to close',
            30_000,
          ).then(() => undefined),
      };
    },
    async cancelSignInWhenAsked() {
      await (await (await signInTarget()).page())?.close();
    },
    async openExtensionPage(file) {
      return firefoxSurface((await session.openExtensionPage(file)).mainFrame());
    },
    async extensionPageOpened(file) {
      // BiDi shows extension tabs as about:blank: each is recognised by its own location.
      const page = await waitFor(async () => {
        for (const page of await session.browser.pages()) {
          const href = await page.evaluate(() => location.href).catch(() => '');
          if (href.startsWith(`${session.origin}${file}`)) return page;
        }
        return null;
      }, `${file} to open`);
      return firefoxSurface(page.mainFrame());
    },
    async callBackground(path, args) {
      // The background page is no BiDi target: an extension page reaches it through runtime.getBackgroundPage().
      const page = await session.openExtensionPage('options/index.html');
      try {
        return await page.evaluate(callRdpNow, { path, args, viaPage: true });
      } finally {
        await page.close();
      }
    },
    readStorage: (key) => session.readStorage(key),
    writeStorage: (items) => session.writeStorage(items),
    unloadBackground: () => terminateBackgroundScript(session),
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
