import { describe, expect, it } from 'vitest';
import {
  azCommand,
  isRedirectUri,
  validateClientId,
  validateDimension,
  validateTenant,
  validateUserName,
  validateVmKey,
} from '../../../../extension/ui/settings-form';

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
