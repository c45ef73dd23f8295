/**
 * The options page: sign-in configuration (cloud, app registration, tenant) with the redirect URI to register
 * and the command that does it, user names, the session's display and redirections, and how to reach VMs.
 * Every field is validated and saved on its own as soon as it changes; invalid input shows why and is not
 * saved. Values an organisation set by policy are shown locked.
 */
import { render } from 'preact';
import browser from 'webextension-polyfill';
import { ConnectionSection } from './connection-section';
import { refreshPermissions, store } from './page-state';
import { SessionSection } from './session-section';
import { SignInSection } from './sign-in-section';

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

browser.permissions.onAdded.addListener(() => void refreshPermissions());
browser.permissions.onRemoved.addListener(() => void refreshPermissions());
browser.storage.onChanged.addListener((changes, area) => {
  // Another options tab, or a policy update: show what is stored now.
  if ((area === 'local' && 'settings' in changes) || area === 'managed') void store.load();
});
void refreshPermissions();
void store.load();

const root = document.getElementById('app');
if (root) render(<Options />, root);
