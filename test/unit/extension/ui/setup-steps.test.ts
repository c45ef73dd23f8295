import { describe, expect, it } from 'vitest';
import {
  hostPlatformOf,
  installCommand,
  type SetupFacts,
  setupStepOf,
  setupSteps,
} from '../../../../extension/ui/setup-steps';
import { UPDATE_COMMAND } from '../../../../shared/host-versions';
import type { HelloResult } from '../../../../shared/protocol';

const HELLO: HelloResult = {
  host: {
    version: '0.1.0',
    platform: 'linux',
    clients: [{ id: 'remmina', name: 'Remmina', available: true }],
    defaultClient: 'remmina',
  },
};
const NEW_USER: SetupFacts = {
  host: { ok: false, error: { code: 'E_HOST_MISSING', message: 'The companion host is not installed.' } },
  platform: 'linux',
  extensionId: 'gpgidagdndlidklfiinoafehceojjlha',
  firefox: false,
  signInMethod: 'host',
  clientIdSet: false,
  auth: { signedIn: false },
  hostAccount: null,
  ipLookup: true,
  ipLookupAllowed: false,
  sourceIp: '',
};
const states = (facts: SetupFacts) => setupSteps(facts).map((s) => [s.id, s.state, s.action?.kind ?? null]);

describe('the set-up steps', () => {
  it('a new user sees every requirement at once, each with what to do', () => {
    expect(states(NEW_USER)).toEqual([
      ['host', 'todo', 'copy-command'],
      ['sign-in', 'waiting', null],
      ['ip', 'todo', 'allow-ip-lookup'],
      ['client', 'waiting', null],
    ]);
    expect(setupSteps({ ...NEW_USER, platform: 'win32' })[0]?.detail).toMatch(/PowerShell window/);
  });

  it('an outdated host: its sentence, and the update command to copy', () => {
    const message = 'The companion host is version 0.0.9, but this extension needs version 0.1.0 or later.';
    const [host] = setupSteps({
      ...NEW_USER,
      host: { ok: false, error: { code: 'E_HOST_OUTDATED', message } },
    });
    expect(host?.detail).toBe(message);
    expect(host?.action).toEqual({ kind: 'copy-command', command: UPDATE_COMMAND });
  });

  it('a failure that is a missing set-up step names that step; others are for trying again', () => {
    expect(setupStepOf('E_HOST_MISSING')).toBe('host');
    expect(setupStepOf('E_HOST_OUTDATED')).toBe('host');
    expect(setupStepOf('E_NO_CLIENT_ID')).toBe('sign-in');
    expect(setupStepOf('E_NO_SOURCE_IP')).toBe('ip');
    expect(setupStepOf('E_NO_CLIENT')).toBe('client');
    expect(setupStepOf('E_ARM_THROTTLED')).toBeNull();
  });

  it('once the host answers, sign-in is the next step and the client is found', () => {
    const steps = setupSteps({ ...NEW_USER, host: { ok: true, hello: HELLO } });
    expect(steps.map((s) => [s.id, s.state])).toEqual([
      ['host', 'done'],
      ['sign-in', 'todo'],
      ['ip', 'todo'],
      ['client', 'done'],
    ]);
    expect(steps[3]?.detail).toBe('Found; RDP now will use Remmina.');
  });

  it('everything done: the host kept a sign-in, the IP is typed by hand', () => {
    const facts: SetupFacts = {
      ...NEW_USER,
      host: { ok: true, hello: HELLO },
      auth: { signedIn: false },
      hostAccount: {
        accounts: [{ username: 'ada@contoso.com', tenantId: 't' }],
        cache: { protection: 'memory', where: null, file: 'f' },
      },
      sourceIp: '203.0.113.7',
    };
    expect(setupSteps(facts).every((s) => s.state === 'done')).toBe(true);
    expect(setupSteps(facts)[1]?.detail).toBe('Signed in as ada@contoso.com.');
  });

  it('the own app registration with no client id asks for it in the options', () => {
    const steps = setupSteps({ ...NEW_USER, signInMethod: 'app-registration' });
    expect(steps[1]).toMatchObject({ state: 'todo', action: { kind: 'options' } });
  });

  it('no client found: what to install on this OS', () => {
    const hello = { host: { ...HELLO.host, platform: 'darwin' as const, defaultClient: null } };
    const steps = setupSteps({ ...NEW_USER, platform: 'darwin', host: { ok: true, hello } });
    expect(steps[3]).toMatchObject({
      state: 'todo',
      detail: expect.stringMatching(/Windows App from the Mac App Store/),
    });
  });

  it.each([
    ['gpgidagdndlidklfiinoafehceojjlha', false, 'npx rdp-now install'],
    [
      'abcdefghijklmnopabcdefghijklmnop',
      false,
      'npx rdp-now install --extension-id abcdefghijklmnopabcdefghijklmnop',
    ],
    ['rdp-now@rdpnow.dev', true, 'npx rdp-now install'],
  ])('the install command for %s (firefox %s)', (id, firefox, command) => {
    expect(installCommand(id, firefox)).toBe(command);
  });

  it.each([
    ['win', 'win32'],
    ['mac', 'darwin'],
    ['linux', 'linux'],
    ['openbsd', 'linux'],
  ])('%s is %s', (os, platform) => {
    expect(hostPlatformOf(os)).toBe(platform);
  });
});
