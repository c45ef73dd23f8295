/**
 * Rule synthesis: where a new inbound allow rule for the user's IP goes in an NSG, so it wins over the deny
 * that evaluation (./evaluate.ts) found. Pure: no Node or browser APIs.
 */

import type { NetworkSecurityGroup } from './evaluate';

/** Custom rule priorities Azure accepts. */
export const MIN_CUSTOM_PRIORITY = 100;
export const MAX_CUSTOM_PRIORITY = 4096;

/**
 * The priority for a new inbound allow rule that must win over the deny at `denyPriority`: the free priority
 * closest below it (numerically smaller), within 100–4096, among the NSG's inbound custom rules; null when
 * every such priority is taken.
 */
export function chooseAllowRulePriority(nsg: NetworkSecurityGroup, denyPriority: number): number | null {
  const taken = new Set(
    (nsg.properties?.securityRules ?? [])
      .filter((rule) => rule.properties?.direction?.toLowerCase() === 'inbound')
      .map((rule) => rule.properties?.priority),
  );
  const start = Math.min(Math.ceil(denyPriority) - 1, MAX_CUSTOM_PRIORITY);
  for (let priority = start; priority >= MIN_CUSTOM_PRIORITY; priority--) {
    if (!taken.has(priority)) return priority;
  }
  return null;
}
