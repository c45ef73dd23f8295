/**
 * The popup's status panels as a plain signals store: the companion host, the sign-in state and the NSG rules
 * the extension added. Talks to the background only through an injected `ask`.
 */
import { signal } from '@preact/signals';
import type { HelloResult } from '../../shared/protocol';
import type { AddedRule, AuthState, Result } from '../messages';
import type { Ask } from './ask';
import { CLIENT_NAMES, errorText, relativeTime, resourceName } from './format';

export type HostView =
  | { state: 'loading' }
  | { state: 'ok'; version: string; defaultClient: string | null }
  | { state: 'error'; message: string };

export function hostView(reply: Result<HelloResult>): HostView {
  if (!reply.ok) return { state: 'error', message: reply.error.message };
  const { version, clients, defaultClient } = reply.host;
  const name =
    defaultClient === null
      ? null
      : (clients.find((c) => c.id === defaultClient)?.name ?? CLIENT_NAMES[defaultClient]);
  return { state: 'ok', version, defaultClient: name };
}

/** "expires in 40 minutes" / "expired 5 minutes ago"; the stored text as is when it is not a date. */
export function expiryText(expires: string, now: number): string {
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return `expires ${expires}`;
  return `${at > now ? 'expires' : 'expired'} ${relativeTime(at, now)}`;
}

export interface RuleRow {
  key: string;
  nsgId: string;
  nsgName: string;
  ruleName: string;
  sourceIp: string;
  expiry: string;
  /** Past its expiry yet still listed: the background could not remove it (see background/rule-expiry.ts). */
  expired: boolean;
}

export function ruleRows(rules: readonly AddedRule[], now: number): RuleRow[] {
  return rules.map((r) => ({
    key: `${r.nsgId.toLowerCase()}|${r.ruleName}`,
    nsgId: r.nsgId,
    nsgName: resourceName(r.nsgId),
    ruleName: r.ruleName,
    sourceIp: r.sourceIp,
    expiry: expiryText(r.expires, now),
    expired: Date.parse(r.expires) <= now,
  }));
}

export function createStatusStore(ask: Ask) {
  const host = signal<HostView>({ state: 'loading' });
  const auth = signal<AuthState | null>(null);
  const authBusy = signal(false);
  const authError = signal<string | null>(null);
  const rules = signal<AddedRule[]>([]);
  const rulesError = signal<string | null>(null);
  /** Keys (`RuleRow.key`) of rules being removed. */
  const removing = signal<ReadonlySet<string>>(new Set());

  async function loadHost(): Promise<void> {
    try {
      host.value = hostView(await ask({ type: 'ui:host-status' }));
    } catch (e) {
      host.value = { state: 'error', message: errorText(e) };
    }
  }

  async function loadAuth(): Promise<void> {
    try {
      auth.value = await ask({ type: 'ui:auth-state' });
      authError.value = null;
    } catch (e) {
      authError.value = errorText(e);
    }
  }

  async function loadRules(): Promise<void> {
    try {
      rules.value = (await ask({ type: 'ui:rules' })).rules;
      rulesError.value = null;
    } catch (e) {
      rulesError.value = errorText(e);
    }
  }

  function load(): Promise<void> {
    return Promise.all([loadHost(), loadAuth(), loadRules()]).then(() => undefined);
  }

  /** The background runs the interactive sign-in (a popup dies when the sign-in window takes focus). */
  async function signIn(): Promise<void> {
    authBusy.value = true;
    authError.value = null;
    try {
      const reply = await ask({ type: 'ui:sign-in' });
      if (reply.ok)
        auth.value = {
          signedIn: reply.signedIn,
          ...(reply.account !== undefined && { account: reply.account }),
        };
      else authError.value = reply.error.message;
    } catch (e) {
      authError.value = errorText(e);
    } finally {
      authBusy.value = false;
    }
  }

  async function signOut(): Promise<void> {
    authBusy.value = true;
    authError.value = null;
    try {
      auth.value = await ask({ type: 'ui:sign-out' });
    } catch (e) {
      authError.value = errorText(e);
    } finally {
      authBusy.value = false;
    }
  }

  async function removeRule(rule: RuleRow): Promise<void> {
    removing.value = new Set([...removing.value, rule.key]);
    try {
      const reply = await ask({ type: 'ui:remove-rule', nsgId: rule.nsgId, ruleName: rule.ruleName });
      if (reply.ok) {
        rules.value = reply.rules;
        rulesError.value = null;
      } else {
        rulesError.value = reply.error.message;
      }
    } catch (e) {
      rulesError.value = errorText(e);
    } finally {
      const next = new Set(removing.value);
      next.delete(rule.key);
      removing.value = next;
    }
  }

  return {
    host,
    auth,
    authBusy,
    authError,
    rules,
    rulesError,
    removing,
    load,
    loadHost,
    loadAuth,
    loadRules,
    signIn,
    signOut,
    removeRule,
  };
}

export type StatusStore = ReturnType<typeof createStatusStore>;
