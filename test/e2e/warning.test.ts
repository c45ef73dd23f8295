/**
 * A warning never launches by itself (issue 13 point 9), in real headless Chromium with the simulated Azure, the
 * real host and the real FreeRDP client: a VM whose report is ready but not sure of every check keeps its report
 * open, says what it could not be sure of and offers "Connect anyway"; only that press launches, once, and the
 * panel then says what it started (client and address) and closes. A VM every check passes launches once by
 * itself on the click (also flows.test.ts, on first use, and intent.test.ts); here the panel's words and close.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Demo } from '../../sim/demo';
import type { DemoClient } from '../../sim/demo-client';
import { waitFor } from '../../sim/drive';
import { ownRuns, press } from '../support/client-runs';
import { type DemoBrowser, openVmReport, startDemoBrowser } from '../support/demo-browser';

let run: DemoBrowser;
let demo: Demo;
let client: DemoClient;

beforeAll(async () => {
  run = await startDemoBrowser();
  ({ demo, client } = run);
}, 60_000);
afterAll(() => run?.close());

/** Where the demo client's launches stand: started (the client names its file first thing) and ended. */
const counts = () => ({ started: client.fileNames().length, ended: client.runs().length });

/**
 * Every client run since `before`, once this test's own run to `address` and every other client started since
 * then have ended: a launch nobody asked for is counted from its start, however late it ends.
 */
async function launchesSince(before: ReturnType<typeof counts>, address: string) {
  await ownRuns(client, before.ended, address);
  await waitFor(() => {
    const now = counts();
    // At least: a run that started before `before` and ended since is counted too, and fails the test.
    return now.ended - before.ended >= now.started - before.started;
  }, 'every started client to end');
  return client.runs().slice(before.ended);
}

const statusOf = (report: Frame) => report.getByRole('status').textContent();
const panelOpen = async (page: Page) => (await page.locator('rdp-now-panel').count()) === 1;

it('a warning: the report stays open, names what it could not be sure of, and only "Connect anyway" launches, once', async () => {
  const before = counts();
  // The NSG admits RDP by a service-tag rule (AzureCloud), which cannot be resolved offline: ready, with a warning.
  const { page, report } = await openVmReport(run.session, demo, 'vm-service-tag', true);
  const connectAnyway = report.getByRole('button', { name: 'Connect anyway', exact: true });
  await connectAnyway.waitFor({ timeout: 30_000 });
  // Settled: nothing running (the button is enabled) and the verdict said, not a launch under way.
  await waitFor(() => connectAnyway.isEnabled(), 'Connect anyway to be enabled');
  expect(await statusOf(report)).toBe('vm-service-tag is ready for Remote Desktop.');
  expect(counts()).toEqual(before);
  expect(await panelOpen(page)).toBe(true);
  // What it could not be sure of: said above the button, and in the check itself.
  await report.getByText('Not every check could be sure (see the warnings below)').waitFor();
  const nsg = report.locator('[data-check="nsg"]');
  expect(await nsg.locator('.status').textContent()).toContain('Warning');
  expect(await nsg.locator('.summary').textContent()).toMatch(
    /by rule AllowRdpFromAzureCloud only if that rule applies \(service tag AzureCloud cannot be resolved offline\)/,
  );
  expect(await report.getByRole('button', { name: 'Connect', exact: true }).count()).toBe(0);

  await press(report, 'Connect anyway');
  await report.getByText('Started the custom client for 20.50.1.100:3389 via public IP.').waitFor();
  expect(await launchesSince(before, '20.50.1.100:3389')).toEqual([{ exit: 0, address: '20.50.1.100:3389' }]);
  await waitFor(async () => !(await panelOpen(page)), 'the panel to close after the launch');
  await page.close();
}, 120_000);

it('every check passes: the click launches once by itself, the panel says what it started and closes', async () => {
  const before = counts();
  const { page, report } = await openVmReport(run.session, demo, 'vm-multi-nic', false);
  await report
    .getByText('Started the custom client for 20.50.1.90:3389 via public IP.')
    .waitFor({ timeout: 30_000 });
  expect(await launchesSince(before, '20.50.1.90:3389')).toEqual([{ exit: 0, address: '20.50.1.90:3389' }]);
  await waitFor(async () => !(await panelOpen(page)), 'the panel to close after the launch');
  await page.close();
}, 90_000);
