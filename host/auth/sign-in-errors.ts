/**
 * What went wrong in a sign-in, in a sentence a person can act on. Entra's AADSTS codes name the cause; the
 * ones below are those a user of the Azure CLI's client meets (docs/notes/sign-in.md). Pure.
 */
export type SignInErrorCode = 'E_SIGN_IN_REQUIRED' | 'E_SIGN_IN_CANCELLED' | 'E_SIGN_IN_FAILED';

export class SignInFailure extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignInFailure';
  }
}

const OWN_APP =
  'choose "My organisation\'s app registration" under Sign-in in RDP now\'s options, or ask your administrator to allow it';

/** AADSTS code → what the user does about it. */
const CAUSES: ReadonlyArray<[RegExp, string]> = [
  [
    /AADSTS(53003|53000|53001|53002|530003|530034|7000112|7000218|500011|65001|65002|65004|50105|700016)\b/,
    `Your organisation's Conditional Access or consent settings do not let the Azure CLI application (which RDP now signs in as) sign you in: ${OWN_APP}`,
  ],
  [
    /AADSTS(50076|50079|50074|50158)\b/,
    'This tenant asks for multi-factor authentication: sign in again and complete it.',
  ],
  [
    /AADSTS(90002|90072|50020|50128|50034|900023)\b/,
    'That tenant was not found, or your account is not in it: check the directory in the portal URL (or the tenant in the options) and sign in with an account of that tenant.',
  ],
  [
    /AADSTS(50126|50053|50057)\b/,
    'Microsoft refused the account (wrong password, locked or disabled): sign in again.',
  ],
];

export function signInFailure(error: unknown): SignInFailure {
  if (error instanceof SignInFailure) return error;
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { errorCode?: unknown })?.errorCode;
  if (code === 'access_denied' || /access_denied|user_cancelled/.test(text)) {
    return new SignInFailure('E_SIGN_IN_CANCELLED', 'Sign-in was cancelled.');
  }
  for (const [pattern, advice] of CAUSES) {
    const found = pattern.exec(text);
    if (found) return new SignInFailure('E_SIGN_IN_FAILED', `${advice} (${found[0]})`);
  }
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|network|fetch failed|getaddrinfo/i.test(text)) {
    return new SignInFailure(
      'E_SIGN_IN_FAILED',
      "Microsoft's sign-in could not be reached: check this computer's network or proxy, then sign in again.",
    );
  }
  const first = text.split('\n')[0]?.slice(0, 200) ?? '';
  return new SignInFailure('E_SIGN_IN_FAILED', `Signing in failed (${first}): sign in again.`);
}
