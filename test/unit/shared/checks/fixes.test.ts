import { describe, expect, it } from 'vitest';
import type { JitPolicy } from '../../../../shared/azure/shapes';
import { jitRequest, ourRuleExpiry, plannedRules, RULE_PREFIX } from '../../../../shared/checks/fixes';
import { activeGrant, coveringPolicy, type FixPlan } from '../../../../shared/checks/judge';

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

function policy(requests: NonNullable<JitPolicy['properties']['requests']> = []): JitPolicy {
  return {
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default',
    name: 'default',
    properties: {
      virtualMachines: [
        { id: VM.toLowerCase(), ports: [{ number: 3389, maxRequestAccessDuration: 'PT3H', protocol: '*' }] },
      ],
      requests,
    },
  };
}

const request = (prefix: string, end: string, status = 'Initiated') => ({
  virtualMachines: [
    { id: VM, ports: [{ number: 3389, endTimeUtc: end, status, allowedSourceAddressPrefix: prefix }] },
  ],
});

describe('just-in-time policies', () => {
  it('finds the policy covering the VM (ids compared case-insensitively) and port', () => {
    expect(coveringPolicy([policy()], VM, 3389)?.rule.maxRequestAccessDuration).toBe('PT3H');
    expect(coveringPolicy([policy()], VM, 3390)).toBeNull();
    expect(coveringPolicy([policy()], `${VM}2`, 3389)).toBeNull();
  });

  it('recognises an active grant for the source IP, not an expired, revoked or someone else’s', () => {
    const later = '2026-11-25T12:00:00Z';
    expect(activeGrant(policy([request('203.0.113.7', later)]), VM, 3389, '203.0.113.7', NOW)).toEqual(
      new Date(later),
    );
    expect(
      activeGrant(policy([request('203.0.113.0/24', later)]), VM, 3389, '203.0.113.7', NOW),
    ).not.toBeNull();
    expect(activeGrant(policy([request('*', later)]), VM, 3389, '203.0.113.7', NOW)).not.toBeNull();
    expect(
      activeGrant(policy([request('203.0.113.7', '2026-11-25T09:00:00Z')]), VM, 3389, '203.0.113.7', NOW),
    ).toBeNull();
    expect(
      activeGrant(policy([request('203.0.113.7', later, 'Revoked')]), VM, 3389, '203.0.113.7', NOW),
    ).toBeNull();
    expect(activeGrant(policy([request('198.51.100.1', later)]), VM, 3389, '203.0.113.7', NOW)).toBeNull();
  });
});
