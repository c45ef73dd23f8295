/**
 * A real Firefox ESR with the built extension installed as a temporary add-on and the host registered for its
 * fresh HOME — the Firefox twin of sim/browser.ts, driven by puppeteer-core over WebDriver BiDi (recipe:
 * docs/notes/browser-e2e.md). Firefox has no resolver rules: a CONNECT proxy in this process sends each real
 * host name to its simulation, so the extension runs its production endpoints unchanged.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { FIREFOX_EXTENSION_ID } from '../shared/protocol';
import { writeHostConfig } from './browser';
import { waitFor } from './drive';

export const FIREFOX = process.env.RDPNOW_FIREFOX ?? '/usr/bin/firefox-esr';

export interface FirefoxSession {
  browser: Browser;
  /** `moz-extension://<uuid>/`: fixed before launch, so pages can be opened and frames recognised. */
  origin: string;
  home: string;
  /** Opens an extension page (e.g. `options/index.html`) in a new tab and waits until it has loaded. */
  openExtensionPage(file: string): Promise<Page>;
  /** Stores items in the extension's storage as its pages do (the background page is no BiDi target). */
  writeStorage(items: Record<string, unknown>): Promise<void>;
  /** One item of the extension's storage, read as its pages do. */
  readStorage(key: string): Promise<unknown>;
  /** Uncaught errors of the extension's own scripts so far, as Firefox writes them to stderr. */
  extensionErrors(): string[];
  close(): Promise<void>;
}

export interface FirefoxOptions {
  headless: boolean;
  extensionDir?: string;
  /** Extra environment for the browser, and so for the host it starts (e.g. RDPNOW_CLIENT). */
  env?: Record<string, string>;
  /** Real host name → the local port of its simulation (HTTPS on 443 is all that is proxied). */
  hosts: Record<string, number>;
  /** Register the companion host for this HOME (default true). */
  installHost?: boolean;
  /** The host's own config file for this HOME (e.g. the simulation's sign-in, see sim/demo.ts). */
  hostConfig?: (home: string) => object;
  /** More Firefox preferences for this profile. */
  prefs?: Record<string, unknown>;
}

export async function launchFirefox(options: FirefoxOptions): Promise<FirefoxSession> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-firefox-'));
  if (options.hostConfig) writeHostConfig(home, options.hostConfig(home));
  if (options.installHost ?? true) {
    // Firefox reads ~/.mozilla/native-messaging-hosts of the HOME it runs with.
    const install = spawnSync(
      process.execPath,
      [path.resolve('dist/host/rdp-now.mjs'), 'install', '--browser', 'firefox'],
      { env: { ...process.env, HOME: home }, encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`host install failed: ${install.stderr || install.stdout}`);
  }
  const proxy = await startProxy(options.hosts);
  const uuid = randomUUID();
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: options.headless,
      userDataDir: path.join(home, 'profile'),
      acceptInsecureCerts: true,
      // Lets the driver open moz-extension:// pages in a tab: test profiles only.
      args: ['--remote-allow-system-access'],
      env: { ...(process.env as Record<string, string>), HOME: home, ...options.env },
      extraPrefsFirefox: {
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.no_proxies_on': '',
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_EXTENSION_ID]: uuid }),
        // Firefox's own switch for automated runs: an optional permission asked for (the Bastion's host, in the
        // options page) is granted as the person at the keyboard would.
        'extensions.webextOptionalPermissionPrompts': false,
        ...options.prefs,
      },
    });
    await browser.installExtension(path.resolve(options.extensionDir ?? 'dist/firefox'));
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await proxy.close();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  const origin = `moz-extension://${uuid}/`;
  const started = browser;
  const errors: string[] = [];
  started
    .process()
    ?.stderr?.setEncoding('utf8')
    .on('data', (chunk: string) => {
      for (const line of chunk.split('\n'))
        if (line.startsWith('JavaScript error:') && line.includes(origin)) errors.push(line);
    });
  const openExtensionPage = async (file: string): Promise<Page> => {
    const page = await started.newPage();
    const url = `${origin}${file}`;
    // Firefox's BiDi reports no navigation inside extension documents, so `goto` never settles: poll instead.
    page.goto(url, { timeout: 0 }).catch(() => undefined);
    await waitFor(
      () =>
        page
          .evaluate((u) => location.href === u && document.readyState === 'complete', url)
          .catch(() => false),
      `${file} to load`,
    );
    return page;
  };
  return {
    browser: started,
    origin,
    home,
    openExtensionPage,
    async writeStorage(items) {
      const page = await openExtensionPage('options/index.html');
      try {
        await page.evaluate(
          (i) => (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.set(i),
          items,
        );
      } finally {
        await page.close();
      }
    },
    async readStorage(key) {
      const page = await openExtensionPage('options/index.html');
      try {
        return await page.evaluate(
          async (k) =>
            (await (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.get(k))[k],
          key,
        );
      } finally {
        await page.close();
      }
    },
    extensionErrors: () => [...errors],
    async close() {
      await started.close().catch(() => undefined);
      await proxy.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The report frame of a page: BiDi shows its URL as about:blank, so it is recognised by its own location. */
export function reportFrame(page: Page, origin: string): Promise<Frame> {
  return waitFor(async () => {
    for (const frame of page.frames()) {
      const href = await frame.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(`${origin}report/`)) return frame;
    }
    return null;
  }, 'the report');
}

/** Opens a VM's portal page, clicks "RDP now" with a trusted click, and returns the report frame. */
export async function openReportFirefox(
  session: FirefoxSession,
  url: string,
): Promise<{ page: Page; report: Frame }> {
  const page = await session.browser.newPage();
  await page.goto(url);
  const host = await page.waitForSelector('rdp-now-button', { timeout: 20_000 });
  const box = await waitFor(() => host?.boundingBox(), 'the RDP now button to be laid out');
  // The button fills its host; a mouse click over BiDi is a trusted event, as the content script demands.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  return { page, report: await reportFrame(page, session.origin) };
}

/**
 * Presses a button by its name as a keyboard user does: focus, then a trusted Enter. (A mouse click on an element
 * inside the report iframe needs BiDi's `locateNodes` by context, which Firefox 140 refuses.)
 */
export async function pressFirefox(frame: Frame, name: string, timeoutMs = 30_000): Promise<void> {
  const find = (label: string, focus: boolean) => {
    const button = [...document.querySelectorAll('button')].find(
      (b) =>
        !b.disabled &&
        b.getClientRects().length > 0 &&
        (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === label,
    );
    if (focus) button?.focus();
    return button !== undefined;
  };
  await waitFor(
    () => frame.evaluate(find, name, false).catch(() => false),
    `the button "${name}"`,
    timeoutMs,
  );
  // On screen for a moment first, as a person reads before pressing (extension/report/visibility.ts).
  await new Promise((r) => setTimeout(r, 400));
  await frame.evaluate(find, name, true);
  await frame.page().keyboard.press('Enter');
}

interface Proxy {
  port: number;
  close(): Promise<void>;
}

/** A CONNECT proxy that tunnels the mapped host names to the simulations and refuses everything else. */
async function startProxy(hosts: Record<string, number>): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => res.writeHead(403).end());
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    const [host = '', port = ''] = (req.url ?? '').split(':');
    const target = hosts[host];
    // Firefox's own traffic (remote settings, the identity redirect host) is refused: nothing leaves the machine.
    if (port !== '443' || target === undefined) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(target, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      // Tunnelled sockets are not the server's connections: without this, close waits for Firefox's.
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Suspends the add-on's event page as Firefox does when it has been idle. Firefox keeps an event page alive while
 * it holds a native messaging port, so first the port is closed as the background's own idle close does after a
 * minute (extension/background/native-port.ts), then about:debugging's "Terminate background script" is pressed
 * (the same call Firefox's idle timer makes). Reloading the add-on (`runtime.reload`) is not the same: it
 * restarts every page and re-runs the install. Resolves once about:debugging says "Stopped".
 */
export async function terminateBackgroundScript(session: FirefoxSession): Promise<void> {
  // The confirmation page without a target asks the background nothing on load, so nothing reopens the host's
  // port once it is closed here (the options page asks the host for its account, and that kept it open).
  const extensionPage = await session.openExtensionPage('confirm/index.html');
  await extensionPage.evaluate(async () => {
    type Background = { rdpNow: { host: { close(): void } } };
    type Api = { runtime: { getBackgroundPage(): Promise<Background> } };
    (
      await (globalThis as unknown as { browser: Api }).browser.runtime.getBackgroundPage()
    ).rdpNow.host.close();
  });
  await extensionPage.close();
  const page = await session.browser.newPage();
  try {
    // A privileged page, like moz-extension:// ones: reachable with --remote-allow-system-access, and `goto`
    // does not settle there either.
    page.goto('about:debugging#/runtime/this-firefox', { timeout: 0 }).catch(() => undefined);
    const card = (id: string) => {
      const item = [...document.querySelectorAll('li')].find(
        (li) => li.textContent?.includes(id) && li.textContent.includes('Background script'),
      );
      if (!item) return null;
      // biome-ignore lint/performance/useDomNodeTextContent: what is rendered is what a person reads.
      return item.innerText;
    };
    const before = await waitFor(
      () => page.evaluate(card, FIREFOX_EXTENSION_ID).catch(() => null),
      'the add-on in about:debugging',
    );
    if (!/Background script\s+Running/.test(before))
      throw new Error(`the background was not running: ${before}`);
    // about:debugging acts on a trusted click only; its CSP rules out Puppeteer's text selectors.
    for (const button of await page.$$('li.debug-target-item button'))
      if ((await button.evaluate((b) => b.textContent)) === 'Terminate background script')
        await button.click();
    await waitFor(
      async () => /Background script\s+Stopped/.test((await page.evaluate(card, FIREFOX_EXTENSION_ID)) ?? ''),
      'about:debugging to say the background script stopped',
    );
  } finally {
    await page.close();
  }
}
