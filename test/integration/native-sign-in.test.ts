import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReply, SignInPageMessageSchema } from '../../shared/protocol';
import { type Authority, DEMO_TENANT_ID, DEMO_USER, startAuthority } from '../../sim/authority';
import { writeHostConfig } from '../../sim/browser';
import { simulationHostConfig } from '../../sim/demo';
import { HostProcess, isolatedEnv } from '../support/host-process';
import { signInTab } from '../support/sign-in-tab';
import { tempDir } from '../support/temp';
import { testTls } from '../support/test-azure';

let authority: Authority;
let env: Record<string, string>;

beforeAll(async () => {
  const tls = testTls();
  authority = await startAuthority({ tls });
  const home = tempDir('native-sign-in');
  env = isolatedEnv({ HOME: home });
  writeHostConfig(home, simulationHostConfig(home, authority.port, tls.caCertPem));
});
afterAll(async () => {
  await authority?.close();
});

const token = (id: string, interactive: boolean, extra: object = {}) => ({
  v: 1,
  id,
  type: 'token',
  cloud: 'AzureCloud',
  interactive,
  ...extra,
});

describe('the token request', () => {
  it('with no sign-in kept, a silent request is refused at once', async () => {
    const host = new HostProcess(env);
    const reply = await host.request(token('s', false));
    expect(reply).toMatchObject({ id: 's', ok: false, error: { code: 'E_SIGN_IN_REQUIRED' } });
    expect(await host.close()).toBe(0);
  });

  it.each([
    [{ tenant: '../../x' }, /tenant.*directory \(tenant\) ID or a domain name/],
    [{ tenant: 'a b' }, /tenant/],
    [{ tenant: 'x'.repeat(200) }, /tenant/],
    [{ cloud: 'AzureGermanCloud' }, /cloud.*AzureCloud, AzureUSGovernment, AzureChinaCloud/],
    [{ interactive: 'yes' }, /interactive/],
  ])('refuses %j as E_BAD_MESSAGE, naming the field', async (extra, message) => {
    const host = new HostProcess(env);
    const reply = await host.request(token('b', false, extra));
    expect(reply).toMatchObject({ id: 'b', ok: false, error: { code: 'E_BAD_MESSAGE', message } });
    await host.close();
  });

  it('interactive: the page is sent unasked, other requests are answered meanwhile, only an ARM token comes back', async () => {
    const host = new HostProcess(env);
    host.send(token('t1', true));
    const page = v.parse(SignInPageMessageSchema, await host.reply());
    expect(page.for).toBe('t1');
    const url = new URL(page.url);
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
    );
    // The sign-in waits for a person; a hello does not wait for it.
    expect(await host.request({ v: 1, id: 'h', type: 'hello' })).toMatchObject({ id: 'h', ok: true });
    await signInTab(authority.port, page.url);
    const reply = await host.reply();
    const parsed = parseReply('token', reply);
    expect(parsed).toMatchObject({
      ok: true,
      result: { account: { username: DEMO_USER.username, tenantId: DEMO_TENANT_ID } },
    });
    expect(Object.keys(reply).sort()).toEqual(['accessToken', 'account', 'expiresOn', 'id', 'ok', 'v']);
    expect(JSON.stringify(reply)).not.toMatch(/refresh/i);
    await host.close();
  });

  it('a new host process answers silently from the kept sign-in', async () => {
    const host = new HostProcess(env);
    const reply = await host.request(token('t2', false, { tenant: DEMO_TENANT_ID }));
    expect(reply).toMatchObject({ id: 't2', ok: true, account: { username: DEMO_USER.username } });
    const account = await host.request({ v: 1, id: 'a', type: 'account', cloud: 'AzureCloud' });
    expect(account).toMatchObject({
      ok: true,
      accounts: [{ username: DEMO_USER.username, tenantId: DEMO_TENANT_ID }],
      cache: { protection: 'protected', where: expect.stringMatching(/simulated protected store/) },
    });
    await host.close();
  });

  it('sign-out forgets the sign-in: the next silent request is refused', async () => {
    const host = new HostProcess(env);
    expect(await host.request({ v: 1, id: 'o', type: 'sign-out' })).toEqual({ v: 1, id: 'o', ok: true });
    expect(await host.request(token('t4', false))).toMatchObject({
      ok: false,
      error: { code: 'E_SIGN_IN_REQUIRED' },
    });
    await host.close();
  });

  it('sign-in-cancel ends the sign-in in progress (the user closed its tab); nothing is kept', async () => {
    const host = new HostProcess(env);
    host.send(token('t3', true, { tenant: 'fabrikam.onmicrosoft.com' }));
    const page = v.parse(SignInPageMessageSchema, await host.reply());
    expect(new URL(page.url).pathname).toBe('/fabrikam.onmicrosoft.com/oauth2/v2.0/authorize');
    host.send({ v: 1, id: 'c', type: 'sign-in-cancel' });
    const replies = [await host.reply(), await host.reply()];
    expect(replies).toContainEqual({ v: 1, id: 'c', ok: true, cancelled: true });
    expect(replies).toContainEqual(
      expect.objectContaining({
        id: 't3',
        ok: false,
        error: { code: 'E_SIGN_IN_CANCELLED', message: 'Sign-in was cancelled.' },
      }),
    );
    await host.close();
  });
});
