/**
 * The background (Chromium service worker, Firefox event page): the message router, the native port, the
 * engine runner, the context menu and the keyboard shortcut.
 */
import browser from 'webextension-polyfill';
import { createTokenBroker, launchWebAuthFlow } from '../auth/token-broker';
import type { ProgressMessage, Replies } from '../messages';
import { SETUP_PAGE } from '../ui/setup-steps';
import { AzureSession } from './azure-session';
import { Badge } from './badge';
import { ClickChecks } from './click-checks';
import { createMenu, handleSelection, MENU_ID } from './context-menu';
import { Grants, type SessionArea } from './grants';
import { handle, loadSettings, removeAddedRule } from './handlers';
import { NativeHost } from './native-port';
import { PendingStarts } from './pending-starts';
import { route, senderKind } from './router';
import { EXPIRY_ALARM, isExpired, RuleExpiry } from './rule-expiry';
import { rulesStore } from './stores';
import { TunnelNotices } from './tunnel-notices';

const host = new NativeHost({
  connect: (name) => browser.runtime.connectNative(name) as never,
  lastError: () => (globalThis as { chrome?: typeof chrome }).chrome?.runtime?.lastError?.message,
  extensionId: browser.runtime.id,
});
const tokens = createTokenBroker(host);
const grants = new Grants(browser.storage.session as unknown as SessionArea);
const clicks = new ClickChecks<Replies['ui:check']>();
const starts = new PendingStarts(browser.storage.session as unknown as SessionArea);
const azure = new AzureSession({
  tokens,
  settings: loadSettings,
  progress: (vmId, text) => {
    const message: ProgressMessage = { type: 'bg:progress', vmId, text };
    // Only extension pages listen; nobody listening is fine.
    browser.runtime.sendMessage(message).catch(() => undefined);
  },
});

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  const kind = senderKind(sender, browser.runtime.id, browser.runtime.getURL(''));
  const routed = route(message, kind);
  if (!routed) return undefined;
  if (routed.kind === 'refused') return Promise.resolve(routed.reply);
  if (routed.kind === 'offscreen') {
    return launchWebAuthFlow(routed.message.url, routed.message.interactive).then(
      (url) => ({ ok: true, url }),
      (error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  }
  const tabId = (sender.tab as { id?: number } | undefined)?.id;
  const reportFrame = sender.url?.startsWith(browser.runtime.getURL('report/')) ?? false;
  return handle(
    routed.message,
    { azure, host, tokens, grants, clicks, starts, notices },
    { tabId, reportFrame },
  );
});

const notices: TunnelNotices = new TunnelNotices(browser.storage.session as unknown as SessionArea, (all) =>
  badge.show({ closedTunnels: all.length }),
);
const badge: Badge = new Badge(browser.action, {
  closedTunnels: async (): Promise<number> => (await notices.list()).length,
  expiredRules: async () => (await rulesStore.list()).filter((r) => isExpired(r, Date.now())).length,
});
const expiry = new RuleExpiry({
  rules: () => rulesStore.list(),
  remove: (rule) => removeAddedRule(azure, rule, false).then(() => undefined),
  alarms: browser.alarms,
  badge: (expired) => badge.show({ expiredRules: expired }),
});
// The alarm's name is all it carries; the rules it acts on are read (and validated) from storage on each wake.
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === EXPIRY_ALARM) void expiry.sweep().catch(() => undefined);
});
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'addedRules' in changes) void expiry.schedule().catch(() => undefined);
});
// A browser closed past an expiry sweeps at its next start.
browser.runtime.onStartup.addListener(() => void expiry.sweep().catch(() => undefined));

browser.tabs.onRemoved.addListener((tabId) => void grants.forget(tabId).catch(() => undefined));

browser.runtime.onInstalled.addListener(createMenu);
// A first install leads with the set-up page: everything a new user needs, each with its action.
browser.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL(SETUP_PAGE) });
});
browser.runtime.onStartup.addListener(createMenu);
browser.contextMenus.onClicked.addListener((info) => {
  if (info.menuItemId === MENU_ID && info.selectionText)
    handleSelection(info.selectionText).catch(() => undefined);
});

browser.commands.onCommand.addListener((command) => {
  if (command !== 'rdp-now') return;
  browser.tabs
    .query({ active: true, currentWindow: true })
    .then(([tab]) =>
      tab?.id !== undefined ? browser.tabs.sendMessage(tab.id, { type: 'bg:open-report' }) : undefined,
    )
    // Not a portal tab (no content script there): nothing to open.
    .catch(() => undefined);
});

// For tests and the headless demo, which drive the worker through its global scope.
Object.assign(globalThis, { rdpNow: { handleSelection, host } });
