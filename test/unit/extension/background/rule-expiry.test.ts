import { describe, expect, it } from 'vitest';
import {
  EXPIRY_ALARM,
  nextSweep,
  RETRY_MINUTES,
  RuleExpiry,
} from '../../../../extension/background/rule-expiry';
import type { AddedRule } from '../../../../extension/messages';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const M = 60_000;

function rule(name: string, expires: string): AddedRule {
  return {
    vmId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1',
    nsgId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg',
    ruleName: name,
    sourceIp: '203.0.113.7',
    expires,
  };
}
const at = (ms: number) => new Date(ms).toISOString();

describe('nextSweep: when the expiry alarm fires', () => {
  it('at the earliest expiry to come; never for no rules or rules whose expiry is not a date', () => {
    expect(nextSweep([rule('a', at(NOW + 90 * M)), rule('b', at(NOW + 5 * M))], NOW)).toBe(NOW + 5 * M);
    expect(nextSweep([], NOW)).toBeNull();
    expect(nextSweep([rule('a', 'soon')], NOW)).toBeNull();
  });

  it('retries after RETRY_MINUTES while an expired rule is still there, unless another expires sooner', () => {
    expect(nextSweep([rule('a', at(NOW - M))], NOW)).toBe(NOW + RETRY_MINUTES * M);
    expect(nextSweep([rule('a', at(NOW - M)), rule('b', at(NOW + M))], NOW)).toBe(NOW + M);
  });
});

describe('RuleExpiry.sweep', () => {
  it('removes the expired rules it can, keeps the one it cannot, and counts it on the badge', async () => {
    let rules = [rule('gone', at(NOW - M)), rule('stuck', at(NOW - M)), rule('later', at(NOW + 10 * M))];
    const alarms: Array<[string, number]> = [];
    const badges: number[] = [];
    const expiry = new RuleExpiry({
      rules: async () => rules,
      remove: async (r) => {
        if (r.ruleName === 'stuck') throw new Error('no silent sign-in');
        rules = rules.filter((x) => x !== r);
      },
      alarms: {
        create: (name, { when }) => void alarms.push([name, when]),
        clear: async () => true,
      },
      badge: async (n) => void badges.push(n),
      now: () => NOW,
    });
    await expiry.sweep();
    expect(rules.map((r) => r.ruleName)).toEqual(['stuck', 'later']);
    expect(alarms).toEqual([[EXPIRY_ALARM, NOW + 10 * M]]);
    expect(badges).toEqual([1]);
  });
});
