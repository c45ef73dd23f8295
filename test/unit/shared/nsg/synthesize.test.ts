import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INBOUND_RULES, type SecurityRule } from '../../../../shared/nsg/evaluate.js';
import { chooseAllowRulePriority } from '../../../../shared/nsg/synthesize.js';
import { allow, deny, nsg as nsgWith } from './rules.js';

/** An NSG with these custom rules and Azure's default inbound rules. */
const nsg = (name: string, rules: SecurityRule[]) => nsgWith(name, rules, DEFAULT_INBOUND_RULES);

describe('chooseAllowRulePriority', () => {
  const withPriorities = (priorities: number[], direction = 'Inbound') =>
    nsg(
      'n',
      priorities.map((p) => allow(`r${p}`, p, { direction })),
    );

  it.each([
    { name: 'below the default deny, nothing taken', taken: [], deny: 65500, expected: 4096 },
    { name: 'below the default deny, top taken', taken: [4096, 4095], deny: 65500, expected: 4094 },
    { name: 'just below a custom deny', taken: [1000], deny: 1000, expected: 999 },
    { name: 'skips taken priorities', taken: [999, 998, 1000], deny: 1000, expected: 997 },
    { name: 'nothing free below 101', taken: [100, 101], deny: 101, expected: null },
    { name: 'nothing below the minimum', taken: [], deny: 100, expected: null },
    { name: 'the minimum itself', taken: [], deny: 101, expected: 100 },
  ])('$name', ({ taken, deny: denyPriority, expected }) => {
    expect(chooseAllowRulePriority(withPriorities(taken), denyPriority)).toBe(expected);
  });

  it('ignores outbound rules and default rules', () => {
    const group = withPriorities([999], 'Outbound');
    expect(chooseAllowRulePriority(group, 1000)).toBe(999);
  });
});

describe('properties', () => {
  it('chooseAllowRulePriority picks the closest free priority below the deny', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 100, max: 160 }), { maxLength: 61 }),
        fc.integer({ min: 90, max: 170 }),
        (taken, denyPriority) => {
          const chosen = chooseAllowRulePriority(
            nsg(
              'n',
              taken.map((p) => deny(`r${p}`, p)),
            ),
            denyPriority,
          );
          const top = Math.min(denyPriority - 1, 4096);
          const used = new Set(taken);
          if (chosen === null) {
            for (let p = 100; p <= top; p++) expect(used.has(p)).toBe(true);
          } else {
            expect(chosen).toBeGreaterThanOrEqual(100);
            expect(chosen).toBeLessThan(denyPriority);
            expect(used.has(chosen)).toBe(false);
            for (let p = chosen + 1; p <= top; p++) expect(used.has(p)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
