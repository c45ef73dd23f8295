import { describe, expect, it } from 'vitest';
import { managedFields, parseSettings, type Settings } from '../../extension/settings';
import {
  azCommand,
  isRedirectUri,
  validateClientId,
  validateDimension,
  validateTenant,
  validateUserName,
  validateVmKey,
} from '../../extension/ui/settings-form';
import { createSettingsStore, type SettingsStorage } from '../../extension/ui/settings-store';

const GUID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const VM =
  '/subscriptions/6B1B3F2E-8C2A-4E5F-9D3C-1A2B3C4D5E6F/resourceGroups/RG-Prod/providers/Microsoft.Compute/virtualMachines/VM-Web-01';
const VM_KEY = VM.toLowerCase();
const REDIRECT = 'https://gpgidagdndlidklfiinoafehceojjlha.chromiumapp.org/';

describe('field validation', () => {
  it('client id: empty or a GUID, trimmed and lower-cased', () => {
    expect(validateClientId('')).toEqual({ ok: true, value: '' });
    expect(validateClientId(`  ${GUID.toUpperCase()} `)).toEqual({ ok: true, value: GUID });
    for (const bad of ['0f1e2d3c', `${GUID}-`, `{${GUID}}`, 'RDP now']) {
      const result = validateClientId(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/application \(client\) id/);
    }
  });

  it('tenant: organizations, common, a GUID or a domain, any case', () => {
    expect(validateTenant('Organizations')).toEqual({ ok: true, value: 'organizations' });
    expect(validateTenant('common')).toEqual({ ok: true, value: 'common' });
    expect(validateTenant(GUID)).toEqual({ ok: true, value: GUID });
    expect(validateTenant(' Contoso.onmicrosoft.com ')).toEqual({
      ok: true,
      value: 'contoso.onmicrosoft.com',
    });
    for (const bad of ['', 'contoso', 'https://login.microsoftonline.com/contoso.com', 'a b.com']) {
      expect(validateTenant(bad).ok).toBe(false);
    }
  });

  it('user name: printable, at most 256 characters, empty allowed', () => {
    expect(validateUserName('')).toEqual({ ok: true, value: '' });
    expect(validateUserName(' .\\azureuser ')).toEqual({ ok: true, value: '.\\azureuser' });
    expect(validateUserName('AzureAD\\ada@contoso.com')).toEqual({
      ok: true,
      value: 'AzureAD\\ada@contoso.com',
    });
    expect(validateUserName('Jürgen')).toEqual({ ok: true, value: 'Jürgen' });
    expect(validateUserName('x'.repeat(256)).ok).toBe(true);
    expect(validateUserName('x'.repeat(257))).toEqual({
      ok: false,
      message: 'A user name can be at most 256 characters long.',
    });
    for (const bad of ['a\nb', 'a\tb', 'a\u200bb', 'a\u2028b', 'a\u0000b'])
      expect(validateUserName(bad).ok).toBe(false);
  });

  it('VM: a resource id or a portal address, keyed by the lower-cased id', () => {
    expect(validateVmKey(VM)).toEqual({ ok: true, value: VM_KEY });
    expect(validateVmKey(` ${VM}/overview `)).toEqual({ ok: true, value: VM_KEY });
    expect(
      validateVmKey(`https://portal.azure.com/#@contoso.onmicrosoft.com/resource${VM}/overview`),
    ).toEqual({
      ok: true,
      value: VM_KEY,
    });
    for (const bad of [
      '',
      'vm-web-01',
      VM.replace('virtualMachines', 'virtualMachineScaleSets'),
      'https://evil.example/#resource/subscriptions/x',
    ]) {
      const result = validateVmKey(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/resource id/);
    }
  });

  it('width and height: 200–8192 pixels or empty', () => {
    expect(validateDimension('', 'width')).toEqual({ ok: true, value: undefined });
    expect(validateDimension(' 1920 ', 'width')).toEqual({ ok: true, value: 1920 });
    expect(validateDimension('200', 'height')).toEqual({ ok: true, value: 200 });
    expect(validateDimension('8192', 'height')).toEqual({ ok: true, value: 8192 });
    expect(validateDimension('199', 'width')).toEqual({
      ok: false,
      message: 'Enter a width from 200 to 8192 pixels, or leave it empty.',
    });
    for (const bad of ['8193', '1e3', '1024.5', '-800', '0x400', 'wide']) {
      expect(validateDimension(bad, 'height').ok).toBe(false);
    }
  });
});

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

describe('azCommand', () => {
  it('is the documented registration with the redirect URI filled in', () => {
    expect(azCommand([REDIRECT])).toBe(
      [
        'read APPID OBJID < <(az ad app create --display-name "RDP now" --sign-in-audience AzureADMultipleOrgs \\',
        `  --required-resource-accesses '[{"resourceAppId":"797f4846-ba00-4fd7-ba43-dac1f8f63013","resourceAccess":[{"id":"41094075-9dad-400e-a0bd-54e686782033","type":"Scope"}]}]' \\`,
        '  --query "[appId,id]" -o tsv)',
        'az rest --method PATCH --uri "https://graph.microsoft.com/v1.0/applications/$OBJID" \\',
        `  --headers Content-Type=application/json --body '{"spa":{"redirectUris":["${REDIRECT}"]}}'`,
        'echo "Application (client) id: $APPID"',
      ].join('\n'),
    );
  });

  it('lists several URIs and uses the Graph and CLI cloud of a sovereign cloud', () => {
    const firefox = 'https://0123456789abcdef0123456789abcdef01234567.extensions.allizom.org/';
    const gov = azCommand([REDIRECT, firefox], 'AzureUSGovernment');
    expect(gov.split('\n')[0]).toBe('az cloud set --name AzureUSGovernment && az login');
    expect(gov).toContain('--uri "https://graph.microsoft.us/v1.0/applications/$OBJID"');
    expect(gov).toContain(`{"spa":{"redirectUris":["${REDIRECT}","${firefox}"]}}`);
    expect(azCommand([REDIRECT], 'AzureChinaCloud')).toContain(
      'https://microsoftgraph.chinacloudapi.cn/v1.0/',
    );
  });

  it('never puts anything but a plain https URI into the shell command', () => {
    expect(isRedirectUri(REDIRECT)).toBe(true);
    expect(isRedirectUri("https://x.chromiumapp.org/'; rm -rf ~; '")).toBe(false);
    expect(isRedirectUri('http://x.chromiumapp.org/')).toBe(false);
    expect(isRedirectUri('https://x.chromiumapp.org/path')).toBe(false);
    expect(azCommand([REDIRECT, "https://a.b/'$(id)'"])).not.toContain('$(id)');
    expect(() => azCommand(['chrome-extension://abc/'])).toThrow();
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
    await store.removeUserFor(VM_KEY);
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
