import { describe, expect, it } from 'vitest';
import { jitRequest, ourRuleExpiry, plannedRules, RULE_PREFIX } from '../../../../shared/checks/fixes';
import type { FixPlan } from '../../../../shared/checks/judge';

const VM =
  '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1';
const NOW = new Date('2026-11-25T10:00:00.000Z');

describe('jitRequest', () => {
  const jit = { policyId: '/p', port: 3389, maxDuration: 'PT3H' };

  it('asks for the portal default of three hours from the source IP alone', () => {
    expect(jitRequest(jit, VM, '203.0.113.7', NOW)).toEqual({
      virtualMachines: [
        {
          id: VM,
          ports: [
            {
              number: 3389,
              endTimeUtc: '2026-11-25T13:00:00.000Z',
              allowedSourceAddressPrefix: '203.0.113.7',
            },
          ],
        },
      ],
      justification: 'Remote Desktop requested with RDP now',
    });
  });

  it('stays within a shorter policy maximum', () => {
    const body = jitRequest({ ...jit, maxDuration: 'PT1H' }, VM, '203.0.113.7', NOW);
    expect(body.virtualMachines[0]?.ports[0]?.endTimeUtc).toBe('2026-11-25T11:00:00.000Z');
  });
});

describe('plannedRules', () => {
  const plan: FixPlan = {
    startVm: false,
    jit: null,
    nsgRules: [
      {
        nsgId: '/x/networkSecurityGroups/nsg1',
        nsgName: 'nsg1',
        priority: 4095,
        destinationIp: '10.0.2.4',
        port: 3389,
      },
    ],
  };

  it('allows TCP from the source IP /32 to the private IP and port, named and dated for cleanup', () => {
    expect(plannedRules(plan, '203.0.113.7', NOW, 8)).toEqual([
      {
        nsgId: '/x/networkSecurityGroups/nsg1',
        nsgName: 'nsg1',
        name: 'rdp-now-203-0-113-7-3389',
        expires: '2026-11-25T18:00:00.000Z',
        properties: {
          protocol: 'Tcp',
          sourceAddressPrefix: '203.0.113.7/32',
          sourcePortRange: '*',
          destinationAddressPrefix: '10.0.2.4',
          destinationPortRange: '3389',
          access: 'Allow',
          priority: 4095,
          direction: 'Inbound',
          description: 'Added by RDP now for 203.0.113.7; expires 2026-11-25T18:00:00.000Z.',
        },
      },
    ]);
  });

  it('uses /128 for IPv6 and refuses a non-address', () => {
    expect(plannedRules(plan, '2001:db8::7', NOW, 1)[0]?.properties.sourceAddressPrefix).toBe(
      '2001:db8::7/128',
    );
    expect(() => plannedRules(plan, 'evil; rm', NOW, 1)).toThrow(/not an IP address/);
  });

  it('is recognised by cleanup, with its expiry; other rules are not ours', () => {
    const [rule] = plannedRules(plan, '203.0.113.7', NOW, 8);
    expect(ourRuleExpiry(rule as never)).toEqual(new Date('2026-11-25T18:00:00.000Z'));
    expect(
      ourRuleExpiry({ name: 'RDP', properties: { description: rule?.properties.description } }),
    ).toBeNull();
    expect(ourRuleExpiry({ name: `${RULE_PREFIX}x`, properties: { description: 'hand-made' } })).toBeNull();
  });
});
