import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  parseSettings,
  routeFor,
  type Settings,
  TenantSchema,
  userFor,
} from '../../../extension/settings';
import { isAuthorityTenant } from '../../../shared/tenant';

const GUID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const VM =
  '/subscriptions/6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f/resourceGroups/RG-Prod/providers/Microsoft.Compute/virtualMachines/VM-Web-01';

const DEFAULTS: Settings = {
  signInMethod: 'host',
  cloud: 'AzureCloud',
  clientId: '',
  tenant: 'organizations',
  defaultUser: '',
  userByVm: {},
  viaByVm: {},
  entraSignIn: false,
  display: { mode: 'fullscreen', multimon: false },
  redirections: { clipboard: false, printers: false },
  ipLookup: true,
  sourceIp: '',
  preferredClient: 'auto',
  privateIp: false,
};

/** A stored object with every field set to a valid non-default value. */
const FULL: Settings = {
  signInMethod: 'app-registration',
  cloud: 'AzureUSGovernment',
  clientId: GUID,
  tenant: 'contoso.onmicrosoft.com',
  defaultUser: '.\\azureuser',
  userByVm: { [VM.toLowerCase()]: 'AzureAD\\ada@contoso.com' },
  viaByVm: { [VM.toLowerCase()]: 'bastion' },
  entraSignIn: true,
  display: { mode: 'window', width: 1600, height: 900, multimon: true },
  redirections: { clipboard: true, printers: true },
  ipLookup: false,
  sourceIp: '203.0.113.7',
  preferredClient: 'remmina',
  privateIp: true,
};

describe('parseSettings: defaults', () => {
  it.each([undefined, null, 42, 'settings', [], {}])('gives the defaults for %j', (stored) => {
    expect(parseSettings(stored)).toEqual(DEFAULTS);
    expect(defaultSettings()).toEqual(DEFAULTS);
  });

  it('keeps every valid field', () => {
    expect(parseSettings(FULL)).toEqual(FULL);
  });

  it('ignores unknown keys', () => {
    expect(parseSettings({ ...FULL, password: 'hunter2', gateway: 'x' })).toEqual(FULL);
  });

  it('fills missing nested fields with their defaults', () => {
    expect(parseSettings({ display: { mode: 'window' } }).display).toEqual({
      mode: 'window',
      multimon: false,
    });
    expect(parseSettings({ redirections: { clipboard: true } }).redirections).toEqual({
      clipboard: true,
      printers: false,
    });
  });
});

describe('parseSettings: an invalid field falls back to its default alone', () => {
  const invalid: Array<[keyof Settings, unknown]> = [
    ['cloud', 'AzureGermanCloud'],
    ['cloud', 42],
    ['clientId', 'not-a-guid'],
    ['clientId', `${GUID}x`],
    ['tenant', ''],
    ['tenant', 'contoso'],
    ['tenant', 'https://login.microsoftonline.com/contoso'],
    ['tenant', '../../x'],
    ['tenant', 'a b'],
    ['tenant', `${'a'.repeat(200)}.com`],
    ['tenant', 'contoso.onmicrosoft.com/x'],
    ['defaultUser', 'a\nb'],
    ['defaultUser', 'x'.repeat(257)],
    ['defaultUser', 'zero\u200bwidth'],
    ['userByVm', { [VM.toLowerCase()]: 'line\rbreak' }],
    ['userByVm', { [VM.toLowerCase()]: 7 }],
    ['userByVm', 'admin'],
    ['viaByVm', { [VM.toLowerCase()]: 'tunnel' }],
    ['viaByVm', { [VM.toLowerCase()]: 'auto' }],
    ['viaByVm', { ['x'.repeat(1025)]: 'direct' }],
    ['viaByVm', 'direct'],
    ['entraSignIn', 'yes'],
    ['display', { mode: 'kiosk' }],
    ['display', { mode: 'window', width: 100 }],
    ['display', { mode: 'window', height: 9000 }],
    ['display', { mode: 'window', width: 1024.5 }],
    ['redirections', { clipboard: 'on' }],
    ['redirections', null],
    ['ipLookup', 1],
    ['sourceIp', '203.0.113'],
    ['sourceIp', 'my laptop'],
    ['preferredClient', 'custom'],
    ['preferredClient', 'putty'],
    ['privateIp', 'false'],
  ];
  it.each(invalid)('%s = %j', (key, value) => {
    const parsed = parseSettings({ ...FULL, [key]: value });
    expect(parsed[key]).toEqual(DEFAULTS[key]);
    // Every other field is kept as stored.
    expect({ ...parsed, [key]: FULL[key] }).toEqual(FULL);
  });
});

describe('parseSettings: managed (policy) values', () => {
  it('win over the user’s cloud, client id and tenant', () => {
    const managed = {
      cloud: 'AzureChinaCloud',
      clientId: TENANT,
      tenant: TENANT,
      signInMethod: 'host',
    } as const;
    expect(parseSettings(FULL, managed)).toEqual({ ...FULL, ...managed });
  });

  it('apply over the defaults too, and only the fields they set', () => {
    expect(parseSettings(undefined, { tenant: 'fabrikam.com' })).toEqual({
      ...DEFAULTS,
      tenant: 'fabrikam.com',
    });
  });

  it('cannot preset anything else', () => {
    expect(parseSettings(FULL, { defaultUser: 'corp\\admin', privateIp: false })).toEqual(FULL);
  });

  it('are ignored when not an object or invalid', () => {
    expect(parseSettings(FULL, null)).toEqual(FULL);
    expect(parseSettings(FULL, 'AzureCloud')).toEqual(FULL);
    expect(parseSettings(FULL, { cloud: 'Mars' })).toEqual(FULL);
    expect(parseSettings(FULL, { tenant: '../../x' })).toEqual(FULL);
    expect(parseSettings(FULL, { tenant: 'a b' })).toEqual(FULL);
  });
});

describe('the tenant rule is shared/tenant.ts’s, wherever a tenant enters', () => {
  it.each([
    'organizations',
    'common',
    'consumers',
    'contoso.onmicrosoft.com',
    '72f988bf-86f1-41af-91ab-2d7cd011db47',
    'xn--bcher-kva.example',
    'contoso',
    '../../x',
    'a b',
    `${'a'.repeat(200)}.com`,
    '-contoso.com',
    'contoso.com.',
  ])('%j', (tenant) => {
    expect(v.is(TenantSchema, tenant)).toBe(isAuthorityTenant(tenant));
  });
});

describe('userFor', () => {
  const settings = parseSettings(FULL);

  it('gives the VM’s own user name, whatever the casing of the id', () => {
    expect(userFor(settings, VM)).toBe('AzureAD\\ada@contoso.com');
    expect(userFor(settings, VM.toUpperCase())).toBe('AzureAD\\ada@contoso.com');
  });

  it('falls back to the default user name', () => {
    expect(userFor(settings, VM.replace('VM-Web-01', 'vm-db-01'))).toBe('.\\azureuser');
  });

  it('is empty (the client asks) with neither', () => {
    expect(userFor(defaultSettings(), VM)).toBe('');
  });
});

describe('routeFor', () => {
  it('is the VM’s chosen route whatever the case of its id, else auto', () => {
    const settings = parseSettings({ viaByVm: { [VM.toLowerCase()]: 'direct' } });
    expect(routeFor(settings, VM)).toBe('direct');
    expect(routeFor(settings, VM.replace('VM-Web-01', 'VM-Web-02'))).toBe('auto');
  });
});
