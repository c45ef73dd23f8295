/**
 * The popup in real Chromium (issue 13.16): keyboard paths through the recent VMs, target sizes as laid out, no
 * Connect for a Linux VM, a primary Start VM for a stopped one, and rows that show the check after a fix.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DemoBrowser, openVmReport, startDemoBrowser } from '../support/demo-browser';
import { extensionUrl } from '../support/extension-state';

let run: DemoBrowser;
let nsgReport: Frame;
let popup: Page;

/** Opens a VM's report and waits for what its check offers; the first one signs in. */
async function checked(name: string, shows: RegExp, signIn = false) {
  const opened = await openVmReport(run.session, run.demo, name, signIn);
  await opened.report.getByText(shows).first().waitFor({ timeout: 30_000 });
  return opened;
}

beforeAll(async () => {
  run = await startDemoBrowser();
  (await checked('vm-deallocated', /deallocated/, true)).page.close();
  (await checked('vm-linux', /runs Linux/)).page.close();
  nsgReport = (await checked('vm-nsg-deny', /DenyAllInBound/)).report;
  popup = await run.session.context.newPage();
  await popup.setViewportSize({ width: 420, height: 640 });
  await popup.goto(extensionUrl(run.session.worker, 'popup/index.html'));
  await popup.getByText('vm-deallocated').first().waitFor();
}, 120_000);
afterAll(async () => {
  await run?.close();
});

const focused = () => popup.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null);
const row = (name: string) => popup.getByRole('listitem', { name, exact: true });

it('a Linux VM has no Connect; a Windows VM has', async () => {
  await row('vm-linux').waitFor();
  expect(
    await row('vm-linux')
      .getByRole('button', { name: /^Connect/ })
      .count(),
  ).toBe(0);
  expect(await row('vm-deallocated').getByRole('button', { name: 'Connect to vm-deallocated' }).count()).toBe(
    1,
  );
});

it('pin and remove are targets of at least 24 × 24 px', async () => {
  const sizes = await popup.evaluate(() =>
    [...document.querySelectorAll('.vm-actions button.icon')].map((b) => {
      const r = b.getBoundingClientRect();
      return Math.min(r.width, r.height);
    }),
  );
  expect(sizes).toHaveLength(6);
  for (const size of sizes) expect(size).toBeGreaterThanOrEqual(24);
});

it('Tab stops once per VM; arrow keys move between the VMs and along a row', async () => {
  // Most recent first: vm-nsg-deny, vm-linux, vm-deallocated. The search field has the focus.
  await popup.getByRole('searchbox').focus();
  await popup.keyboard.press('Tab');
  expect(await focused()).toBe('Connect to vm-nsg-deny');
  await popup.keyboard.press('Tab');
  expect(await focused()).toBe('Pin vm-linux');
  await popup.keyboard.press('ArrowDown');
  expect(await focused()).toBe('Connect to vm-deallocated');
  await popup.keyboard.press('ArrowRight');
  expect(await focused()).toBe('Pin vm-deallocated');
  await popup.keyboard.press('ArrowUp');
  expect(await focused()).toBe('Remove vm-linux from recent VMs');
  // Home and End keep the control's place in the row, as Up and Down do.
  await popup.keyboard.press('Home');
  expect(await focused()).toBe('Pin vm-nsg-deny');
  await popup.keyboard.press('End');
  expect(await focused()).toBe('Pin vm-deallocated');
});

it('a fix in the report refreshes the open popup’s row', async () => {
  expect(await row('vm-nsg-deny').getByText('Not ready', { exact: true }).count()).toBe(1);
  await nsgReport.getByRole('button', { name: 'Add rule for my IP' }).click();
  await nsgReport.getByRole('button', { name: 'Add the rule' }).click();
  await row('vm-nsg-deny').getByText('Ready', { exact: true }).waitFor({ timeout: 30_000 });
});

it('a stopped VM’s row offers Start VM as the primary action, and shows the VM ready after it', async () => {
  await popup.getByRole('button', { name: 'Connect to vm-deallocated' }).click();
  const start = row('vm-deallocated').getByRole('button', { name: 'Start VM', exact: true });
  await start.waitFor({ timeout: 30_000 });
  expect(await start.evaluate((b) => b.classList.contains('primary'))).toBe(true);
  await start.click();
  await row('vm-deallocated').getByText('Ready', { exact: true }).waitFor({ timeout: 30_000 });
  expect(await start.count()).toBe(0);
});
