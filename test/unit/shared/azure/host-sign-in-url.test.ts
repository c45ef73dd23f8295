import { describe, expect, it } from 'vitest';
import { AZURE_CLI_CLIENT_ID, hostSignInUrlProblem } from '../../../../shared/azure/host-sign-in-url';

const page = (origin: string, tenant: string, params: Record<string, string> = {}) =>
  `${origin}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: AZURE_CLI_CLIENT_ID,
    redirect_uri: 'http://localhost:41909',
    response_mode: 'form_post',
    ...params,
  })}`;

describe('the host sign-in page the extension will open', () => {
  it.each([
    [page('https://login.microsoftonline.com', 'organizations'), 'AzureCloud', undefined],
    [
      page('https://login.microsoftonline.com', 'contoso.onmicrosoft.com'),
      'AzureCloud',
      'contoso.onmicrosoft.com',
    ],
    [page('https://login.microsoftonline.us', 'organizations'), 'AzureUSGovernment', undefined],
    [
      page('https://login.chinacloudapi.cn', 'organizations', { redirect_uri: 'http://127.0.0.1:5000/' }),
      'AzureChinaCloud',
      undefined,
    ],
  ] as const)('accepts %s', (url, cloud, tenant) => {
    expect(hostSignInUrlProblem(url, cloud, tenant)).toBeNull();
  });

  it.each([
    [
      'a page of another host',
      page('https://login.evil.example', 'organizations'),
      'another host (login.evil.example)',
    ],
    [
      'another cloud’s login host',
      page('https://login.microsoftonline.us', 'organizations'),
      'another host (login.microsoftonline.us)',
    ],
    ['plain http', page('http://login.microsoftonline.com', 'organizations'), 'not a plain https URL'],
    ['user info', page('https://x@login.microsoftonline.com', 'organizations'), 'not a plain https URL'],
    ['a port', page('https://login.microsoftonline.com:8443', 'organizations'), 'not a plain https URL'],
    ['another tenant than asked', page('https://login.microsoftonline.com', 'fabrikam.com'), 'another path'],
    [
      'another endpoint',
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/logout',
      'another path',
    ],
    [
      'another client',
      page('https://login.microsoftonline.com', 'organizations', {
        client_id: '7d2c9a41-5e3b-4f68-9a0c-1b2d3e4f5a6b',
      }),
      'another client',
    ],
    [
      'a redirect elsewhere',
      page('https://login.microsoftonline.com', 'organizations', { redirect_uri: 'https://evil.example/' }),
      'a redirect that is not this computer',
    ],
    ['not a URL', 'javascript:alert(1)', 'not a plain https URL'],
    ['garbage', '::::', 'not a URL'],
  ])('refuses %s', (_, url, problem) => {
    expect(hostSignInUrlProblem(url, 'AzureCloud', undefined)).toBe(problem);
  });
});
