// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { SETTING_LABELS } from '../../../../extension/ui/setting-labels';

const GUID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const REDIRECT = 'https://gpgidagdndlidklfiinoafehceojjlha.chromiumapp.org/';
const VM_KEY = '/subscriptions/x/resourcegroups/rg-prod/providers/microsoft.compute/virtualmachines/vm1';

const events = { addListener: () => undefined };
const writes = vi.hoisted(() => [] as unknown[]);
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      local: {
        get: async () => ({
          settings: {
            defaultUser: '.\\azureuser',
            userByVm: { [VM_KEY]: 'ada' },
            viaByVm: { [VM_KEY]: 'bastion' },
          },
        }),
        set: async (items: unknown) => {
          writes.push(items);
        },
      },
      managed: { get: async () => ({ clientId: GUID, signInMethod: 'app-registration' }) },
      onChanged: events,
    },
    permissions: {
      contains: async () => true,
      remove: async () => true,
      request: async () => true,
      onAdded: events,
      onRemoved: events,
    },
    identity: { getRedirectURL: () => REDIRECT },
  },
}));

describe('the options page', () => {
  it('puts its three sections together, each with the stored settings and the policy', async () => {
    document.body.innerHTML = '<div id="app"></div>';
    await import('../../../../extension/options/main');
    await vi.waitFor(() => expect(document.querySelector('main')).not.toBeNull());
    const titles = [...document.querySelectorAll('h2')].map((h) => h.textContent);
    expect(titles).toEqual(['Sign-in', 'Connecting', 'The session']);
    // Sign-in: the policy's method (the own app registration) and client id, locked; the redirect URI to register.
    const method = document.querySelector<HTMLInputElement>('input[value="app-registration"]');
    expect(method?.checked).toBe(true);
    expect(method?.disabled).toBe(true);
    const clientId = document.getElementById('client-id') as HTMLInputElement;
    expect(clientId.value).toBe(GUID);
    expect(clientId.disabled).toBe(true);
    expect(document.getElementById('redirect-uri')?.textContent).toBe(REDIRECT);
    expect(document.getElementById('az-command')?.textContent).toContain(REDIRECT);
    // Connecting: the user names; the IP lookup on, its permission granted.
    expect((document.getElementById('default-user') as HTMLInputElement).value).toBe('.\\azureuser');
    expect(document.querySelector('.per-vm-vm')?.textContent).toBe('vm1 (rg-prod)');
    // …and the routes chosen in reports, each with its Remove.
    const routes = document.querySelector('ul[aria-labelledby="per-vm-routes-title"]');
    expect(routes?.textContent).toContain('vm1 (rg-prod)');
    expect(routes?.textContent).toContain('Through Azure Bastion');
    routes
      ?.querySelector<HTMLButtonElement>('button[aria-label="Remove the chosen route for vm1 (rg-prod)"]')
      ?.click();
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]).toMatchObject({ settings: { viaByVm: {}, userByVm: { [VM_KEY]: 'ada' } } });
    expect((document.getElementById('ip-lookup') as HTMLInputElement).checked).toBe(true);
    // Reaching Azure Bastion: its permission granted too.
    expect((document.getElementById('bastion-access') as HTMLInputElement).checked).toBe(true);
    // The session: full screen and no clipboard by default.
    expect(document.querySelector<HTMLInputElement>('input[value="fullscreen"]')?.checked).toBe(true);
    expect((document.getElementById('clipboard') as HTMLInputElement).checked).toBe(false);
  });

  it('shows every setting the other pages name under exactly that label', async () => {
    // A label's own words, without the "Set by your organisation" mark a locked setting carries.
    const labels = [...document.querySelectorAll('label')].map((label) => {
      const words = label.cloneNode(true) as HTMLElement;
      for (const mark of words.querySelectorAll('.locked')) mark.remove();
      return words.textContent?.trim();
    });
    for (const label of Object.values(SETTING_LABELS)) expect(labels).toContain(label);
  });
});
