/**
 * The set-up page's requirements, all at once, each with its state and the one action that moves it: the
 * companion host, the sign-in, the public IP, an RDP client. Pure: the page feeds it what the background said.
 */
import { noClientAdvice } from '../../shared/client-advice';
import { DEV_EXTENSION_ID } from '../../shared/extension-id';
import { UPDATE_COMMAND } from '../../shared/host-versions';
import type { AccountResult, HelloResult, HostPlatform } from '../../shared/protocol';
import type { Advice, AuthState } from '../messages';
import type { SignInMethod } from '../settings';
import { CLIENT_NAMES } from './format';
import { settingName } from './setting-labels';

/** The set-up page, in the extension's own files. */
export const SETUP_PAGE = 'welcome/index.html';

export type StepId = 'host' | 'sign-in' | 'ip' | 'client';
export type StepState = 'done' | 'todo' | 'waiting';

export type StepAction =
  | { kind: 'copy-command'; command: string }
  | { kind: 'sign-in' }
  | { kind: 'allow-ip-lookup' }
  | { kind: 'options' };

export interface Step {
  id: StepId;
  title: string;
  state: StepState;
  /** One sentence: what is found, or what to do. */
  detail: string;
  action: StepAction | null;
}

/** The browser's name for the OS (`runtime.getPlatformInfo().os`) → the host's. */
export function hostPlatformOf(os: string): HostPlatform {
  return os === 'win' ? 'win32' : os === 'mac' ? 'darwin' : 'linux';
}

/** The command that installs and registers the companion for this browser. */
export function installCommand(extensionId: string, firefox: boolean): string {
  // Store builds have their own ids; the development id and Firefox's fixed add-on id are built in.
  const id = firefox || extensionId === DEV_EXTENSION_ID ? '' : ` --extension-id ${extensionId}`;
  return `npx rdp-now install${id}`;
}

export interface SetupFacts {
  host: { ok: true; hello: HelloResult } | { ok: false; error: Advice } | null;
  platform: HostPlatform;
  extensionId: string;
  firefox: boolean;
  signInMethod: SignInMethod;
  clientIdSet: boolean;
  auth: AuthState | null;
  hostAccount: AccountResult | null;
  ipLookup: boolean;
  ipLookupAllowed: boolean;
  sourceIp: string;
}

export function setupSteps(f: SetupFacts): Step[] {
  return [hostStep(f), signInStep(f), ipStep(f), clientStep(f)];
}

function hostStep(f: SetupFacts): Step {
  const title = 'The RDP now companion';
  if (f.host === null)
    return { id: 'host', title, state: 'waiting', detail: 'Looking for it…', action: null };
  if (f.host.ok) {
    return {
      id: 'host',
      title,
      state: 'done',
      detail: `Version ${f.host.hello.host.version} is installed and answers.`,
      action: null,
    };
  }
  // An outdated host is updated in place: its registration stays as it is.
  const command =
    f.host.error.code === 'E_HOST_OUTDATED' ? UPDATE_COMMAND : installCommand(f.extensionId, f.firefox);
  const missing = f.host.error.code === 'E_HOST_MISSING';
  return {
    id: 'host',
    title,
    state: 'todo',
    detail: missing
      ? `It starts your RDP client and signs you in. Install it with Node.js 20.19 or later: run the command below in a ${f.platform === 'win32' ? 'PowerShell window' : 'terminal'}, then press Check again.`
      : f.host.error.message,
    action: { kind: 'copy-command', command },
  };
}

function signInStep(f: SetupFacts): Step {
  const title = 'Sign-in to Azure';
  if (f.signInMethod === 'app-registration' && !f.clientIdSet) {
    return {
      id: 'sign-in',
      title,
      state: 'todo',
      detail: `${settingName('appRegistration')} is chosen but has no ${settingName('clientId')}: set it in the options.`,
      action: { kind: 'options' },
    };
  }
  const account =
    (f.auth?.signedIn && f.auth.account) ||
    (f.signInMethod === 'host' && f.hostAccount?.accounts[0]?.username);
  if (account)
    return { id: 'sign-in', title, state: 'done', detail: `Signed in as ${account}.`, action: null };
  if (f.signInMethod === 'host' && !f.host?.ok) {
    return {
      id: 'sign-in',
      title,
      state: 'waiting',
      detail: 'Signing in with no app registration goes through the companion: install it first.',
      action: null,
    };
  }
  return {
    id: 'sign-in',
    title,
    state: 'todo',
    detail:
      f.signInMethod === 'host'
        ? 'Sign in with your work account; Microsoft’s page opens in a tab (no app registration needed).'
        : 'Sign in with your work account through your organisation’s app registration.',
    action: { kind: 'sign-in' },
  };
}

function ipStep(f: SetupFacts): Step {
  const title = 'Your public IP address';
  if (f.sourceIp) {
    return { id: 'ip', title, state: 'done', detail: `Set by hand: ${f.sourceIp}.`, action: null };
  }
  if (f.ipLookup && f.ipLookupAllowed) {
    return {
      id: 'ip',
      title,
      state: 'done',
      detail: 'Looked up at api.ipify.org at each check (firewall rules are judged for it).',
      action: null,
    };
  }
  return {
    id: 'ip',
    title,
    state: 'todo',
    detail: `Firewall rules and just-in-time access are judged for the address Azure sees: allow the lookup at api.ipify.org, or type your IP in ${settingName('sourceIp')} in the options.`,
    action: { kind: 'allow-ip-lookup' },
  };
}

function clientStep(f: SetupFacts): Step {
  const title = 'A Remote Desktop client';
  if (!f.host?.ok) {
    return {
      id: 'client',
      title,
      state: 'waiting',
      detail: 'The companion finds it once installed.',
      action: null,
    };
  }
  const { defaultClient } = f.host.hello.host;
  if (defaultClient) {
    return {
      id: 'client',
      title,
      state: 'done',
      detail: `Found; RDP now will use ${CLIENT_NAMES[defaultClient]}.`,
      action: null,
    };
  }
  return { id: 'client', title, state: 'todo', detail: noClientAdvice(f.platform), action: null };
}

/**
 * The set-up step a failure means is missing, or null for a failure that trying again may cure. A page shows such
 * a failure with that step's action and the set-up page, never a bare "Try again".
 */
export function setupStepOf(code: string): StepId | null {
  switch (code) {
    case 'E_HOST_MISSING':
    case 'E_HOST_FORBIDDEN':
    case 'E_HOST_OUTDATED':
      return 'host';
    case 'E_NO_CLIENT_ID':
    case 'E_SIGN_IN_NEEDED':
      return 'sign-in';
    case 'E_NO_SOURCE_IP':
      return 'ip';
    case 'E_NO_CLIENT':
      return 'client';
    default:
      return null;
  }
}
