/**
 * The terminal's sign-in, for real: `rdp-now login` (MSAL Node as the Azure CLI's client) opens the sign-in page
 * through the system's URL opener — here a stand-in `xdg-open` that hands the URL to the test, which answers it as
 * a browser tab would — then `rdp-now check` takes its token from the kept sign-in with no other token around,
 * `account` names the user and `logout` forgets it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedAzure } from '../../sim/arm/index';
import { type Authority, DEMO_TENANT_ID, DEMO_USER, startAuthority } from '../../sim/authority';
import { writeHostConfig } from '../../sim/browser';
import { simulationHostConfig } from '../../sim/demo';
import { waitFor } from '../../sim/drive';
import { cliEnv, runCli, runCliJson } from '../support/cli';
import { signInTab } from '../support/sign-in-tab';
import { tempDir, writeScript } from '../support/temp';
import { startTestAzure, testTls } from '../support/test-azure';

let authority: Authority;
let sim: SimulatedAzure;
let env: Record<string, string>;
let opened: string;

beforeAll(async () => {
  const tls = testTls();
  [authority, sim] = await Promise.all([startAuthority({ tls }), startTestAzure()]);
  const home = tempDir('cli-login');
  const bin = path.join(home, 'bin');
  mkdirSync(bin);
  opened = path.join(home, 'opened-url');
  writeFileSync(opened, '');
  // The system browser: it records the URL it was asked to open.
  writeScript(path.join(bin, 'xdg-open'), `printf '%s' "$1" > '${opened}'`);
  writeHostConfig(home, simulationHostConfig(home, authority.port, tls.caCertPem));
  env = cliEnv({ HOME: home, PATH: `${bin}:/usr/bin:/bin` });
});
afterAll(async () => {
  await Promise.all([authority?.close(), sim?.close()]);
});

const check = (vm: string) =>
  runCliJson(['check', sim.vm(vm as never), '--arm-endpoint', sim.url, '--source-ip', '203.0.113.7'], env);

describe('rdp-now login, then check with no other token', () => {
  it('check before login says to run rdp-now login (exit 3)', async () => {
    const result = await runCli(
      ['check', sim.vm('vm-ready'), '--arm-endpoint', sim.url, '--no-ip-lookup'],
      env,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Not signed in: run "rdp-now login"/);
  });

  it('login opens the sign-in page in the system browser and keeps the sign-in', async () => {
    const login = runCli(['login'], env);
    const url = await waitFor(() => readFileSync(opened, 'utf8') || null, 'the sign-in page to be opened');
    await signInTab(authority.port, url);
    const result = await login;
    expect(new URL(url).pathname).toBe('/organizations/oauth2/v2.0/authorize');
    expect(result.stdout).toBe(`Signed in as ${DEMO_USER.username} (tenant ${DEMO_TENANT_ID}).\n`);
    expect(result.code).toBe(0);
  });

  it('check takes the kept sign-in: vm-ready is ready', async () => {
    const { code, json } = await check('vm-ready');
    expect(json).toMatchObject({ ready: true, vm: { name: 'vm-ready' } });
    expect(code).toBe(0);
  });

  it('account names the user and says how the sign-in is kept', async () => {
    const { code, stdout } = await runCli(['account'], env);
    expect(stdout).toMatch(new RegExp(`${DEMO_USER.username} \\(tenant `));
    expect(stdout).toMatch(/kept encrypted in .*msal-cache\.bin; its key is in a simulated protected store/);
    expect(stdout).toMatch(/Microsoft Azure CLI/);
    expect(code).toBe(0);
  });

  it('logout forgets it: check says to sign in again', async () => {
    expect((await runCli(['logout'], env)).code).toBe(0);
    const result = await runCli(
      ['check', sim.vm('vm-ready'), '--arm-endpoint', sim.url, '--no-ip-lookup'],
      env,
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/run "rdp-now login"/);
  });
});
