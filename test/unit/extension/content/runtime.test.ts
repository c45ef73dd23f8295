import { describe, expect, it } from 'vitest';
import { pageReply, tabMessage } from '../../../../extension/content/runtime';
import type { VmRef } from '../../../../extension/messages';

const VM1: VmRef = {
  id: '/subscriptions/6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
  name: 'vm1',
  resourceGroup: 'rg',
  subscriptionId: '6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f',
};

describe("the background's answers, checked", () => {
  it.each([
    undefined,
    null,
    'x',
    {},
    { vm: {} },
    { vm: { id: 'a', name: 'b' } },
    { vm: { ...VM1, name: 3 } },
  ])('pageReply treats the malformed answer %j as "no VM"', (reply) => {
    expect(pageReply(reply)).toBeNull();
  });

  it('pageReply drops an empty tenant', () => {
    expect(pageReply({ vm: VM1, tenant: '' })).toEqual({ vm: VM1 });
  });

  it('tabMessage accepts only the two background messages', () => {
    expect(tabMessage({ type: 'bg:open-report' })).toBe('bg:open-report');
    expect(tabMessage({ type: 'bg:close-report' })).toBe('bg:close-report');
    expect(tabMessage({ type: 'bg:progress' })).toBeNull();
    expect(tabMessage(null)).toBeNull();
    expect(tabMessage('bg:open-report')).toBeNull();
  });
});
