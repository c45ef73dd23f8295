/** Reading what the extension and the simulated ARM hold, for the browser tests (no product code reads this). */
import type { BrowserContext, Worker } from 'playwright-core';
import type { AddedRule } from '../../extension/messages';
import type { SimulatedAzure } from '../../sim/arm/index';

/** The URL of one of the extension's pages, e.g. `popup/index.html`, beside its background script. */
export function extensionUrl(worker: Worker, path: string): string {
  return worker.url().replace('background.js', path);
}

/** The NSG rules the extension recorded as added (storage.local, as the background keeps them). */
export function storedRules(worker: Worker): Promise<AddedRule[]> {
  return worker.evaluate(
    async () => ((await chrome.storage.local.get('addedRules')).addedRules ?? []) as never,
  );
}

/** Rewrites the stored expiry of every added rule (the background's alarm follows the store). */
export function expireStoredRulesAt(worker: Worker, at: number): Promise<void> {
  return worker.evaluate(async (iso) => {
    const { addedRules } = await chrome.storage.local.get('addedRules');
    await chrome.storage.local.set({
      addedRules: (addedRules as Array<Record<string, unknown>>).map((r) => ({ ...r, expires: iso })),
    });
  }, new Date(at).toISOString());
}

export function badgeText(worker: Worker): Promise<string> {
  return worker.evaluate(() => chrome.action.getBadgeText({}));
}

/** The names of the security rules an NSG of the simulated ARM has now. */
export async function nsgRuleNames(arm: SimulatedAzure, nsgId: string): Promise<string[]> {
  // The simulation accepts any bearer token; this run trusts its certificate (test/support/global-setup.ts).
  const reply = await fetch(`${arm.url}${nsgId}?api-version=2024-05-01`, {
    headers: { authorization: 'Bearer test-token' },
  });
  if (!reply.ok) throw new Error(`reading ${nsgId} from the simulated ARM failed: ${reply.status}`);
  const nsg = (await reply.json()) as { properties: { securityRules?: Array<{ name: string }> } };
  return (nsg.properties.securityRules ?? []).map((r) => r.name);
}

/** Stops the extension's service worker as Chromium does when it is idle (CDP, from an extension page). */
export async function stopServiceWorkers(context: BrowserContext, worker: Worker): Promise<void> {
  const page = await context.newPage();
  await page.goto(extensionUrl(worker, 'options/index.html'));
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await page.close();
}
