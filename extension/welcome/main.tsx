/**
 * The set-up page: opened on first install, and from the popup and any report blocked by set-up. It shows every
 * requirement at once — the companion host, the sign-in, the public IP, an RDP client — each with its state and
 * one action, and turns each to done without a reload. Focus moves to the next step still to do.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { AccountResult, HelloResult } from '../../shared/protocol';
import type { Advice, AuthState } from '../messages';
import { IP_LOOKUP_ORIGIN, parseSettings, type Settings } from '../settings';
import { ask } from '../ui/background-client';
import { Copy } from '../ui/copy-button';
import { errorText } from '../ui/format';
import { hostPlatformOf, type SetupFacts, type Step, setupSteps } from '../ui/setup-steps';

async function readSettings(): Promise<Settings> {
  const [local, managed] = await Promise.all([
    browser.storage.local.get('settings'),
    browser.storage.managed ? browser.storage.managed.get().catch(() => ({})) : Promise.resolve({}),
  ]);
  return parseSettings(local.settings, managed);
}

async function gather(): Promise<SetupFacts> {
  const settings = await readSettings();
  const noAnswer = (e: unknown): { ok: false; error: Advice } => ({
    ok: false,
    error: { code: 'E_NO_ANSWER', message: errorText(e) },
  });
  const [host, auth, account, allowed, info] = await Promise.all([
    ask({ type: 'ui:host-status' }).catch(noAnswer),
    ask({ type: 'ui:auth-state' }).catch((): AuthState | null => null),
    settings.signInMethod === 'host'
      ? ask({ type: 'ui:host-account' }).catch(noAnswer)
      : Promise.resolve(null),
    browser.permissions.contains({ origins: [IP_LOOKUP_ORIGIN] }).catch(() => false),
    browser.runtime.getPlatformInfo(),
  ]);
  return {
    host: host.ok ? { ok: true, hello: host as HelloResult } : { ok: false, error: host.error },
    platform: hostPlatformOf(info.os),
    extensionId: browser.runtime.id,
    firefox: __BROWSER__ === 'firefox',
    signInMethod: settings.signInMethod,
    clientIdSet: settings.clientId !== '',
    auth,
    hostAccount: account?.ok ? (account as AccountResult) : null,
    ipLookup: settings.ipLookup,
    ipLookupAllowed: allowed,
    sourceIp: settings.sourceIp,
  };
}

function Setup() {
  const [steps, setSteps] = useState<Step[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = async (focusNext: boolean) => {
    const next = setupSteps(await gather());
    setSteps(next);
    if (focusNext) {
      const todo = next.find((s) => s.state === 'todo');
      // After the render: the heading of the next step to do, or the summary when all are done.
      setTimeout(() => document.getElementById(todo ? `step-${todo.id}` : 'summary')?.focus(), 0);
    }
  };
  useEffect(() => void refresh(false), []);

  const run = async (id: string, work: () => Promise<void>) => {
    setBusy(id);
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(errorText(error));
    } finally {
      setBusy(null);
      await refresh(true);
    }
  };

  if (steps === null) return <p class="muted">Looking at this computer…</p>;
  const left = steps.filter((s) => s.state !== 'done').length;
  return (
    <main>
      <h1>Set up RDP now</h1>
      <p id="summary" tabIndex={-1} role="status" aria-live="polite">
        {left === 0
          ? 'Everything is ready: open a VM in the Azure portal and press RDP now.'
          : `${left} of ${steps.length} steps left. Each says what to do.`}
      </p>
      {problem && (
        <p class="notice bad" role="alert">
          {problem}
        </p>
      )}
      <ol class="steps">
        {steps.map((step) => (
          <li key={step.id} class="step">
            <h2 id={`step-${step.id}`} tabIndex={-1}>
              <span class={`state ${step.state}`}>
                {step.state === 'done' ? 'Done' : step.state === 'todo' ? 'To do' : 'Waiting'}
              </span>
              {step.title}
            </h2>
            <p>{step.detail}</p>
            <StepActions step={step} busy={busy === step.id} run={(work) => run(step.id, work)} />
          </li>
        ))}
      </ol>
    </main>
  );
}

function StepActions({
  step,
  busy,
  run,
}: {
  step: Step;
  busy: boolean;
  run: (work: () => Promise<void>) => Promise<void>;
}) {
  const action = step.action;
  if (!action) return null;
  switch (action.kind) {
    case 'copy-command':
      return (
        <div class="actions">
          <code class="command">{action.command}</code>
          <Copy text={action.command} label="Copy the install command" />
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => void run(async () => undefined)}
          >
            Check again
          </button>
        </div>
      );
    case 'sign-in':
      return (
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const reply = await ask({ type: 'ui:sign-in' });
                if (!reply.ok) throw new Error(reply.error.message);
              })
            }
          >
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      );
    case 'allow-ip-lookup':
      return (
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() =>
              // The browser asks for an optional permission only inside the press itself.
              void run(async () => {
                if (!(await browser.permissions.request({ origins: [IP_LOOKUP_ORIGIN] })))
                  throw new Error('The lookup was not allowed: type your IP in the options instead.');
                const { settings } = await browser.storage.local.get('settings');
                await browser.storage.local.set({
                  settings: { ...(settings as object | undefined), ipLookup: true },
                });
              })
            }
          >
            Allow the lookup
          </button>
          <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
            Type my IP in the options
          </button>
        </div>
      );
    case 'options':
      return (
        <div class="actions">
          <button type="button" class="primary" onClick={() => void browser.runtime.openOptionsPage()}>
            Open the options
          </button>
        </div>
      );
  }
}

const root = document.getElementById('app');
if (root) render(<Setup />, root);
