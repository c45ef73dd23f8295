/**
 * Every code an extension page can show with its sentence (the extension's Advice): the host's protocol codes
 * passed through, the companion's state, the background's refusals, sign-in, ARM and the pages' own. Tests
 * match on these; the background's replies are validated against this list.
 */
import { ARM_ERROR_KINDS, type ArmErrorKind } from './azure/arm-error-kinds';
import { ERROR_CODES } from './protocol';

/** An ARM failure (shared/azure/arm.ts) as a code: `E_ARM_FORBIDDEN`, `E_ARM_NOT-FOUND`, … */
export type ArmAdviceCode = `E_ARM_${Uppercase<ArmErrorKind>}`;

export function armAdviceCode(kind: ArmErrorKind): ArmAdviceCode {
  return `E_ARM_${kind.toUpperCase()}` as ArmAdviceCode;
}

export const ADVICE_CODES = [
  ...ERROR_CODES,
  // The companion host (extension/background/host-advice.ts).
  'E_HOST_MISSING',
  'E_HOST_FORBIDDEN',
  'E_HOST_BROKEN',
  'E_HOST_TIMEOUT',
  'E_HOST_OUTDATED',
  // The background's refusals and failures.
  'E_NOT_OURS',
  'E_INTERNAL',
  'E_NOT_READY',
  'E_BAD_ADDRESS',
  'E_NO_SUCH_RULE',
  'E_NO_SOURCE_IP',
  'E_NOT_A_VM',
  'E_NOT_CHECKED',
  'E_NO_SUCH_FIX',
  // The Bastion route (extension/background/bastion-session.ts).
  'E_BASTION',
  'E_BASTION_PERMISSION',
  // Sign-in (extension/auth/advice.ts).
  'E_CONSENT',
  'E_CONDITIONAL_ACCESS',
  'E_REDIRECT_URI',
  'E_UNKNOWN_APP',
  'E_SIGN_IN_NEEDED',
  'E_SIGN_IN_CANCELLED',
  'E_SIGN_IN',
  'E_NO_CLIENT_ID',
  // The pages' own (the background did not answer, the report is hidden or just moved).
  'E_NO_ANSWER',
  'E_HIDDEN',
  'E_MOVED',
  ...ARM_ERROR_KINDS.map(armAdviceCode),
] as const;
export type AdviceCode = (typeof ADVICE_CODES)[number];
