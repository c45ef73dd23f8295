/**
 * NSG rules RDP now added really expire (issue 13.7), in real Chromium against the simulated ARM: the background's
 * alarm removes an expired rule from Azure; when the token cannot be renewed silently, the rule stays, the badge
 * counts it and the popup shows it expired with its Remove.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../../sim/drive';
import { type DemoBrowser, openVmReport, startDemoBrowser } from '../support/demo-browser';
import {
  badgeText,
  expireStoredRulesAt,
  extensionUrl,
  nsgRuleNames,
  storedRules,
} from '../support/extension-state';

let run: DemoBrowser;

beforeAll(async () => {
  run = await startDemoBrowser();
}, 60_000);
afterAll(async () => {
  await run?.close();
});

/** The report of vm-nsg-deny: "Add rule for my IP" pressed (after signing in when asked); returns the rule. */
async function addRule(signIn: boolean) {
  const { page, report } = await openVmReport(run.session, run.demo, 'vm-nsg-deny', signIn);
  const button = report.getByRole('button', { name: 'Add rule for my IP' });
  await button.waitFor({ timeout: 30_000 });
  // A report button acts once it has been on screen for a moment (report/visibility.ts).
  await new Promise((r) => setTimeout(r, 400));
  await button.click();
  await report.getByRole('button', { name: 'Add the rule' }).click();
  const [rule] = await waitFor(async () => {
    const rules = await storedRules(run.session.worker);
    return rules.length > 0 && rules;
  }, 'the added rule in storage');
  await page.close();
  if (!rule) throw new Error('no rule');
  expect(await nsgRuleNames(run.demo.arm, rule.nsgId)).toContain(rule.ruleName);
  return rule;
}

it('an expired rule is removed from Azure by the alarm, with no badge left', async () => {
  const rule = await addRule(true);
  await expireStoredRulesAt(run.session.worker, Date.now() + 1000);
  await waitFor(
    async () => !(await nsgRuleNames(run.demo.arm, rule.nsgId)).includes(rule.ruleName),
    'the alarm to remove the rule from the simulated ARM',
    60_000,
  );
  expect(run.demo.arm.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(rule.ruleName))).toBe(
    true,
  );
  await waitFor(
    async () => (await storedRules(run.session.worker)).length === 0,
    'the store to forget the rule',
  );
  expect(await badgeText(run.session.worker)).toBe('');
}, 120_000);

it('with no silent sign-in the expired rule stays: badge, and the popup shows it expired with Remove', async () => {
  const rule = await addRule(false);
  const popup = await run.session.context.newPage();
  await popup.goto(extensionUrl(run.session.worker, 'popup/index.html'));
  await popup.getByRole('button', { name: 'Sign out' }).click();
  await popup.getByText('Not signed in.').waitFor();
  await expireStoredRulesAt(run.session.worker, Date.now() + 1000);
  await waitFor(
    async () => (await badgeText(run.session.worker)) === '1',
    'the badge of the expired rule',
    60_000,
  );
  expect(await nsgRuleNames(run.demo.arm, rule.nsgId)).toContain(rule.ruleName);
  await popup.reload();
  await popup.getByText(/^from 203\.0\.113\.7, expired /).waitFor();
  await popup.getByText('RDP now could not remove it when it expired: remove it now.').waitFor();
  await popup
    .getByRole('button', { name: `Remove rule ${rule.ruleName} from ${rule.nsgId.split('/').pop()}` })
    .waitFor();
  await popup.close();
}, 120_000);
