/**
 * The options page: sign-in configuration (cloud, app registration, tenant) with the redirect URI to register
 * and the command that does it, user names, the session's display and redirections, and how to reach VMs.
 * Every field is validated and saved on its own as soon as it changes; invalid input shows why and is not
 * saved. Values an organisation set by policy are shown locked.
 */
import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { isAzureCloudName } from '../../shared/resource-id';
import { CLIENT_CHOICES } from '../messages';
import { IP_LOOKUP_ORIGIN, type Settings } from '../settings';
import { CLIENT_NAMES } from '../ui/format';
import {
  azCommand,
  CLOUD_NAMES,
  isRedirectUri,
  type Validated,
  validateClientId,
  validateDimension,
  validateSourceIp,
  validateTenant,
  validateUserName,
  validateVmKey,
} from '../ui/settings-form';
import { createSettingsStore } from '../ui/settings-store';

const store = createSettingsStore({
  async readLocal() {
    return (await browser.storage.local.get('settings')).settings;
  },
  async writeLocal(settings) {
    await browser.storage.local.set({ settings });
  },
  // Firefox rejects without a policy, and a browser may have no managed area at all: both mean "no policy".
  async readManaged() {
    return browser.storage.managed ? await browser.storage.managed.get() : {};
  },
});

/** Whether the browser lets the extension reach the IP-lookup host (the optional permission). */
const ipLookupAllowed = signal(false);
const ipLookupMessage = signal<string | null>(null);

function redirectUri(): string | null {
  try {
    const uri = browser.identity.getRedirectURL();
    return isRedirectUri(uri) ? uri : null;
  } catch {
    return null;
  }
}
const REDIRECT_URI = redirectUri();

function Locked({ locked }: { locked: boolean }) {
  return locked ? <span class="locked">Set by your organisation</span> : null;
}

function FieldError({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <p id={id} class="field-error bad" role="alert">
      {message}
    </p>
  ) : null;
}

function Copy({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      type="button"
      aria-label={label}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setCopied('copied'),
          () => setCopied('failed'),
        );
      }}
    >
      {copied === 'copied' ? 'Copied' : copied === 'failed' ? 'Select and copy it' : 'Copy'}
    </button>
  );
}

interface TextFieldProps<T> {
  id: string;
  label: string;
  value: string;
  help?: ComponentChildren;
  placeholder?: string;
  locked?: boolean;
  inputMode?: 'numeric' | 'text';
  validate: (text: string) => Validated<T>;
  save: (value: T) => Promise<boolean>;
}

/** A text input saved on change (blur or Enter) when valid; otherwise its message shows and nothing is saved. */
function TextField<T>(props: TextFieldProps<T>) {
  const [draft, setDraft] = useState(props.value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(props.value);
    setError(null);
  }, [props.value]);
  const errorId = `${props.id}-error`;
  const helpId = `${props.id}-help`;
  return (
    <div class="field">
      <label for={props.id}>
        {props.label} <Locked locked={props.locked === true} />
      </label>
      <input
        id={props.id}
        type="text"
        spellcheck={false}
        autocomplete="off"
        inputMode={props.inputMode ?? 'text'}
        placeholder={props.placeholder}
        value={draft}
        disabled={props.locked}
        aria-invalid={error !== null}
        aria-describedby={[props.help ? helpId : '', error ? errorId : ''].join(' ').trim() || undefined}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onChange={(e) => {
          const result = props.validate(e.currentTarget.value);
          if (!result.ok) {
            setError(result.message);
            return;
          }
          setError(null);
          void props.save(result.value);
        }}
      />
      <FieldError id={errorId} message={error} />
      {props.help && (
        <p id={helpId} class="help muted">
          {props.help}
        </p>
      )}
    </div>
  );
}

function Toggle(props: {
  id: string;
  label: ComponentChildren;
  help: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div class="field toggle">
      <input
        id={props.id}
        type="checkbox"
        checked={props.checked}
        aria-describedby={`${props.id}-help`}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <div>
        <label for={props.id}>{props.label}</label>
        <p id={`${props.id}-help`} class="help muted">
          {props.help}
        </p>
      </div>
    </div>
  );
}

function SignInSection({ settings }: { settings: Settings }) {
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

function PerVmUsers({ byVm }: { byVm: Readonly<Record<string, string>> }) {
  const [vmText, setVmText] = useState('');
  const [userText, setUserText] = useState('');
  const [vmError, setVmError] = useState<string | null>(null);
  const [userError, setUserError] = useState<string | null>(null);
  const entries = Object.entries(byVm).sort(([a], [b]) => a.localeCompare(b));
  const add = async (e: Event) => {
    e.preventDefault();
    const vm = validateVmKey(vmText);
    const user = validateUserName(userText);
    setVmError(vm.ok ? null : vm.message);
    setUserError(user.ok ? (user.value === '' ? 'Enter the user name for this VM.' : null) : user.message);
    if (!vm.ok || !user.ok || user.value === '') return;
    if (await store.setUserFor(vm.value, user.value)) {
      setVmText('');
      setUserText('');
    }
  };
  return (
    <div class="field">
      <h3 id="per-vm-title">User names for particular VMs</h3>
      {entries.length === 0 ? (
        <p class="muted">None: every VM uses the default user name.</p>
      ) : (
        <ul class="per-vm" aria-labelledby="per-vm-title">
          {entries.map(([key, name]) => {
            const label = vmLabel(key);
            return (
              <li key={key}>
                <span class="per-vm-vm" title={key}>
                  {label}
                </span>
                <span class="per-vm-user">{name}</span>
                <button
                  type="button"
                  aria-label={`Remove the user name for ${label}`}
                  onClick={() => void store.removeUserFor(key)}
                >
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form class="per-vm-add" onSubmit={(e) => void add(e)} aria-label="Add a user name for a VM">
        <div>
          <label for="per-vm-id">VM resource id or portal address</label>
          <input
            id="per-vm-id"
            type="text"
            spellcheck={false}
            autocomplete="off"
            placeholder="/subscriptions/…/virtualMachines/vm1"
            value={vmText}
            aria-invalid={vmError !== null}
            aria-describedby={vmError ? 'per-vm-id-error' : undefined}
            onInput={(e) => setVmText(e.currentTarget.value)}
          />
          <FieldError id="per-vm-id-error" message={vmError} />
        </div>
        <div>
          <label for="per-vm-user">User name</label>
          <input
            id="per-vm-user"
            type="text"
            spellcheck={false}
            autocomplete="off"
            placeholder=".\azureuser"
            value={userText}
            aria-invalid={userError !== null}
            aria-describedby={userError ? 'per-vm-user-error' : undefined}
            onInput={(e) => setUserText(e.currentTarget.value)}
          />
          <FieldError id="per-vm-user-error" message={userError} />
        </div>
        <button type="submit">Add</button>
      </form>
    </div>
  );
}

/** `vm1 (rg-prod)` from a lower-cased resource id key. */
function vmLabel(key: string): string {
  const segments = key.split('/');
  const name = segments[8];
  const group = segments[4];
  return name && group ? `${name} (${group})` : key;
}

/** Must run inside the click: browsers grant permission requests only in a user gesture. */
function setIpLookup(on: boolean): void {
  ipLookupMessage.value = null;
  if (!on) {
    void store.update({ ipLookup: false });
    browser.permissions.remove({ origins: [IP_LOOKUP_ORIGIN] }).then(
      () => {
        ipLookupAllowed.value = false;
      },
      () => undefined,
    );
    return;
  }
  browser.permissions.request({ origins: [IP_LOOKUP_ORIGIN] }).then(
    async (granted) => {
      ipLookupAllowed.value = granted;
      if (granted) await store.update({ ipLookup: true });
      else ipLookupMessage.value = 'The browser did not allow the lookup, so it stays off.';
    },
    (e: unknown) => {
      ipLookupMessage.value = `The browser refused the permission: ${e instanceof Error ? e.message : String(e)}`;
    },
  );
}

function ConnectionSection({ settings }: { settings: Settings }) {
  return (
    <section aria-labelledby="connection-title">
      <h2 id="connection-title">Connecting</h2>
      <TextField
        id="default-user"
        label="Default user name"
        value={settings.defaultUser}
        placeholder=".\azureuser"
        validate={validateUserName}
        save={(defaultUser) => store.update({ defaultUser })}
        help="For every VM without its own below, e.g. .\azureuser, VM1\admin or AzureAD\user@contoso.com. Empty: the client asks. Passwords are never stored."
      />
      <PerVmUsers byVm={settings.userByVm} />
      <div class="field">
        <label for="client">Remote Desktop client</label>
        <select
          id="client"
          value={settings.preferredClient}
          aria-describedby="client-help"
          onChange={(e) => {
            const choice = CLIENT_CHOICES.find((c) => c === e.currentTarget.value);
            if (choice) void store.update({ preferredClient: choice });
          }}
        >
          {CLIENT_CHOICES.map((c) => (
            <option key={c} value={c}>
              {CLIENT_NAMES[c]}
            </option>
          ))}
        </select>
        <p id="client-help" class="help muted">
          The companion host starts this one when it is installed, else the best one it finds.
        </p>
      </div>
      <Toggle
        id="private-ip"
        label="Connect to private IP addresses"
        checked={settings.privateIp}
        onChange={(privateIp) => void store.update({ privateIp })}
        help="For VMs you reach over a VPN, ExpressRoute or peering: connect to the VM’s private address instead of a public one."
      />
      <Toggle
        id="ip-lookup"
        label="Look up my public IP address"
        checked={settings.ipLookup && ipLookupAllowed.value}
        onChange={setIpLookup}
        help="Asks api.ipify.org (the browser asks you to allow it once) so the checks can tell whether the network rules and just-in-time access let your address in. Off: those checks say they cannot tell instead of passing."
      />
      {settings.ipLookup && !ipLookupAllowed.value && !ipLookupMessage.value && (
        <p class="notice warn">The lookup is not allowed yet: tick the box above to allow it.</p>
      )}
      {ipLookupMessage.value && (
        <p class="notice bad" role="alert">
          {ipLookupMessage.value}
        </p>
      )}
      <TextField
        id="source-ip"
        label="My IP address (optional)"
        value={settings.sourceIp}
        placeholder="203.0.113.7"
        validate={validateSourceIp}
        save={(sourceIp) => store.update({ sourceIp })}
        help="The address Azure sees when you connect. Set it when the lookup is wrong (proxies, VPNs) or turned off; it wins over the lookup."
      />
    </section>
  );
}

function SessionSection({ settings }: { settings: Settings }) {
  const { display, redirections } = settings;
  const setDisplay = (patch: Partial<Settings['display']>) =>
    store.update({ display: { ...display, ...patch } });
  const setSize = (which: 'width' | 'height', value: number | undefined) => {
    const { [which]: _old, ...rest } = display;
    return store.update({ display: value === undefined ? rest : { ...rest, [which]: value } });
  };
  return (
    <section aria-labelledby="session-title">
      <h2 id="session-title">The session</h2>
      <Toggle
        id="entra"
        label="Sign in to VMs with Entra ID"
        checked={settings.entraSignIn}
        onChange={(entraSignIn) => void store.update({ entraSignIn })}
        help="For VMs joined to Entra ID (with the AADLoginForWindows extension): you sign in to Windows with your work account instead of a local one. On Windows this needs an .rdp file, so Windows shows its security dialog before connecting."
      />
      <fieldset class="field">
        <legend>Display</legend>
        <div class="choices">
          <label>
            <input
              type="radio"
              name="mode"
              value="fullscreen"
              checked={display.mode === 'fullscreen'}
              onChange={() => void setDisplay({ mode: 'fullscreen' })}
            />{' '}
            Full screen
          </label>
          <label>
            <input
              type="radio"
              name="mode"
              value="window"
              checked={display.mode === 'window'}
              onChange={() => void setDisplay({ mode: 'window' })}
            />{' '}
            Window
          </label>
        </div>
        <div class="size">
          <TextField
            id="width"
            label="Width (pixels)"
            inputMode="numeric"
            placeholder="client default"
            value={display.width === undefined ? '' : String(display.width)}
            validate={(t) => validateDimension(t, 'width')}
            save={(w) => setSize('width', w)}
          />
          <TextField
            id="height"
            label="Height (pixels)"
            inputMode="numeric"
            placeholder="client default"
            value={display.height === undefined ? '' : String(display.height)}
            validate={(t) => validateDimension(t, 'height')}
            save={(h) => setSize('height', h)}
          />
        </div>
        <p class="help muted">The window’s size in window mode; empty leaves it to the client.</p>
        <Toggle
          id="multimon"
          label="Use all my monitors"
          checked={display.multimon}
          onChange={(multimon) => void setDisplay({ multimon })}
          help="Spans the session over every monitor (full screen)."
        />
      </fieldset>
      <fieldset class="field">
        <legend>Share with the VM</legend>
        <Toggle
          id="clipboard"
          label="Clipboard"
          checked={redirections.clipboard}
          onChange={(clipboard) => void store.update({ redirections: { ...redirections, clipboard } })}
          help="Copy and paste between this computer and the VM."
        />
        <Toggle
          id="printers"
          label="Printers"
          checked={redirections.printers}
          onChange={(printers) => void store.update({ redirections: { ...redirections, printers } })}
          help="Print from the VM to this computer’s printers."
        />
        <p class="help muted">
          Drives, smart cards, USB and other devices, cameras, the microphone, COM ports, security keys and
          location are always off, by design: the companion host refuses them, so nothing a web page does can
          open this computer to a VM.
        </p>
      </fieldset>
    </section>
  );
}

function SaveStatus() {
  const save = store.save.value;
  return (
    <p class={`save-status ${save.state === 'error' ? 'bad' : 'ok'}`} role="status" aria-live="polite">
      {save.state === 'saved' ? 'Saved.' : save.state === 'error' ? save.message : ''}
    </p>
  );
}

function Options() {
  if (!store.loaded.value) return <p class="muted">Loading…</p>;
  const settings = store.effective.value;
  return (
    <main>
      <header>
        <h1>RDP now options</h1>
        <SaveStatus />
      </header>
      <SignInSection settings={settings} />
      <ConnectionSection settings={settings} />
      <SessionSection settings={settings} />
    </main>
  );
}

async function refreshIpLookupPermission(): Promise<void> {
  try {
    ipLookupAllowed.value = await browser.permissions.contains({ origins: [IP_LOOKUP_ORIGIN] });
  } catch {
    ipLookupAllowed.value = false;
  }
}

browser.permissions.onAdded.addListener(() => void refreshIpLookupPermission());
browser.permissions.onRemoved.addListener(() => void refreshIpLookupPermission());
browser.storage.onChanged.addListener((changes, area) => {
  // Another options tab, or a policy update: show what is stored now.
  if ((area === 'local' && 'settings' in changes) || area === 'managed') void store.load();
});
void refreshIpLookupPermission();
void store.load();

const root = document.getElementById('app');
if (root) render(<Options />, root);
