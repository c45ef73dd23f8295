/**
 * What a user should do about each way the companion host can fail (docs/notes/browser-e2e.md lists the
 * browser's own texts). Pure.
 */

import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { MIN_HOST_VERSION, UPDATE_COMMAND } from '../../shared/host-versions';
import type { ErrorCode, HostRequestType } from '../../shared/protocol';
import type { Advice } from '../messages';
import { settingName } from '../ui/setting-labels';

const INSTALL =
  'install the RDP now companion: run "node dist/host/rdp-now.mjs install" (see the README), then reload this page';
const UPDATE = `run "${UPDATE_COMMAND}"`;

/**
 * The browser's disconnect message (runtime.lastError / port error) → advice. Chromium and Firefox word the
 * same causes differently: Firefox says "No such native application …" for a missing or mismatched manifest,
 * "An unexpected error occurred" for a host that cannot start or exits, and "… exceeds the limit …" for a host
 * that printed something that is not a frame; it never says "forbidden".
 */
export function disconnectAdvice(message: string, extensionId: string): Advice {
  if (/not found|no such native application/i.test(message)) {
    return { code: 'E_HOST_MISSING', message: `The companion host is not installed: ${INSTALL}.` };
  }
  if (/forbidden/i.test(message)) {
    const option = extensionId === DEV_EXTENSION_ID ? '' : ` --extension-id ${extensionId}`;
    return {
      code: 'E_HOST_FORBIDDEN',
      message: `The companion host does not allow this extension: run "rdp-now install${option}" again.`,
    };
  }
  if (/exited|communicating|unexpected error|exceeds the limit/i.test(message)) {
    return {
      code: 'E_HOST_BROKEN',
      message: 'The companion host stopped unexpectedly: run "rdp-now doctor", which says what is wrong.',
    };
  }
  return { code: 'E_HOST_BROKEN', message: `The companion host failed (${message}): run "rdp-now doctor".` };
}

export const TIMEOUT_ADVICE: Advice = {
  code: 'E_HOST_TIMEOUT',
  message: 'The companion host did not answer in time: run "rdp-now doctor".',
};

/** A host older than `type` needs (shared/host-versions.ts): which versions, and the update command. */
export function outdatedAdvice(version: string, type: HostRequestType): Advice {
  return {
    code: 'E_HOST_OUTDATED',
    message: `The companion host is version ${version}, but ${REQUEST_NEEDS[type]} needs version ${MIN_HOST_VERSION[type]} or later: run "${UPDATE_COMMAND}" to update it.`,
  };
}

/** What each request is for, as the sentence about an outdated host names it. */
const REQUEST_NEEDS: Readonly<Record<HostRequestType, string>> = {
  hello: 'this extension',
  launch: 'starting your Remote Desktop client',
  token: 'signing in without an app registration',
  'sign-in-cancel': 'cancelling a sign-in',
  'sign-out': 'signing out',
  account: 'showing who is signed in',
  'tunnel-open': 'reaching a VM through its Bastion',
  'bastion-session': 'reaching a VM through its Bastion',
};

/**
 * A host error reply (docs/PROTOCOL.md §2) keeps its code; its message is already one sentence. A host that does
 * not know a sign-in request is older than this extension: say so, with the update.
 */
export function hostErrorAdvice(code: ErrorCode, message: string, type?: HostRequestType): Advice {
  if (code === 'E_UNKNOWN_TYPE' && type !== undefined && type !== 'hello' && type !== 'launch') {
    return {
      code: 'E_HOST_OUTDATED',
      message: `The companion host is too old to sign you in: ${UPDATE}, or choose ${settingName('appRegistration')} under Sign-in in the options.`,
    };
  }
  if (code === 'E_SIGN_IN_REQUIRED')
    return { code: 'E_SIGN_IN_NEEDED', message: 'Sign-in is needed: press "Sign in".' };
  return { code, message };
}

/** A reply shared/protocol.ts's schemas do not describe: a host from another release, or a broken one. */
export function malformedReplyAdvice(type: HostRequestType, problem: string): Advice {
  return {
    code: 'E_HOST_BROKEN',
    message: `The companion host answered "${type}" with a reply this extension cannot read (${problem}): run "rdp-now doctor", and install the companion from the release of this extension.`,
  };
}
