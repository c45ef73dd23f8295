/**
 * The options page's sign-in section: how RDP now signs in — with no app registration through the companion host
 * (the default), or with the organisation's own app registration (Advanced) — the cloud and tenant, the host's
 * kept account and where it is kept, and for the own registration its client id and redirect URI.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { AccountResult } from '../../shared/protocol';
import { isAzureCloudName } from '../../shared/resource-id';
import type { Advice } from '../messages';
import type { Settings, SignInMethod } from '../settings';
import { ask } from '../ui/background-client';
import { Copy } from '../ui/copy-button';
import { SETTING_LABELS } from '../ui/setting-labels';
import { azCommand, CLOUD_NAMES, isRedirectUri, validateClientId, validateTenant } from '../ui/settings-form';
import { Locked, TextField } from './fields';
import { store } from './page-state';

function redirectUri(): string | null {
  try {
    const uri = browser.identity.getRedirectURL();
    return isRedirectUri(uri) ? uri : null;
  } catch {
    return null;
  }
}
const REDIRECT_URI = redirectUri();

export function SignInSection({ settings }: { settings: Settings }) {
  const locked = store.locked.value;
  const method = settings.signInMethod;
  const choose = (signInMethod: SignInMethod) => void store.update({ signInMethod });
  return (
    <section aria-labelledby="signin-title">
      <h2 id="signin-title">Sign-in</h2>
      <fieldset class="field">
        <legend>
          How you sign in <Locked locked={locked.has('signInMethod')} />
        </legend>
        <div class="choices">
          <label>
            <input
              type="radio"
              name="sign-in-method"
              value="host"
              checked={method === 'host'}
              disabled={locked.has('signInMethod')}
              onChange={() => choose('host')}
            />{' '}
            Microsoft account — no app registration
          </label>
        </div>
        <p class="help muted">
          The RDP now companion signs you in, showing Microsoft’s sign-in page in a tab of this browser; it
          works wherever <code>az login</code> works. Your organisation’s sign-in logs show the application{' '}
          <strong>Microsoft Azure CLI</strong>.
        </p>
        <details open={method === 'app-registration'}>
          <summary>Advanced</summary>
          <div class="choices">
            <label>
              <input
                type="radio"
                name="sign-in-method"
                value="app-registration"
                checked={method === 'app-registration'}
                disabled={locked.has('signInMethod')}
                onChange={() => choose('app-registration')}
              />{' '}
              {SETTING_LABELS.appRegistration}
            </label>
          </div>
          <p class="help muted">
            For organisations that block the Azure CLI application or want their own: RDP now signs in itself
            with the client id below.
          </p>
        </details>
      </fieldset>
      <div class="field">
        <label for="cloud">
          Cloud <Locked locked={locked.has('cloud')} />
        </label>
        <select
          id="cloud"
          value={settings.cloud}
          disabled={locked.has('cloud')}
          onChange={(e) => {
            const cloud = e.currentTarget.value;
            if (isAzureCloudName(cloud)) {
              void store.update({ cloud });
            }
          }}
        >
          {Object.entries(CLOUD_NAMES).map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <TextField
        id="tenant"
        label="Tenant"
        value={settings.tenant}
        placeholder="organizations"
        locked={locked.has('tenant')}
        validate={validateTenant}
        save={(tenant) => store.update({ tenant })}
        help="organizations (any work account), a tenant id or a verified domain. A portal link naming a tenant (#@contoso.onmicrosoft.com) signs in to that tenant instead."
      />
      {method === 'host' ? (
        <HostAccount cloud={settings.cloud} />
      ) : (
        <>
          <TextField
            id="client-id"
            label={SETTING_LABELS.clientId}
            value={settings.clientId}
            placeholder="00000000-0000-0000-0000-000000000000"
            locked={locked.has('clientId')}
            validate={validateClientId}
            save={(clientId) => store.update({ clientId })}
            help="From the overview of the app registration below."
          />
          {settings.clientId === '' && (
            <p class="notice warn">
              This sign-in needs an app registration: register one with the command below and paste the client
              id it prints here.
            </p>
          )}
          <Registration cloud={settings.cloud} />
        </>
      )}
    </section>
  );
}

type AccountView =
  | { state: 'loading' }
  | { state: 'ok'; account: AccountResult }
  | { state: 'error'; error: Advice };

/** The host's kept sign-in: who, where it is kept, and sign in / switch / sign out. */
function HostAccount({ cloud }: { cloud: Settings['cloud'] }) {
  const [view, setView] = useState<AccountView>({ state: 'loading' });
  const [busy, setBusy] = useState(false);
  const refresh = async () => {
    const reply = await ask({ type: 'ui:host-account' }).catch((error: Error) => ({
      ok: false as const,
      error: { code: 'E_NO_ANSWER' as const, message: error.message },
    }));
    setView(reply.ok ? { state: 'ok', account: reply } : { state: 'error', error: reply.error });
  };
  // Read again when the cloud changes: each cloud has its own accounts.
  useEffect(() => void refresh(), [cloud]);
  const act = async (steps: Array<'sign-out' | 'sign-in'>) => {
    setBusy(true);
    for (const step of steps) {
      const reply = await ask({ type: step === 'sign-in' ? 'ui:sign-in' : 'ui:sign-out' });
      if ('ok' in reply && !reply.ok) {
        setView({ state: 'error', error: reply.error });
        break;
      }
    }
    setBusy(false);
    await refresh();
    document.getElementById('host-account')?.focus();
  };
  if (view.state === 'loading') return <p class="muted">Reading your sign-in…</p>;
  if (view.state === 'error') {
    return (
      <div id="host-account" tabIndex={-1} class="notice warn" role="status">
        <p>
          {view.error.code === 'E_HOST_MISSING'
            ? 'Signing in with no app registration needs the RDP now companion on this computer: install it as the README says, then reload this page.'
            : view.error.message}
        </p>
        <button type="button" disabled={busy} onClick={() => void act(['sign-in'])}>
          Sign in
        </button>
      </div>
    );
  }
  const { accounts, cache } = view.account;
  return (
    <div id="host-account" tabIndex={-1} class="field" role="status">
      {accounts.length === 0 ? (
        <p>Not signed in.</p>
      ) : (
        <ul class="accounts">
          {accounts.map((a) => (
            <li key={`${a.username}|${a.tenantId}`}>
              Signed in as <strong>{a.username}</strong> (tenant <code>{a.tenantId}</code>)
            </li>
          ))}
        </ul>
      )}
      <p class="help muted">{cacheText(cache)}</p>
      <div class="copy-row">
        {accounts.length === 0 ? (
          <button type="button" class="primary" disabled={busy} onClick={() => void act(['sign-in'])}>
            Sign in
          </button>
        ) : (
          <>
            <button type="button" disabled={busy} onClick={() => void act(['sign-out', 'sign-in'])}>
              Switch account
            </button>
            <button type="button" disabled={busy} onClick={() => void act(['sign-out'])}>
              Sign out
            </button>
          </>
        )}
      </div>
    </div>
  );
}

export function cacheText(cache: AccountResult['cache']): string {
  if (cache.protection === 'protected')
    return `Your sign-in is kept encrypted in ${cache.file}; its key is in ${cache.where}.`;
  if (cache.protection === 'plaintext')
    return `Your sign-in is kept unencrypted in ${cache.file}, as you chose in the companion's config.`;
  return 'Your sign-in is kept only while the browser runs: this computer has no protected store (such as GNOME Keyring), so you sign in again after a restart.';
}

function Registration({ cloud }: { cloud: Settings['cloud'] }) {
  if (REDIRECT_URI === null) {
    return (
      <p class="notice bad">
        This browser did not give RDP now a sign-in redirect address (the identity API is missing), so sign-in
        cannot work here.
      </p>
    );
  }
  const command = azCommand([REDIRECT_URI], cloud);
  return (
    <div class="registration">
      <h3>App registration</h3>
      <p>
        Register this redirect URI as a <strong>Single-page application</strong> platform (other platform
        types fail with AADSTS9002326):
      </p>
      <div class="copy-row">
        <code id="redirect-uri" class="uri">
          {REDIRECT_URI}
        </code>
        <Copy text={REDIRECT_URI} label="Copy the redirect URI" />
      </div>
      <p class="help muted">
        Each install has its own address (Chrome Web Store, Edge Add-ons, Firefox and development builds
        differ): open this page in each browser and register every address on the same app.
      </p>
      <p>
        Or create the registration with the Azure CLI in bash (Cloud Shell works); it grants Azure Service
        Management access and prints the client id to paste above:
      </p>
      <div class="command">
        <pre id="az-command">{command}</pre>
        <Copy text={command} label="Copy the Azure CLI command" />
      </div>
      <p class="help muted">
        The last command sets the registration’s whole list of single-page-application redirect URIs: to use
        RDP now in several browsers, put all their addresses in that list.
      </p>
    </div>
  );
}
