/**
 * The kinds of ARM failure (arm.ts's ArmError), apart from the ARM client so that the extension pages can name
 * their advice codes (shared/advice-codes.ts) without loading it.
 */
export const ARM_ERROR_KINDS = [
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'throttled',
  'server',
  'bad-request',
  'timeout',
  'unreachable',
  'malformed',
] as const;
export type ArmErrorKind = (typeof ARM_ERROR_KINDS)[number];
