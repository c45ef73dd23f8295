/**
 * NSG rules RDP now added really expire: one `chrome.alarms` alarm wakes the background at the earliest expiry,
 * and the sweep removes every expired rule with the user's token, renewed silently. A rule it cannot remove (no
 * silent renewal, Azure refused) stays listed, shown expired in the popup with its Remove, and counted on the
 * toolbar badge; the sweep tries again every RETRY_MINUTES. `rdp-now cleanup` does the same from a terminal.
 */
import type { AddedRule } from '../messages';

export const EXPIRY_ALARM = 'rdp-now-rule-expiry';
/** How long after a failed removal the sweep tries again. */
export const RETRY_MINUTES = 15;

/** When the rule expires (ms since the epoch), or null when its stored expiry is not a date. Pure. */
export function expiryOf(rule: AddedRule): number | null {
  const at = Date.parse(rule.expires);
  return Number.isNaN(at) ? null : at;
}

export function isExpired(rule: AddedRule, now: number): boolean {
  const at = expiryOf(rule);
  return at !== null && at <= now;
}

/**
 * When the alarm should next fire: at the earliest expiry to come, or after RETRY_MINUTES while an expired rule is
 * still there; null when nothing is left to expire. Pure.
 */
export function nextSweep(rules: readonly AddedRule[], now: number): number | null {
  const retry = rules.some((r) => isExpired(r, now)) ? now + RETRY_MINUTES * 60_000 : null;
  const times = rules.map(expiryOf).filter((at): at is number => at !== null && at > now);
  if (retry !== null) times.push(retry);
  return times.length > 0 ? Math.min(...times) : null;
}

export interface ExpiryDeps {
  rules: () => Promise<AddedRule[]>;
  /** Removes the rule from Azure (silently: no sign-in window) and from the store; throws when it cannot. */
  remove: (rule: AddedRule) => Promise<void>;
  alarms: {
    create(name: string, info: { when: number }): void | Promise<void>;
    clear(name: string): Promise<unknown>;
  };
  /** Shows how many expired rules are still there (0: no badge). */
  badge: (expired: number) => Promise<void>;
  now?: () => number;
}

export class RuleExpiry {
  constructor(private readonly deps: ExpiryDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Sets the alarm for the stored rules and the badge for the expired ones. */
  async schedule(): Promise<void> {
    const rules = await this.deps.rules();
    const now = this.now();
    const when = nextSweep(rules, now);
    if (when === null) await this.deps.alarms.clear(EXPIRY_ALARM);
    else await this.deps.alarms.create(EXPIRY_ALARM, { when });
    await this.deps.badge(rules.filter((r) => isExpired(r, now)).length);
  }

  /** Removes every expired rule it can; the others wait for the next try or the user's Remove. */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const rule of (await this.deps.rules()).filter((r) => isExpired(r, now))) {
      // One failure (e.g. no silent sign-in) must not keep the other rules from going.
      await this.deps.remove(rule).catch(() => undefined);
    }
    await this.schedule();
  }
}
