import { describe, expect, it } from 'vitest';
import { managedFields, parseSettings, type Settings } from '../../../../extension/settings';
import { createSettingsStore, type SettingsStorage } from '../../../../extension/ui/settings-store';

const GUID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const VM_KEY =
  '/subscriptions/6B1B3F2E-8C2A-4E5F-9D3C-1A2B3C4D5E6F/resourceGroups/RG-Prod/providers/Microsoft.Compute/virtualMachines/VM-Web-01'.toLowerCase();

// managedFields (extension/settings.ts): the policy values the store shows locked.
describe('managedFields', () => {
  it('keeps each valid policy value on its own', () => {
    expect(managedFields({ cloud: 'AzureUSGovernment', clientId: GUID, tenant: 'nope' })).toEqual({
      cloud: 'AzureUSGovernment',
      clientId: GUID,
    });
    expect(managedFields({ tenant: 'contoso.com', defaultUser: 'x' })).toEqual({ tenant: 'contoso.com' });
  });

  it('is empty without a policy', () => {
    for (const raw of [undefined, null, 'x', {}]) expect(managedFields(raw)).toEqual({});
  });
});

function memoryStorage(local: unknown, managed: unknown | Error) {
  const writes: Settings[] = [];
  const storage: SettingsStorage = {
    readLocal: async () => local,
    writeLocal: async (settings) => {
      writes.push(settings);
      local = settings;
    },
    readManaged: async () => {
      if (managed instanceof Error) throw managed;
      return managed;
    },
  };
  return { storage, writes };
}

describe('the settings store', () => {
  it('shows policy values locked and never writes them as the user’s', async () => {
    const { storage, writes } = memoryStorage(
      { tenant: 'fabrikam.com', clientId: GUID },
      { tenant: 'contoso.com' },
    );
    const store = createSettingsStore(storage, () => 42);
    await store.load();
    expect(store.effective.value.tenant).toBe('contoso.com');
    expect(store.effective.value.clientId).toBe(GUID);
    expect([...store.locked.value]).toEqual(['tenant']);
    expect(await store.update({ defaultUser: '.\\azureuser' })).toBe(true);
    expect(writes).toEqual([
      { ...parseSettings({ tenant: 'fabrikam.com', clientId: GUID }), defaultUser: '.\\azureuser' },
    ]);
    expect(store.save.value).toEqual({ state: 'saved', at: 42 });
  });

  it('works without managed storage (Firefox without a policy rejects)', async () => {
    const { storage } = memoryStorage(undefined, new Error('Managed storage manifest not found'));
    const store = createSettingsStore(storage);
    await store.load();
    expect(store.loaded.value).toBe(true);
    expect(store.locked.value.size).toBe(0);
    expect(store.effective.value).toEqual(parseSettings({}));
  });

  it('adds and removes per-VM user names', async () => {
    const { storage, writes } = memoryStorage({}, {});
    const store = createSettingsStore(storage);
    await store.load();
    await store.setUserFor(VM_KEY, 'AzureAD\\ada@contoso.com');
    expect(store.user.value.userByVm).toEqual({ [VM_KEY]: 'AzureAD\\ada@contoso.com' });
    await store.removeFor('userByVm', VM_KEY);
    expect(store.user.value.userByVm).toEqual({});
    expect(writes).toHaveLength(2);
  });

  it('refuses to write an invalid value, and keeps the stored one', async () => {
    const { storage, writes } = memoryStorage({ defaultUser: 'ok' }, {});
    const store = createSettingsStore(storage);
    await store.load();
    expect(await store.update({ defaultUser: 'bad\nname' })).toBe(false);
    expect(await store.update({ display: { mode: 'window', width: 50, multimon: false } })).toBe(false);
    expect(writes).toEqual([]);
    expect(store.user.value.defaultUser).toBe('ok');
    expect(store.save.value.state).toBe('error');
  });

  it('says when the browser could not save', async () => {
    const { storage } = memoryStorage({}, {});
    const store = createSettingsStore({
      ...storage,
      writeLocal: async () => {
        throw new Error('QUOTA_BYTES quota exceeded');
      },
    });
    await store.load();
    expect(await store.update({ privateIp: true })).toBe(false);
    expect(store.user.value.privateIp).toBe(false);
    expect(store.save.value).toEqual({ state: 'error', message: 'Not saved: QUOTA_BYTES quota exceeded' });
  });
});
