/**
 * The options page's sign-in section: cloud, app registration (client id) and tenant, with the redirect URI
 * to register and the Azure CLI command that does it.
 */
import browser from 'webextension-polyfill';
import { isAzureCloudName } from '../../shared/resource-id';
import type { Settings } from '../settings';
import { azCommand, CLOUD_NAMES, isRedirectUri, validateClientId, validateTenant } from '../ui/settings-form';
import { Copy, Locked, TextField } from './fields';
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
  return (
    <section aria-labelledby="signin-title">
      <h2 id="signin-title">Sign-in</h2>
      <p class="muted">
        RDP now reads your VMs with your own Entra ID sign-in, through an app registration of your
        organisation.
      </p>
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
        id="client-id"
        label="Application (client) id"
        value={settings.clientId}
        placeholder="00000000-0000-0000-0000-000000000000"
        locked={locked.has('clientId')}
        validate={validateClientId}
        save={(clientId) => store.update({ clientId })}
        help="From the overview of the app registration below."
      />
      {settings.clientId === '' && (
        <p class="notice warn">
          Sign-in needs an app registration: register one with the command below and paste the client id it
          prints here.
        </p>
      )}
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
      <Registration cloud={settings.cloud} />
    </section>
  );
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
