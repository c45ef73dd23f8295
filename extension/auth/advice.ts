/** Entra ID and browser sign-in errors → one sentence saying what to do. Pure. */
import type { AdviceCode } from '../../shared/advice-codes';
import type { Advice } from '../messages';
import { settingName } from '../ui/setting-labels';

const RULES: ReadonlyArray<readonly [RegExp, (redirectUri: string) => string, AdviceCode]> = [
  [
    /AADSTS65001|consent_required/i,
    () =>
      'RDP now needs consent in this tenant: sign in again and accept, or ask an administrator to grant consent for the app.',
    'E_CONSENT',
  ],
  [
    /AADSTS5300[0-9]|AADSTS530[0-9]{2}|conditional access/i,
    () =>
      'Conditional Access blocked the sign-in (device, location or MFA policy): sign in to the portal in this browser first, or ask your administrator.',
    'E_CONDITIONAL_ACCESS',
  ],
  [
    /AADSTS50011|redirect.?uri/i,
    (uri) =>
      `The app registration lacks the redirect URI ${uri}: add it as a Single-page application redirect URI (the options page shows the command).`,
    'E_REDIRECT_URI',
  ],
  [
    /AADSTS9002326/i,
    (uri) => `Register ${uri} as a Single-page application redirect URI, not as Web.`,
    'E_REDIRECT_URI',
  ],
  [
    /AADSTS700016|AADSTS90002|unauthorized_client/i,
    () =>
      `The ${settingName('clientId')} in the options is not an app in this tenant: check it and the tenant.`,
    'E_UNKNOWN_APP',
  ],
  [
    /AADSTS50058|AADSTS50059|interaction_required|login_required|User interaction required/i,
    () => 'Sign-in is needed: press "Sign in".',
    'E_SIGN_IN_NEEDED',
  ],
  [
    /did not approve|cancel|user_cancelled|closed by the user/i,
    () => 'Sign-in was cancelled.',
    'E_SIGN_IN_CANCELLED',
  ],
];

export function signInAdvice(error: unknown, redirectUri: string): Advice {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  for (const [pattern, message, code] of RULES)
    if (pattern.test(text)) return { code, message: message(redirectUri) };
  return { code: 'E_SIGN_IN', message: `Signing in failed (${text.slice(0, 200).trim()}).` };
}

export const NO_CLIENT_ID: Advice = {
  code: 'E_NO_CLIENT_ID',
  message: `Sign-in is not set up: register an app and enter its ${settingName('clientId')} in the options (they show how).`,
};
