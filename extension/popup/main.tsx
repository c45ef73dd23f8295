/**
 * The toolbar popup: recent VMs with one-click reconnect (check, then launch), the companion host's status,
 * sign-in, and the NSG rules the extension added. State lives in the signals stores of ../ui; this file only
 * renders them and wires the browser.
 */
import { signal } from '@preact/signals';
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { RecentVm } from '../messages';
import { Advice } from '../ui/advice';
import { ask, onProgress } from '../ui/background-client';
import { errorText, relativeTime, shortSubscription, vmTitleId } from '../ui/format';
import { IpUnknown } from '../ui/ip-unknown';
import { pageBrowser } from '../ui/page-browser';
import { createRecentsStore, isBusy, lastUsed, type RecentsStore } from '../ui/recents-store';
import { rovingKeydown } from '../ui/roving';
import { SETUP_PAGE } from '../ui/setup-steps';
import { allowIpLookup, ipLookupReady, saveSourceIp } from '../ui/source-ip';
import { createStatusStore, ruleRows, type StatusStore } from '../ui/status-store';
import { ClosedTunnels, loadTunnelNotices, tunnelNotices } from './closed-tunnels';

const browser = pageBrowser();
const recents = createRecentsStore(ask);
const status = createStatusStore(ask);
/** Relative times are rendered against this, refreshed while the popup is open. */
const now = signal(Date.now());
const footerError = signal<string | null>(null);
/** Whether the next check knows the user's IP (typed, or the lookup on and allowed); null until read. */
const ipReady = signal<boolean | null>(null);

const RESULT_LABEL: Record<RecentVm['lastResult'], [string, string]> = {
  ready: ['Ready', 'ok'],
  'not-ready': ['Not ready', 'warn'],
  error: ['Error', 'bad'],
};

function lastLine(vm: RecentVm, at: number): string {
  if (vm.lastConnectedAt !== undefined && vm.lastConnectedAt >= vm.lastCheckedAt) {
    return `connected ${relativeTime(vm.lastConnectedAt, at)}`;
  }
  return `checked ${relativeTime(lastUsed(vm), at)}`;
}

function RowStatus({ vm, store }: { vm: RecentVm; store: RecentsStore }) {
  const state = store.rowOf(vm.id);
  if (!state) return null;
  const tone = { checking: '', launching: '', launched: 'ok', 'not-ready': 'warn', failed: 'bad' }[
    state.phase
  ];
  return (
    <div class={`notice ${tone}`}>
      <p>
        {isBusy(state) && <span class="spinner" aria-hidden="true" />}
        <Advice text={state.message} />
      </p>
      {state.blocking.length > 0 && (
        <ul class="blocking">
          {state.blocking.map((summary) => (
            <li key={summary}>{summary}</li>
          ))}
        </ul>
      )}
      {state.canStart && (
        <p>
          <button type="button" class="primary" onClick={() => void store.startVm(vm)}>
            Start VM
          </button>
        </p>
      )}
      {state.portalUrl && (
        <p>
          <a href={state.portalUrl} target="_blank" rel="noopener noreferrer">
            Open the VM in the portal to fix
          </a>
        </p>
      )}
      {state.setupStep && (
        <button type="button" class="primary" onClick={() => void openSetup()}>
          Open the set-up page
        </button>
      )}
    </div>
  );
}

function VmRow({ vm, store }: { vm: RecentVm; store: RecentsStore }) {
  const state = store.rowOf(vm.id);
  const busy = isBusy(state);
  const [label, tone] = RESULT_LABEL[vm.lastResult];
  const titleId = vmTitleId(vm.id);
  // A Linux VM is reached with SSH (its last check says how): no Connect to offer.
  const connectable = vm.os !== 'linux';
  // The row's one tab stop (see ui/roving.ts): Connect, or Pin when Connect is absent or busy.
  const stop = connectable && !busy ? 'connect' : 'pin';
  return (
    <li class="vm" aria-labelledby={titleId} tabIndex={-1}>
      <div class="vm-head">
        <div class="vm-text">
          <h3 id={titleId} class="vm-name">
            {vm.pinned && <span class="visually-hidden">Pinned: </span>}
            {vm.name}
          </h3>
          <p class="vm-meta muted">
            {vm.resourceGroup} · <span title={vm.subscriptionId}>{shortSubscription(vm.subscriptionId)}</span>
          </p>
        </div>
        <div class="vm-actions">
          {connectable && (
            <button
              type="button"
              class="primary"
              disabled={busy}
              tabIndex={stop === 'connect' ? 0 : -1}
              aria-label={`Connect to ${vm.name}`}
              onClick={() => void store.reconnect(vm)}
            >
              {busy ? 'Working…' : 'Connect'}
            </button>
          )}
          <button
            type="button"
            class="icon"
            tabIndex={stop === 'pin' ? 0 : -1}
            aria-pressed={vm.pinned}
            aria-label={`Pin ${vm.name}`}
            title={vm.pinned ? 'Unpin' : 'Pin to the top'}
            onClick={() => void store.setPinned(vm.id, !vm.pinned)}
          >
            <span aria-hidden="true">{vm.pinned ? '★' : '☆'}</span>
          </button>
          <button
            type="button"
            class="icon"
            disabled={busy}
            tabIndex={-1}
            aria-label={`Remove ${vm.name} from recent VMs`}
            title="Remove from the list"
            onClick={() => void store.remove(vm.id)}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      </div>
      <p class="vm-last">
        <span class={`badge ${tone}`}>{label}</span> {vm.lastSummary}{' '}
        <span class="muted">({lastLine(vm, now.value)})</span>
      </p>
      <div role="status" aria-live="polite">
        <RowStatus vm={vm} store={store} />
      </div>
    </li>
  );
}

function Recents({ store }: { store: RecentsStore }) {
  const search = useRef<HTMLInputElement>(null);
  const hasAny = store.recents.value.length > 0;
  const notices = tunnelNotices.value;
  useEffect(() => {
    // Once the notices are known: a closed tunnel's Connect again takes the first focus instead.
    if (hasAny && notices?.length === 0) search.current?.focus();
  }, [hasAny, notices === null]);
  const visible = store.visible.value;
  return (
    <section aria-labelledby="recents-title">
      <h2 id="recents-title">Recent VMs</h2>
      {store.error.value && (
        <p class="notice bad" role="alert">
          {store.error.value}
        </p>
      )}
      {!store.loaded.value ? (
        <p class="muted">Loading…</p>
      ) : !hasAny ? (
        <p class="muted">
          No VMs yet. Open a Windows VM in the Azure portal and click “RDP now”: it will be listed here for a
          one-click reconnect.
        </p>
      ) : (
        <>
          <input
            ref={search}
            type="search"
            class="search"
            placeholder="Search name, resource group or subscription"
            aria-label="Search recent VMs"
            value={store.query.value}
            onInput={(e) => {
              store.query.value = e.currentTarget.value;
            }}
          />
          {visible.length === 0 ? (
            <p class="muted">No recent VM matches “{store.query.value}”.</p>
          ) : (
            <ul
              class="vms"
              aria-label="Recent VMs: arrow keys move between VMs and their buttons"
              onKeyDown={(e) => rovingKeydown(e, e.currentTarget, ':scope > li', '.vm-actions button')}
            >
              {visible.map((vm) => (
                <VmRow key={vm.id} vm={vm} store={store} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Account({ store }: { store: StatusStore }) {
  const auth = store.auth.value;
  const busy = store.authBusy.value;
  return (
    <section aria-labelledby="account-title" class="panel">
      <h2 id="account-title">Azure sign-in</h2>
      <div class="panel-row">
        <p>
          {auth === null
            ? 'Checking…'
            : auth.signedIn
              ? `Signed in${auth.account ? ` as ${auth.account}` : ''}.`
              : busy
                ? 'Signing in: finish in the window that opens.'
                : 'Not signed in.'}
        </p>
        {auth !== null &&
          (auth.signedIn ? (
            <button type="button" disabled={busy} onClick={() => void store.signOut()}>
              Sign out
            </button>
          ) : (
            <button type="button" class="primary" disabled={busy} onClick={() => void store.signIn()}>
              Sign in
            </button>
          ))}
      </div>
      {store.authError.value && (
        <p class="notice bad" role="alert">
          <Advice text={store.authError.value} />
        </p>
      )}
    </section>
  );
}

function Host({ store }: { store: StatusStore }) {
  const host = store.host.value;
  return (
    <section aria-labelledby="host-title" class="panel">
      <h2 id="host-title">Companion host</h2>
      {host.state === 'loading' && <p class="muted">Looking for the host…</p>}
      {host.state === 'ok' && (
        <p>
          <span class="ok">Installed</span> (version {host.version}).{' '}
          {host.defaultClient === null ? (
            <span class="warn">
              No Remote Desktop client found: install Remmina, FreeRDP or the Windows App.
            </span>
          ) : (
            <>Opens sessions with {host.defaultClient}.</>
          )}
        </p>
      )}
      {host.state === 'error' && (
        <p class="notice bad">
          <Advice text={host.message} />
        </p>
      )}
    </section>
  );
}

function Rules({ store }: { store: StatusStore }) {
  const rows = ruleRows(store.rules.value, now.value);
  if (rows.length === 0 && !store.rulesError.value) return null;
  return (
    <section aria-labelledby="rules-title" class="panel">
      <h2 id="rules-title">Network rules added by RDP now</h2>
      {store.rulesError.value && (
        <p class="notice bad" role="alert">
          <Advice text={store.rulesError.value} />
        </p>
      )}
      <ul class="rules">
        {rows.map((rule) => (
          <li key={rule.key} class="rule">
            <div>
              <strong>{rule.nsgName}</strong> / {rule.ruleName}
              <p class="muted">
                from {rule.sourceIp}, {rule.expiry}
              </p>
              {rule.expired && (
                <p class="warn">RDP now could not remove it when it expired: remove it now.</p>
              )}
            </div>
            <button
              type="button"
              disabled={store.removing.value.has(rule.key)}
              aria-label={`Remove rule ${rule.ruleName} from ${rule.nsgName}`}
              onClick={() => void store.removeRule(rule)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

async function openSetup(): Promise<void> {
  try {
    await browser.tabs.create({ url: browser.runtime.getURL(SETUP_PAGE) });
    window.close();
  } catch (e) {
    footerError.value = errorText(e);
  }
}

async function openOptions(): Promise<void> {
  try {
    await browser.runtime.openOptionsPage();
    window.close();
  } catch (e) {
    footerError.value = errorText(e);
  }
}

/** Shown while the next check would not know the user's IP: make it known here, as in the report. */
function SourceIp() {
  if (ipReady.value !== false) return null;
  return (
    <IpUnknown
      idPrefix="popup"
      allowLookup={allowIpLookup}
      saveAddress={saveSourceIp}
      onKnown={() => {
        ipReady.value = true;
      }}
    />
  );
}

function Popup() {
  return (
    <main>
      <header class="top">
        <h1>RDP now</h1>
        <span>
          <button type="button" class="link" onClick={() => void openSetup()}>
            Set up
          </button>{' '}
          <button type="button" class="link" onClick={() => void openOptions()}>
            Options
          </button>
        </span>
      </header>
      <ClosedTunnels store={recents} />
      <SourceIp />
      <Recents store={recents} />
      <Account store={status} />
      <Host store={status} />
      <Rules store={status} />
      {footerError.value && <p class="notice bad">{footerError.value}</p>}
    </main>
  );
}

onProgress((message) => recents.progress(message));
// A fix applied in a report while the popup is open: the rows show the check after it.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && 'recents' in changes) void recents.load();
  // A tunnel failed (or its notice was cleared) while the popup is open.
  if (area === 'session' && 'tunnelNotices' in changes) void loadTunnelNotices();
});
setInterval(() => {
  now.value = Date.now();
}, 30_000);
void recents.load();
void loadTunnelNotices();
void status.load();
void ipLookupReady().then((ready) => {
  ipReady.value = ready;
});

const root = document.getElementById('app');
if (root) render(<Popup />, root);
