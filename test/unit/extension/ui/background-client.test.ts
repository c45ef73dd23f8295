/**
 * The pages' side of the message table: every reply from the background is validated with the reply schema of
 * its request type (extension/messages.ts) before a page sees it.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const sendMessage = vi.hoisted(() => vi.fn<(message: unknown) => Promise<unknown>>());
vi.stubGlobal('browser', { runtime: { id: 'rdp-now@rdpnow.dev', sendMessage } });

const { ask, ReplyError } = await import('../../../../extension/ui/background-client');
const { errorText, NO_BACKGROUND } = await import('../../../../extension/ui/format');
const { createReportStore } = await import('../../../../extension/report/store');
const { targetFromQuery } = await import('../../../../extension/report/target');

const VM =
  '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1';
const RECENT = {
  id: VM,
  name: 'vm1',
  resourceGroup: 'rg',
  subscriptionId: '6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c',
  cloud: 'AzureCloud',
  lastResult: 'ready',
  lastSummary: 'Ready to connect.',
  lastCheckedAt: 1,
  pinned: false,
};

beforeEach(() => sendMessage.mockReset());

describe('ask: the background’s replies, validated', () => {
  it('passes a well-formed reply through', async () => {
    sendMessage.mockResolvedValue({ recents: [RECENT] });
    await expect(ask({ type: 'ui:recents' })).resolves.toEqual({ recents: [RECENT] });
    expect(sendMessage).toHaveBeenCalledWith({ type: 'ui:recents' });
  });

  it('refuses a malformed reply with an error that names the request and what is wrong', async () => {
    sendMessage.mockResolvedValue({ recents: [{ ...RECENT, cloud: 'AzureMoon' }] });
    const asked = ask({ type: 'ui:recents' });
    await expect(asked).rejects.toBeInstanceOf(ReplyError);
    await expect(asked).rejects.toThrow(
      /^RDP now's background answered "ui:recents" with a reply this page cannot read \(recents\.0\.cloud: .*"AzureMoon"\): reload the extension\.$/,
    );
  });

  it.each([
    ['a reply of another request', 'ui:auth-state', { rules: [] }, /signedIn/],
    ['a result that is neither ok nor failed', 'ui:sign-in', { signedIn: true }, /ok/],
    [
      'advice with a code no page knows',
      'ui:sign-in',
      { ok: false, error: { code: 'E_X', message: 'x' } },
      /error\.code/,
    ],
    ['a report without its checks', 'ui:fix', { ok: true, report: { ready: true } }, /report\./],
  ] as const)('refuses %s', async (_, type, reply, problem) => {
    sendMessage.mockResolvedValue(reply);
    const message = type === 'ui:fix' ? { type, vmId: VM, fix: 'start-vm' as const } : { type };
    await expect(ask(message)).rejects.toThrow(problem);
  });

  it('says the background did not answer when nothing came back', async () => {
    sendMessage.mockResolvedValue(undefined);
    const error = await ask({ type: 'ui:host-status' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyError);
    expect(errorText(error)).toBe(NO_BACKGROUND);
  });

  it('a malformed reply reaches the report page as its one sentence, not as a broken report', async () => {
    sendMessage.mockResolvedValue({ ok: true, report: { vm: { id: VM } } });
    const target = targetFromQuery(`?vm=${encodeURIComponent(VM)}`);
    if (!('vm' in target)) throw new Error('bad fixture');
    const store = createReportStore(ask, target);
    await store.check();
    expect(store.report.value).toBeNull();
    expect(store.error.value).toEqual({
      code: 'E_NO_ANSWER',
      message: expect.stringMatching(/answered "ui:check" with a reply this page cannot read \(report\.vm\./),
    });
  });
});
