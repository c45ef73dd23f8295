/**
 * What a user meets when something is missing, each as its one sentence in the page: no companion host, no RDP
 * client, a cancelled sign-in — and the host's refusal of a forbidden setting, as the background receives it.
 * Each case is a fresh browser (a new profile, no sign-in session).
 */
import { readFileSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SignInMethod } from '../../extension/settings';
import { canonicalizeRdp } from '../../shared/rdp-file';
import { type BrowserOptions, type BrowserSession, launchBrowser } from '../../sim/browser';
import { applyDemoSettings, type Demo, startDemo } from '../../sim/demo';
import { openReport } from '../../sim/drive';
import { testTls } from '../support/test-azure';

let demo: Demo;
beforeAll(async () => {
  demo = await startDemo({ tls: testTls() });
});
afterAll(async () => {
  await demo?.close();
});

async function browser(
  options: Partial<BrowserOptions>,
  signIn: SignInMethod = 'host',
): Promise<BrowserSession> {
  const session = await launchBrowser({
    headless: true,
    hostResolverRules: demo.resolverRules,
    hostConfig: demo.hostConfig,
    ...options,
  });
  await applyDemoSettings(session.worker, undefined, signIn);
  return session;
}

/** Opens vm-ready's report and signs in on the simulated authority's page. */
async function readyReport(session: BrowserSession) {
  const signIn = session.context.waitForEvent('page', {
    predicate: (p) => p.url().includes('login.microsoftonline.com'),
  });
  const opened = await openReport(session.context, demo.vmPageUrl(demo.arm.vm('vm-ready')), 'vm-ready');
  await (await signIn).getByRole('button', { name: 'Sign in' }).click();
  return opened.report;
}

/** A missing set-up step is shown with the set-up page, never with a bare "Try again" (issue 12 point 4). */
async function expectSetupStep(report: Frame): Promise<void> {
  const link = report.getByRole('link', { name: 'Open the set-up page' });
  await link.waitFor();
  expect(await link.getAttribute('href')).toMatch(/^chrome-extension:\/\/[a-p]{32}\/welcome\/index\.html$/);
  expect(await report.getByRole('button', { name: 'Try again' }).count()).toBe(0);
}

it('no companion host: the report says how to install it (signing in needs it too)', async () => {
  const session = await browser({ installHost: false });
  try {
    const { report } = await openReport(session.context, demo.vmPageUrl(demo.arm.vm('vm-ready')), 'vm-ready');
    await report
      .getByText(/companion host is not installed: install the RDP now companion/)
      .waitFor({ timeout: 30_000 });
    await expectSetupStep(report);
  } finally {
    await session.close();
  }
}, 60_000);

it('no companion host, own app registration: the checks still run and the .rdp can be downloaded', async () => {
  const session = await browser({ installHost: false }, 'app-registration');
  try {
    const report = await readyReport(session);
    await report
      .getByText(/companion host is not installed: install the RDP now companion/)
      .waitFor({ timeout: 30_000 });
    // The same canonical .rdp the host would launch, downloaded, which the host's validator accepts as is.
    const button = report.getByRole('button', { name: 'Download .rdp' });
    await button.waitFor();
    await new Promise((r) => setTimeout(r, 400));
    const page = report.page();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('vm-ready.rdp');
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = bytes.subarray(2).toString('utf16le');
    expect(canonicalizeRdp(text).text).toBe(text);
    expect(text).toMatch(/^full address:s:20\.50\.1\.10:3389\r\n/);
  } finally {
    await session.close();
  }
}, 60_000);

it('no RDP client on the machine: the report says what to install', async () => {
  const session = await browser({ env: { PATH: '/nonexistent' } });
  try {
    const report = await readyReport(session);
    await report
      .getByText(/No Remote Desktop client was found; install Remmina/)
      .waitFor({ timeout: 30_000 });
    await expectSetupStep(report);
  } finally {
    await session.close();
  }
}, 60_000);

it.each(['host', 'app-registration'] as const)(
  'sign-in cancelled (%s): closing the sign-in page says so, and nothing is read from Azure',
  async (method) => {
    const session = await browser({}, method);
    try {
      const armBefore = demo.arm.requests.length;
      const signIn = session.context.waitForEvent('page', {
        predicate: (p) => p.url().includes('login.microsoftonline.com'),
      });
      const { report } = await openReport(
        session.context,
        demo.vmPageUrl(demo.arm.vm('vm-ready')),
        'vm-ready',
      );
      await (await signIn).close();
      await report.getByText(/Sign-in was cancelled/).waitFor({ timeout: 30_000 });
      expect(demo.arm.requests.length).toBe(armBefore);
    } finally {
      await session.close();
    }
  },
  60_000,
);

it('the host refuses a forbidden setting: the background gets the refusal as advice naming it', async () => {
  const session = await browser({ env: { RDPNOW_CLIENT: '/bin/true' } });
  try {
    const refusal = await session.worker.evaluate(() =>
      (
        globalThis as unknown as { rdpNow: { host: { launch(rdp: string, c: string): Promise<unknown> } } }
      ).rdpNow.host
        .launch('full address:s:10.0.0.4\r\nalternate shell:s:cmd.exe', 'auto')
        .then(
          () => null,
          (error: { advice?: unknown }) => error.advice,
        ),
    );
    expect(refusal).toEqual({
      code: 'E_RDP_FORBIDDEN',
      message: 'The setting "alternate shell" is not allowed.',
    });
  } finally {
    await session.close();
  }
}, 60_000);
