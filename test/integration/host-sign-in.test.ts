/**
 * The host's sign-in with no app registration, for real: MSAL Node as the Azure CLI's client against the
 * simulated Entra ID over HTTPS, its loopback redirect answered by a `form_post` as a browser tab would post it,
 * the cache encrypted on disk under a (simulated) protected key, a fresh session renewing silently from it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_CLI_CLIENT_ID, openSession } from '../../host/auth/session';
import type { HostConfig } from '../../host/config';
import { CLOUDS } from '../../shared/azure/clouds';
import { type Authority, DEMO_TENANT_ID, DEMO_USER, startAuthority } from '../../sim/authority';
import { signInTab } from '../support/sign-in-tab';
import { tempDir } from '../support/temp';
import { testTls } from '../support/test-azure';

let authority: Authority;
let dir: string;
let config: HostConfig;

beforeAll(async () => {
  const tls = testTls();
  authority = await startAuthority({ tls });
  dir = tempDir('sign-in');
  writeFileSync(path.join(dir, 'ca.pem'), tls.caCertPem);
  config = {
    simulation: {
      hosts: { 'login.microsoftonline.com': `127.0.0.1:${authority.port}` },
      caFile: path.join(dir, 'ca.pem'),
      keyStoreFile: path.join(dir, 'key-store'),
    },
  };
});
afterAll(async () => {
  await authority?.close();
});

const session = (openUrl: (url: string) => Promise<void>, timeoutMs?: number) =>
  openSession({
    platform: 'linux',
    env: {},
    stateDir: path.join(dir, 'state'),
    config,
    openUrl,
    ...(timeoutMs !== undefined && { timeoutMs }),
  });

describe('the host signs in as the Azure CLI client', () => {
  const cloud = CLOUDS.AzureCloud;

  it('with no cached sign-in, a silent request is refused at once', async () => {
    const { signIn } = await session(async () => {
      throw new Error('no page may open');
    });
    await expect(signIn.token({ cloud, interactive: false })).rejects.toMatchObject({
      code: 'E_SIGN_IN_REQUIRED',
    });
  });

  it('interactive: the authorize URL is the cloud login host, organizations, the CLI client, a loopback redirect', async () => {
    const opened: string[] = [];
    const { signIn, cache } = await session(async (url) => {
      opened.push(url);
      await signInTab(authority.port, url);
    });
    const token = await signIn.token({ cloud, interactive: true });
    expect(token.account).toEqual({ username: DEMO_USER.username, tenantId: DEMO_TENANT_ID });
    expect(token.expiresOn).toBeGreaterThan(Date.now() + 30 * 60_000);
    expect(JSON.parse(Buffer.from(token.accessToken.split('.')[1] ?? '', 'base64url').toString()).aud).toBe(
      'https://management.azure.com',
    );
    const url = new URL(opened[0] ?? '');
    expect(url.origin + url.pathname).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    );
    expect(url.searchParams.get('client_id')).toBe(AZURE_CLI_CLIENT_ID);
    expect(url.searchParams.get('response_mode')).toBe('form_post');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
    expect(cache.protection).toBe('protected');
    // The cache on disk is ciphertext: no token, no account name in it.
    const onDisk = readFileSync(cache.file);
    expect(onDisk.includes(Buffer.from(DEMO_USER.username))).toBe(false);
    expect(onDisk.includes(Buffer.from(token.accessToken.slice(-20)))).toBe(false);
  });

  it('a new host process renews silently from the encrypted cache (a refresh grant, no page)', async () => {
    const pages = authority.events.filter((e) => e.endpoint === 'authorize').length;
    // A new SignIn has a new MSAL instance: the only sign-in it can find is the one in the encrypted file.
    const { signIn } = await session(async () => {
      throw new Error('no page may open');
    });
    const silent = await signIn.token({ cloud, tenant: DEMO_TENANT_ID, interactive: false });
    expect(silent.account.username).toBe(DEMO_USER.username);
    expect(authority.events.filter((e) => e.endpoint === 'authorize').length).toBe(pages);
  });

  it('a cache file that was altered is no sign-in (and is not trusted)', async () => {
    const { signIn, cache } = await session(async () => undefined);
    const original = readFileSync(cache.file);
    const altered = Buffer.from(original);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 1;
    writeFileSync(cache.file, altered);
    try {
      await expect(signIn.token({ cloud, interactive: false })).rejects.toMatchObject({
        code: 'E_SIGN_IN_REQUIRED',
      });
    } finally {
      writeFileSync(cache.file, original);
    }
  });

  it('a sign-in page left unanswered is cancelled with the device-code advice', async () => {
    const { signIn } = await session(async () => undefined, 300);
    const signOutFirst = await session(async () => undefined);
    await signOutFirst.signIn.signOut([cloud]);
    await expect(signIn.token({ cloud, interactive: true })).rejects.toMatchObject({
      code: 'E_SIGN_IN_CANCELLED',
      message: expect.stringMatching(/5 minutes.*rdp-now login --device-code/),
    });
  });

  it('the device-code flow signs in once the code is entered elsewhere', async () => {
    const { signIn } = await session(async () => undefined);
    const token = await signIn.deviceCode({ cloud, interactive: true }, (message) => {
      const code = /enter the code (\w+)/.exec(message)?.[1] ?? '';
      authority.approveDeviceCode(code);
    });
    expect(token.account.username).toBe(DEMO_USER.username);
  });

  it('sign-out removes the account, the cache file and the key', async () => {
    const { signIn, cache } = await session(async () => undefined);
    expect(existsSync(cache.file)).toBe(true);
    await signIn.signOut([cloud]);
    expect(existsSync(cache.file)).toBe(false);
    expect(existsSync(path.join(dir, 'key-store'))).toBe(false);
    await expect(signIn.token({ cloud, interactive: false })).rejects.toMatchObject({
      code: 'E_SIGN_IN_REQUIRED',
    });
  });

  it('consent refused for the Azure CLI application: the message says so and offers the own registration', async () => {
    authority.refuse(
      AZURE_CLI_CLIENT_ID,
      'invalid_client',
      "AADSTS65001: The user or administrator has not consented to use the application with ID '04b07795-8ddb-461a-bbee-02f9e1bf7b46'.",
    );
    const { signIn } = await session((url) => signInTab(authority.port, url));
    await expect(signIn.token({ cloud, interactive: true })).rejects.toMatchObject({
      code: 'E_SIGN_IN_FAILED',
      message: expect.stringMatching(/Conditional Access or consent.*app registration.*AADSTS65001/),
    });
  });
});
