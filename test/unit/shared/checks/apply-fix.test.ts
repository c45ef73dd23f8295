import { describe, expect, it } from 'vitest';
import type { Arm, PollOptions } from '../../../../shared/azure/arm';
import { applyFix, type FixProgress, planFix } from '../../../../shared/checks/apply-fix';
import type { FixPlan } from '../../../../shared/checks/judge';

const VM_ID =
  '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1';
const NSG_ID =
  '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg1';
const NOW = new Date('2026-11-25T10:00:00.000Z');
const PLAN: FixPlan = {
  startVm: true,
  jit: { policyId: '/jit/policy', port: 3389, maxDuration: 'PT3H' },
  nsgRules: [{ nsgId: NSG_ID, nsgName: 'nsg1', priority: 100, destinationIp: '10.0.0.4', port: 3389 }],
};
const input = (sourceIp: string | null) => ({
  plan: PLAN,
  vm: { id: VM_ID, name: 'vm1' },
  sourceIp,
  now: NOW,
});

/** An ARM client that records each write and reports one status on long-running ones. */
function recordingArm(calls: string[]): Arm {
  return {
    get: () => Promise.reject(new Error('no reads expected')),
    list: () => Promise.reject(new Error('no lists expected')),
    send: async (method, path, _api, _body, poll?: PollOptions) => {
      calls.push(`${method} ${path}`);
      poll?.onProgress?.('InProgress');
      return {};
    },
  };
}

describe('planFix', () => {
  it('needs the source IP for JIT and NSG fixes, not for a start', () => {
    expect(planFix('start-vm', input(null))).toEqual({ fix: 'start-vm', vm: { id: VM_ID, name: 'vm1' } });
    expect(planFix('request-jit', input(null))).toBeNull();
    expect(planFix('add-nsg-rule', input(null))).toBeNull();
  });

  it('needs a JIT policy to request access', () => {
    expect(planFix('request-jit', { ...input('203.0.113.7'), plan: { ...PLAN, jit: null } })).toBeNull();
  });

  it('plans the request and the rules from the given time', () => {
    const jit = planFix('request-jit', input('203.0.113.7'));
    expect(jit?.policyId).toBe('/jit/policy');
    expect(jit?.body.virtualMachines[0]?.ports[0]?.endTimeUtc).toBe('2026-11-25T13:00:00.000Z');
    const nsg = planFix('add-nsg-rule', input('203.0.113.7'));
    expect(nsg?.rules.map((r) => [r.name, r.expires])).toEqual([
      ['rdp-now-203-0-113-7-3389', '2026-11-25T18:00:00.000Z'],
    ]);
  });
});

describe('applyFix', () => {
  it('starts the VM and reports its status', async () => {
    const calls: string[] = [];
    const events: FixProgress[] = [];
    const step = planFix('start-vm', input(null));
    if (!step) throw new Error('no step');
    await applyFix(recordingArm(calls), step, (e) => events.push(e));
    expect(calls).toEqual([`POST ${VM_ID}/start`]);
    expect(events).toEqual([{ kind: 'starting', status: 'InProgress', seconds: 0 }]);
  });

  it('initiates the JIT request', async () => {
    const calls: string[] = [];
    const step = planFix('request-jit', input('203.0.113.7'));
    if (!step) throw new Error('no step');
    await applyFix(recordingArm(calls), step);
    expect(calls).toEqual(['POST /jit/policy/initiate']);
  });

  it('adds each rule, saying so before and after', async () => {
    const calls: string[] = [];
    const events: string[] = [];
    const step = planFix('add-nsg-rule', input('203.0.113.7'));
    if (!step) throw new Error('no step');
    await applyFix(recordingArm(calls), step, (e) => events.push(`${e.kind}`));
    expect(calls).toEqual([`PUT ${NSG_ID}/securityRules/rdp-now-203-0-113-7-3389`]);
    expect(events).toEqual(['adding-rule', 'rule-added']);
  });

  it('lets Azure refusals through as they are', async () => {
    const refused = new Error('refused');
    const arm: Arm = { ...recordingArm([]), send: () => Promise.reject(refused) };
    const step = planFix('request-jit', input('203.0.113.7'));
    if (!step) throw new Error('no step');
    await expect(applyFix(arm, step)).rejects.toBe(refused);
  });
});
