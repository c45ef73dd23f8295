import { describe, expect, it, vi } from 'vitest';
import type { Advice, ReplyTo, UiMessage } from '../../../../extension/messages';
import { createReportStore } from '../../../../extension/report/store';
import { type ReportTarget, targetFromQuery } from '../../../../extension/report/target';
import type { Ask } from '../../../../extension/ui/ask';
import { checkReport, VM_ID } from '../../../support/reports';

const report = (ready: boolean) =>
  checkReport(ready, [
    ready
      ? { id: 'power', status: 'pass', summary: 'The VM is running.', fixes: [] }
      : { id: 'power', status: 'fail', summary: 'The VM is deallocated.', fixes: ['start-vm'] },
  ]);

type Handler = (message: UiMessage) => unknown;

/** A fake background: each request type answers from a queue (or a function), recording every request. */
function fakeAsk(answers: Partial<Record<UiMessage['type'], unknown[] | Handler>>) {
  const sent: UiMessage[] = [];
  const ask = vi.fn(async (message: UiMessage) => {
    sent.push(message);
    const answer = answers[message.type];
    if (typeof answer === 'function') return answer(message);
    if (!answer || answer.length === 0) throw new Error(`unexpected ${message.type}`);
    const next = answer.shift();
    if (next instanceof Error) throw next;
    return next;
  });
  return { ask: ask as unknown as Ask, sent };
}

const GRANT = '0b6f3c2e-4d5a-4e6f-8a7b-9c0d1e2f3a4b';

/** A report our content script opened: it holds the frame's grant, unless `over` says otherwise. */
const target = (over: Partial<ReportTarget> = {}): ReportTarget => {
  const t = targetFromQuery(`?vm=${encodeURIComponent(VM_ID)}`);
  if (!('vm' in t)) throw new Error('bad fixture');
  return { ...t, grant: GRANT, ...over };
};
const launchOk = (): ReplyTo<{ type: 'ui:launch'; vmId: string }> => ({
  ok: true,
  launch: { client: 'mstsc', rdp: '', argv: ['mstsc', '/v:20.1.2.3:3389'] },
});

describe('the report store', () => {
  it('checks the VM in its tenant and cloud, and shows "checking" meanwhile', async () => {
    const { ask, sent } = fakeAsk({ 'ui:check': [{ ok: true, report: report(false) }] });
    const store = createReportStore(ask, target({ tenant: 'contoso.onmicrosoft.com', cloud: 'AzureCloud' }));
    const done = store.check();
    expect(store.busy.value).toEqual({ kind: 'check' });
    await done;
    expect(sent).toEqual([
      { type: 'ui:check', vmId: VM_ID, tenant: 'contoso.onmicrosoft.com', cloud: 'AzureCloud', grant: GRANT },
    ]);
    expect(store.busy.value).toBeNull();
    expect(store.report.value?.ready).toBe(false);
  });

  it('sends no tenant or cloud it does not have', async () => {
    const { ask, sent } = fakeAsk({ 'ui:check': [{ ok: true, report: report(false) }] });
    await createReportStore(ask, target()).check();
    expect(sent).toEqual([{ type: 'ui:check', vmId: VM_ID, grant: GRANT }]);
  });

  it('connects at once when the first check is ready (the one click), and only once per page load', async () => {
    const onLaunched = vi.fn();
    const { ask, sent } = fakeAsk({
      'ui:check': [
        { ok: true, report: report(true) },
        { ok: true, report: report(true) },
      ],
      'ui:launch': [launchOk()],
    });
    const store = createReportStore(ask, target(), { onLaunched });
    await store.check();
    expect(sent.map((m) => m.type)).toEqual(['ui:check', 'ui:launch']);
    expect(store.launched.value).toBe('mstsc');
    expect(onLaunched).toHaveBeenCalledWith('mstsc');
    await store.check();
    expect(sent.map((m) => m.type)).toEqual(['ui:check', 'ui:launch', 'ui:check']);
  });

  it('does not connect by itself when a check only warns (the source IP is unknown): that needs "Connect anyway"', async () => {
    const warned = checkReport(true, [
      { id: 'power', status: 'pass', summary: 'The VM is running.', fixes: [] },
      { id: 'nsg', status: 'warn', summary: 'Your IP is unknown.', fixes: [] },
    ]);
    const { ask, sent } = fakeAsk({ 'ui:check': [{ ok: true, report: warned }], 'ui:launch': [launchOk()] });
    const store = createReportStore(ask, target());
    await store.check();
    expect(sent.map((m) => m.type)).toEqual(['ui:check']);
    expect(store.launched.value).toBeNull();
    await store.connect();
    expect(sent.map((m) => m.type)).toEqual(['ui:check', 'ui:launch']);
  });

  it('does not connect by itself when the VM becomes ready only after a fix', async () => {
    const { ask, sent } = fakeAsk({
      'ui:check': [{ ok: true, report: report(false) }],
      'ui:fix': [{ ok: true, report: report(true) }],
    });
    const store = createReportStore(ask, target());
    await store.check();
    await store.fix('start-vm');
    expect(sent).toEqual([
      { type: 'ui:check', vmId: VM_ID, grant: GRANT },
      { type: 'ui:fix', vmId: VM_ID, fix: 'start-vm', grant: GRANT },
    ]);
    expect(store.report.value?.ready).toBe(true);
  });

  it('auto-connects on the first report even when the first attempt failed and was retried', async () => {
    const { ask, sent } = fakeAsk({
      'ui:check': [
        { ok: false, error: { code: 'E_SIGN_IN', message: 'Sign in again.' } },
        { ok: true, report: report(true) },
      ],
      'ui:launch': [launchOk()],
    });
    const store = createReportStore(ask, target());
    await store.check();
    expect(store.error.value?.message).toBe('Sign in again.');
    store.retry.value?.();
    await vi.waitFor(() => expect(store.launched.value).toBe('mstsc'));
    expect(sent.map((m) => m.type)).toEqual(['ui:check', 'ui:check', 'ui:launch']);
  });

  it('shows the progress lines for this VM while a fix runs, then the new report', async () => {
    let finish: (value: unknown) => void = () => {};
    const { ask } = fakeAsk({
      'ui:check': [{ ok: true, report: report(false) }],
      'ui:fix': () => new Promise((resolve) => (finish = resolve)),
    });
    const store = createReportStore(ask, target());
    await store.check();
    store.progressed({ type: 'bg:progress', vmId: VM_ID, text: 'not while idle' });
    expect(store.progress.value).toBeNull();
    const running = store.fix('start-vm');
    expect(store.busy.value).toEqual({ kind: 'fix', fix: 'start-vm' });
    store.progressed({ type: 'bg:progress', vmId: VM_ID.toLowerCase(), text: 'starting… 12 s' });
    expect(store.progress.value).toBe('starting… 12 s');
    store.progressed({ type: 'bg:progress', vmId: VM_ID.replace('vm1', 'vm2'), text: 'another VM' });
    expect(store.progress.value).toBe('starting… 12 s');
    finish({ ok: true, report: report(true) });
    await running;
    expect(store.busy.value).toBeNull();
    expect(store.progress.value).toBeNull();
    expect(store.report.value?.ready).toBe(true);
  });

  it('keeps the report under a failed fix, and "Try again" repeats that fix', async () => {
    const { ask, sent } = fakeAsk({
      'ui:check': [{ ok: true, report: report(false) }],
      'ui:fix': [
        { ok: false, error: { code: 'E_FORBIDDEN', message: 'You may not start this VM.' } },
        { ok: true, report: report(true) },
      ],
    });
    const store = createReportStore(ask, target());
    await store.check();
    await store.fix('request-jit');
    expect(store.error.value).toEqual({ code: 'E_FORBIDDEN', message: 'You may not start this VM.' });
    expect(store.report.value).not.toBeNull();
    store.retry.value?.();
    await vi.waitFor(() => expect(store.report.value?.ready).toBe(true));
    expect(sent.filter((m) => m.type === 'ui:fix')).toEqual([
      { type: 'ui:fix', vmId: VM_ID, fix: 'request-jit', grant: GRANT },
      { type: 'ui:fix', vmId: VM_ID, fix: 'request-jit', grant: GRANT },
    ]);
    expect(store.error.value).toBeNull();
  });

  it('turns a launch failure into its sentence with a retry', async () => {
    const { ask } = fakeAsk({
      'ui:check': [{ ok: true, report: report(true) }],
      'ui:launch': [{ ok: false, error: { code: 'E_NO_CLIENT', message: 'Install an RDP client.' } }],
    });
    const store = createReportStore(ask, target());
    await store.check();
    expect(store.launched.value).toBeNull();
    expect(store.error.value?.message).toBe('Install an RDP client.');
    expect(store.retry.value).not.toBeNull();
  });

  it('turns a background that throws or does not answer into one sentence', async () => {
    const { ask } = fakeAsk({
      'ui:check': [new Error('Could not establish connection. Receiving end does not exist.')],
    });
    const store = createReportStore(ask, target());
    await store.check();
    expect(store.error.value?.message).toMatch(/background did not answer/);
    const silent = createReportStore(fakeAsk({ 'ui:check': [undefined] }).ask, target());
    await silent.check();
    expect(silent.error.value?.message).toMatch(/background did not answer/);
  });

  it('runs one operation at a time (a double click sends one request)', async () => {
    const { ask, sent } = fakeAsk({
      'ui:check': [{ ok: true, report: report(false) }],
      'ui:fix': [{ ok: true, report: report(false) }],
    });
    const store = createReportStore(ask, target());
    await store.check();
    await Promise.all([store.fix('start-vm'), store.fix('start-vm'), store.connect()]);
    expect(sent.map((m) => m.type)).toEqual(['ui:check', 'ui:fix']);
  });
});

describe('clickjacking guard', () => {
  it('refuses a fix or Connect pressed while the guard says no, with its sentence; acts once it says yes', async () => {
    const { ask, sent } = fakeAsk({
      'ui:check': [{ ok: true, report: report(false) }],
      'ui:fix': [{ ok: true, report: report(false) }],
    });
    let refusal: Advice | null = { code: 'E_MOVED', message: 'The RDP now panel has just moved.' };
    const store = createReportStore(ask, target(), { refusal: () => refusal });
    await store.check();
    await store.fix('start-vm');
    expect(store.error.value?.code).toBe('E_MOVED');
    await store.connect();
    expect(store.error.value?.message).toBe('The RDP now panel has just moved.');
    expect(sent.map((m) => m.type)).toEqual(['ui:check']);
    refusal = null;
    await store.fix('start-vm');
    expect(sent.map((m) => m.type)).toEqual(['ui:check', 'ui:fix']);
  });

  it('a frame without a grant (not opened by a click) never launches by itself', async () => {
    const { ask, sent } = fakeAsk({ 'ui:check': [{ ok: true, report: report(true) }] });
    const { grant, ...planted } = target();
    expect(grant).toBeDefined();
    const store = createReportStore(ask, planted);
    await store.check();
    expect(sent.map((m) => m.type)).toEqual(['ui:check']);
    expect(store.launched.value).toBeNull();
  });

  it('the launch that follows the first ready check (the user’s own click) is not held back', async () => {
    const { ask, sent } = fakeAsk({
      'ui:check': [{ ok: true, report: report(true) }],
      'ui:launch': [launchOk()],
    });
    const hidden: Advice = { code: 'E_HIDDEN', message: 'The RDP now panel is covered.' };
    const store = createReportStore(ask, target(), { refusal: () => hidden });
    await store.check();
    expect(sent.map((m) => m.type)).toEqual(['ui:check', 'ui:launch']);
    expect(store.launched.value).toBe('mstsc');
  });
});
