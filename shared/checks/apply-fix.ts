/**
 * The one way to apply a fix, for the CLI and the extension alike: `planFix` says exactly what a fix will do
 * (the JIT request, the rules) before anything is asked of Azure, `applyFix` does it with the caller's ARM
 * client and tells the caller's progress reporter how it goes. The words are the caller's.
 */
import type { Arm } from '../azure/arm';
import {
  addNsgRule,
  type JitRequestBody,
  jitRequest,
  type PlannedRule,
  plannedRules,
  RULE_HOURS,
  requestJit,
  startVm,
} from './fixes';
import type { FixPlan } from './judge';
import type { ActionFixId } from './report';

/** A fix as it will be applied. */
export type FixStep =
  | { fix: 'start-vm'; vm: { id: string; name: string } }
  | { fix: 'request-jit'; policyId: string; sourceIp: string; body: JitRequestBody }
  | { fix: 'add-nsg-rule'; sourceIp: string; rules: PlannedRule[] };

export interface FixInput {
  plan: FixPlan;
  /** The VM, named as the caller names it. */
  vm: { id: string; name: string };
  /** The user's IP, or null when unknown. */
  sourceIp: string | null;
  now: Date;
}

/**
 * What `fix` will do for the plan of the last check: a JIT request within the policy's maximum, one rule
 * per denying NSG lasting RULE_HOURS. Null when the fix needs what the check did not have (the source IP,
 * a JIT policy). Pure.
 */
export function planFix<F extends ActionFixId>(fix: F, input: FixInput): Extract<FixStep, { fix: F }> | null;
export function planFix(fix: ActionFixId, input: FixInput): FixStep | null {
  const { plan, vm, sourceIp, now } = input;
  switch (fix) {
    case 'start-vm':
      return { fix, vm };
    case 'request-jit': {
      // On the Bastion route access is asked for the Bastion subnet's prefix, not the user's IP.
      const source = plan.jit?.source ?? sourceIp;
      if (!plan.jit || !source) return null;
      return {
        fix,
        policyId: plan.jit.policyId,
        sourceIp: source,
        body: jitRequest(plan.jit, vm.id, source, now),
      };
    }
    case 'add-nsg-rule':
      if (!sourceIp) return null;
      return { fix, sourceIp, rules: plannedRules(plan, sourceIp, now, RULE_HOURS) };
  }
}

/** How applying a fix goes, as it goes. */
export type FixProgress =
  /** Azure's status of the start, and the seconds since it was asked for. */
  | { kind: 'starting'; status: string; seconds: number }
  /** About to add this rule; `rule-added` follows once Azure has it. */
  | { kind: 'adding-rule'; rule: PlannedRule }
  | { kind: 'rule-added'; rule: PlannedRule };

/** Applies a planned fix; Azure's refusal is thrown as the ArmError it is, for the caller to word. */
export async function applyFix(
  arm: Arm,
  step: FixStep,
  progress: (event: FixProgress) => void = () => undefined,
): Promise<void> {
  switch (step.fix) {
    case 'start-vm': {
      const started = Date.now();
      await startVm(arm, step.vm.id, {
        onProgress: (status) =>
          progress({ kind: 'starting', status, seconds: Math.round((Date.now() - started) / 1000) }),
      });
      return;
    }
    case 'request-jit':
      await requestJit(arm, step.policyId, step.body);
      return;
    case 'add-nsg-rule':
      for (const rule of step.rules) {
        progress({ kind: 'adding-rule', rule });
        await addNsgRule(arm, rule);
        progress({ kind: 'rule-added', rule });
      }
      return;
  }
}
