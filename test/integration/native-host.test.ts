/**
 * The built host over real pipes: every message of docs/PROTOCOL.md §2 and the §3 verdicts as a browser sees them.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST_NAME, parseReply } from '../../shared/protocol';
import { waitFor } from '../../sim/drive';
import { ask, HostProcess, isolatedEnv } from '../support/host-process';
import { LINUX_CLIENT_IDS } from '../support/machines';
import { OFF_LINES } from '../support/rdp';
import { writeScript } from '../support/temp';

const RDP = 'full address:s:10.0.0.4\r\nusername:s:azureuser\r\n';

/**
 * A fresh home with a custom client that records what it received (its arguments, the file, and the file's
 * permissions in `<out>.done`, the file in `<out>.rdp`), and the host's environment that names it.
 */
function withRecordingClient(extra: Record<string, string> = {}): {
  env: Record<string, string>;
  program: string;
  out: string;
} {
  const env = isolatedEnv(extra);
  const dir = path.join(env.HOME as string, 'client');
  const out = path.join(dir, 'received');
  const program = writeScript(
    path.join(dir, 'record-client'),
    `{ echo "$#"; stat -c %a "$1"; stat -c %a "$(dirname "$1")"; } > '${out}.meta'`,
    `cp "$1" '${out}.rdp'`,
    `mv '${out}.meta' '${out}.done'`,
  );
  return { env: { ...env, RDPNOW_CLIENT: program }, program, out };
}

const waitForFile = (file: string) => waitFor(() => existsSync(file), `${file} to appear`, 10_000);

const rdpDir = (env: Record<string, string>) => path.join(env.HOME as string, '.local/state/rdp-now/rdp');

describe('hello', () => {
  it('reports version, platform, the clients of this platform and the default', async () => {
    const reply = await ask(isolatedEnv({ PATH: '/nonexistent' }), { v: 1, id: 'h1', type: 'hello' });
    expect(reply).toMatchObject({ v: 1, id: 'h1', ok: true, host: { version: '0.1.0', platform: 'linux' } });
    // What the extension reads, with the schemas the host writes by.
    expect(parseReply('hello', reply)).toEqual({ ok: true, result: { host: reply.host } });
    const host = reply.host as { clients: Array<{ id: string; available: boolean }>; defaultClient: unknown };
    expect(host.clients.map((c) => c.id)).toEqual(LINUX_CLIENT_IDS);
    expect(host.clients.every((c) => !c.available)).toBe(true);
    expect(host.defaultClient).toBeNull();
  });

  it('finds xfreerdp only with a terminal to prompt in, and lists custom as the default when set', async () => {
    const env = isolatedEnv();
    const bin = path.join(env.HOME as string, 'bin');
    for (const name of ['xfreerdp', 'xterm']) writeScript(path.join(bin, name));
    const withTerminal = await ask({ ...env, PATH: bin }, { v: 1, id: 'a', type: 'hello' });
    expect(withTerminal.host).toMatchObject({ defaultClient: 'xfreerdp' });
    const withCustom = withRecordingClient({ HOME: env.HOME as string }).env;
    const custom = await ask({ ...withCustom, PATH: bin }, { v: 1, id: 'b', type: 'hello' });
    expect(custom.host).toMatchObject({ defaultClient: 'custom' });
    expect((custom.host as { clients: unknown[] }).clients).toContainEqual(
      expect.objectContaining({ id: 'custom', available: true }),
    );
  });

  it('also starts the way browsers start it: Chrome passes its origin, Firefox the manifest path and add-on id', async () => {
    const env = isolatedEnv();
    for (const args of [
      ['chrome-extension://gpgidagdndlidklfiinoafehceojjlha/'],
      [`/x/${HOST_NAME}.json`, 'rdp-now@rdpnow.dev'],
    ]) {
      const host = new HostProcess(env, args);
      expect(await host.request({ v: 1, id: 'x', type: 'hello' })).toMatchObject({ ok: true });
      expect(await host.close()).toBe(0);
    }
  });
});

describe('launch', () => {
  it('dry run: returns the canonical content and the argv it would run, writes nothing', async () => {
    const { env, program } = withRecordingClient();
    const reply = await ask(env, { v: 1, id: 'd', type: 'launch', rdp: RDP, dryRun: true });
    expect(reply).toMatchObject({ ok: true, id: 'd', client: 'custom' });
    expect(reply.rdp).toMatch(
      /^full address:s:10\.0\.0\.4:3389\r\nusername:s:azureuser\r\ndrivestoredirect:s:\r\n/,
    );
    const argv = reply.argv as string[];
    expect(argv[0]).toBe(program);
    expect(argv[1]).toMatch(new RegExp(`^${rdpDir(env)}/rdp-now-\\d+-[0-9a-f]{12}\\.rdp$`));
    expect(reply.pid).toBeUndefined();
    expect(existsSync(argv[1] as string)).toBe(false);
    expect(parseReply('launch', reply)).toEqual({
      ok: true,
      result: { client: 'custom', rdp: reply.rdp, argv },
    });
  });

  it('writes the canonical file (UTF-16LE, BOM, CRLF, 0600 in a 0700 folder) and starts the client with it', async () => {
    const { env, out } = withRecordingClient();
    const reply = await ask(env, { v: 1, id: 'l', type: 'launch', rdp: RDP, client: 'custom' });
    expect(reply).toMatchObject({ ok: true, client: 'custom', pid: expect.any(Number) });
    await waitForFile(`${out}.done`);
    const [argc, fileMode, dirMode] = readFileSync(`${out}.done`, 'utf8').trim().split('\n');
    expect({ argc, fileMode, dirMode }).toEqual({ argc: '1', fileMode: '600', dirMode: '700' });
    const bytes = readFileSync(`${out}.rdp`);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(reply.rdp);
    expect(reply.rdp).toMatch(/\r\n$/);
    expect(reply.rdp).not.toMatch(/[^\r]\n/);
  });

  it('with a title: the client opens <title>.rdp from a private folder of its own', async () => {
    const { env, out } = withRecordingClient();
    const reply = await ask(env, { v: 1, id: 't', type: 'launch', rdp: RDP, title: 'vm-bastion' });
    expect(reply).toMatchObject({ ok: true, client: 'custom', pid: expect.any(Number) });
    const file = (reply.argv as string[])[1] as string;
    expect(file).toMatch(new RegExp(`^${rdpDir(env)}/rdp-now-\\d+-[0-9a-f]{12}/vm-bastion\\.rdp$`));
    await waitForFile(`${out}.done`);
    const [, fileMode, dirMode] = readFileSync(`${out}.done`, 'utf8').trim().split('\n');
    expect({ fileMode, dirMode }).toEqual({ fileMode: '600', dirMode: '700' });
    expect(readFileSync(`${out}.rdp`).subarray(2).toString('utf16le')).toBe(reply.rdp);
  });

  it('with a title Remmina opens a profile of ours naming the VM (UTF-8, 0600 in a 0700 folder)', async () => {
    const env = isolatedEnv();
    const bin = path.join(env.HOME as string, 'bin');
    const out = path.join(env.HOME as string, 'received');
    writeScript(
      path.join(bin, 'remmina'),
      `{ echo "$1"; stat -c %a "$2"; stat -c %a "$(dirname "$2")"; } > '${out}.meta'`,
      `cp "$2" '${out}.remmina'`,
      `mv '${out}.meta' '${out}.done'`,
    );
    const withRemmina = { ...env, PATH: `${bin}:${env.PATH}` };
    const launch = { v: 1, id: 'r', type: 'launch', rdp: RDP, client: 'remmina', title: 'vm-bastion' };
    const reply = await ask(withRemmina, launch);
    expect(reply).toMatchObject({ ok: true, client: 'remmina', pid: expect.any(Number) });
    const file = (reply.argv as string[])[2] as string;
    expect(file).toMatch(new RegExp(`^${rdpDir(env)}/rdp-now-\\d+-[0-9a-f]{12}/vm-bastion\\.remmina$`));
    await waitForFile(`${out}.done`);
    const [option, fileMode, dirMode] = readFileSync(`${out}.done`, 'utf8').trim().split('\n');
    expect({ option, fileMode, dirMode }).toEqual({ option: '-c', fileMode: '600', dirMode: '700' });
    expect(readFileSync(`${out}.remmina`, 'utf8')).toBe(
      '[remmina]\nname=vm-bastion\nprotocol=RDP\nserver=10.0.0.4:3389\nusername=azureuser\ndisablepasswordstoring=1\n',
    );
    expect(readdirSync(path.dirname(file))).toEqual(['vm-bastion.remmina']);
  });

  it('a title with a character a file name or command line could misread is E_BAD_MESSAGE naming it', async () => {
    const { env } = withRecordingClient();
    const reply = await ask(env, { v: 1, id: 'b', type: 'launch', rdp: RDP, title: '../vm;rm' });
    expect(reply).toMatchObject({ ok: false, id: 'b', error: { code: 'E_BAD_MESSAGE', message: /"title"/ } });
    expect(existsSync(rdpDir(env))).toBe(false);
  });

  it('removes files older than two minutes when it next starts, and keeps recent ones', async () => {
    const env = isolatedEnv();
    const dir = rdpDir(env);
    mkdirSync(dir, { recursive: true });
    const old = path.join(dir, 'rdp-now-1-aaaaaaaaaaaa.rdp');
    const recent = path.join(dir, 'rdp-now-2-bbbbbbbbbbbb.rdp');
    const unrelated = path.join(dir, 'notes.txt');
    for (const f of [old, recent, unrelated]) writeFileSync(f, 'x');
    const past = new Date(Date.now() - 3 * 60 * 1000);
    utimesSync(old, past, past);
    utimesSync(unrelated, past, past);
    const host = new HostProcess(env);
    await host.request({ v: 1, id: 'h', type: 'hello' });
    await waitFor(() => !existsSync(old), 'the stale file to be removed', 5000);
    await host.close();
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'rdp-now-2-bbbbbbbbbbbb.rdp']);
  });

  it.each([
    ['when nothing is installed, saying what to install', undefined, /install Remmina/],
    ['for a requested client that is not installed', 'remmina', /remmina is not installed/],
  ])('E_NO_CLIENT %s', async (_, client, message) => {
    const launch = { v: 1, id: 'n', type: 'launch', rdp: RDP, ...(client ? { client } : {}) };
    const reply = await ask(isolatedEnv({ PATH: '/nonexistent' }), launch);
    expect(reply).toMatchObject({ ok: false, id: 'n', error: { code: 'E_NO_CLIENT', message } });
    // What the extension reads, with the schemas the host writes by.
    expect(parseReply('launch', reply)).toEqual({ ok: false, error: reply.error });
  });

  it('E_LAUNCH_FAILED when the client cannot start, and no file is left behind', async () => {
    const env = isolatedEnv();
    const broken = path.join(env.HOME as string, 'broken-client');
    writeFileSync(broken, '#!/nonexistent/interpreter\n');
    chmodSync(broken, 0o755);
    const reply = await ask({ ...env, RDPNOW_CLIENT: broken }, { v: 1, id: 'f', type: 'launch', rdp: RDP });
    expect(reply).toMatchObject({ ok: false, id: 'f', error: { code: 'E_LAUNCH_FAILED' } });
    expect(readdirSync(rdpDir(env))).toEqual([]);
  });

  it.each([
    ['E_RDP_INVALID', 'full address:s:10.0.0.4\r\nusername:s:a\u0000b', /Line 2/],
    ['E_RDP_INVALID', 'username:s:a', /full address/],
    ['E_RDP_FORBIDDEN', 'full address:s:10.0.0.4\r\nalternate shell:s:cmd', /alternate shell/],
    ['E_RDP_FORBIDDEN', 'full address:s:10.0.0.4\r\ndrivestoredirect:s:*', /drivestoredirect/],
    ['E_RDP_FORBIDDEN', 'full address:s:10.0.0.4\r\nusername:s:a\r\nusername:s:b', /twice/],
    ['E_RDP_FORBIDDEN', 'full address:s:10.0.0.4\r\ndesktopwidth:i:9000', /desktopwidth/],
  ])('%s for refused content (%s) — and nothing is written', async (code, rdp, message) => {
    const { env } = withRecordingClient();
    const reply = await ask(env, { v: 1, id: 'r', type: 'launch', rdp });
    expect(reply).toMatchObject({ ok: false, id: 'r', error: { code, message } });
    expect(existsSync(rdpDir(env))).toBe(false);
  });
});

describe('bad messages', () => {
  it.each([
    ['a JSON string', 'hello', null],
    ['an array', [1], null],
    ['null', null, null],
    ['no id', { v: 1, type: 'hello' }, null],
    ['an empty id', { v: 1, id: '', type: 'hello' }, null],
    ['an id of 65 characters', { v: 1, id: 'x'.repeat(65), type: 'hello' }, null],
    ['a numeric id', { v: 1, id: 7, type: 'hello' }, null],
    ['no v', { id: 'a', type: 'hello' }, 'a'],
    ['a string v', { v: '1', id: 'a', type: 'hello' }, 'a'],
    ['a fractional v', { v: 1.5, id: 'a', type: 'hello' }, 'a'],
    ['no type', { v: 1, id: 'a' }, 'a'],
    ['a launch without rdp', { v: 1, id: 'a', type: 'launch' }, 'a'],
    ['a launch with a numeric rdp', { v: 1, id: 'a', type: 'launch', rdp: 5 }, 'a'],
    ['an unknown client', { v: 1, id: 'a', type: 'launch', rdp: RDP, client: '/bin/sh' }, 'a'],
    ['a non-boolean dryRun', { v: 1, id: 'a', type: 'launch', rdp: RDP, dryRun: 'yes' }, 'a'],
  ])('E_BAD_MESSAGE for %s (reply id %s)', async (_, message, id) => {
    const reply = await ask(isolatedEnv(), message);
    expect(reply).toMatchObject({ v: 1, id, ok: false, error: { code: 'E_BAD_MESSAGE' } });
    expect((reply.error as { message: string }).message).toMatch(/^[A-Z].*\.$/);
  });

  it('E_VERSION for another protocol version, E_UNKNOWN_TYPE for an unknown type', async () => {
    const host = new HostProcess(isolatedEnv());
    expect(await host.request({ v: 2, id: 'v', type: 'hello' })).toMatchObject({
      id: 'v',
      error: { code: 'E_VERSION' },
    });
    expect(await host.request({ v: 1, id: 't', type: 'exec' })).toMatchObject({
      id: 't',
      error: { code: 'E_UNKNOWN_TYPE' },
    });
    expect(await host.close()).toBe(0);
  });

  it('answers invalid JSON and a zero-length frame with E_BAD_MESSAGE and keeps serving', async () => {
    const host = new HostProcess(isolatedEnv());
    const bad = Buffer.from('{"v":1,');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(bad.length);
    host.sendRaw(Buffer.concat([header, bad, Buffer.alloc(4)]));
    expect(await host.reply()).toMatchObject({ id: null, ok: false, error: { code: 'E_BAD_MESSAGE' } });
    expect(await host.reply()).toMatchObject({ id: null, ok: false, error: { code: 'E_BAD_MESSAGE' } });
    expect(await host.request({ v: 1, id: 'after', type: 'hello' })).toMatchObject({ id: 'after', ok: true });
    expect(await host.close()).toBe(0);
  });

  it('refuses a declared length over 1 MiB with E_TOO_LARGE and exits non-zero at once', async () => {
    const host = new HostProcess(isolatedEnv());
    const header = Buffer.alloc(4);
    header.writeUInt32LE(1024 * 1024 + 1);
    host.sendRaw(header);
    expect(await host.reply()).toMatchObject({ id: null, ok: false, error: { code: 'E_TOO_LARGE' } });
    expect(await host.exited).toBe(1);
  });

  it('answers several requests sent in one write, in order', async () => {
    const host = new HostProcess(isolatedEnv());
    const { encodeFrame } = await import('../../host/framing');
    host.sendRaw(Buffer.concat(['1', '2', '3'].map((id) => encodeFrame({ v: 1, id, type: 'hello' }))));
    const ids = [(await host.reply()).id, (await host.reply()).id, (await host.reply()).id];
    expect(ids).toEqual(['1', '2', '3']);
    expect(await host.close()).toBe(0);
  });

  it('exits 0 at end of input, dropping a partial frame', async () => {
    const host = new HostProcess(isolatedEnv());
    host.sendRaw(Buffer.from([10, 0, 0, 0, 0x7b]));
    expect(await host.close()).toBe(0);
  });

  it('logs to a file under the state folder, never to stdout', async () => {
    const env = isolatedEnv();
    const host = new HostProcess(env);
    host.sendRaw(Buffer.from([10, 0, 0, 0, 0x7b]));
    expect(await host.close()).toBe(0);
    const log = readFileSync(path.join(env.HOME as string, '.local/state/rdp-now/host.log'), 'utf8');
    expect(log).toMatch(/partial message was dropped/);
    expect(statSync(path.join(env.HOME as string, '.local/state/rdp-now')).mode & 0o777).toBe(0o700);
  });
});

describe('every row of docs/PROTOCOL.md §3 through one running host', () => {
  const address = 'full address:s:10.0.0.4';
  const accepted = [
    'server port:i:3389',
    'username:s:.\\azureuser',
    'domain:s:CONTOSO',
    'prompt for credentials:i:1',
    'use multimon:i:1',
    'dynamic resolution:i:0',
    'smart sizing:i:1',
    'enablerdsaadauth:i:1',
    'redirectclipboard:i:1',
    'redirectprinters:i:1',
    'screen mode id:i:2',
    'desktopwidth:i:1920',
    'desktopheight:i:1080',
    'audiomode:i:2',
    'authentication level:i:1',
    'enablecredsspsupport:i:0',
    ...OFF_LINES,
  ];
  const refused: Array<[string, string]> = [
    ['server port:i:0', 'E_RDP_FORBIDDEN'],
    ['username:s:a\u202Eb', 'E_RDP_FORBIDDEN'],
    [`domain:s:${'d'.repeat(257)}`, 'E_RDP_FORBIDDEN'],
    ['prompt for credentials:i:2', 'E_RDP_FORBIDDEN'],
    ['use multimon:i:7', 'E_RDP_FORBIDDEN'],
    ['screen mode id:i:0', 'E_RDP_FORBIDDEN'],
    ['desktopwidth:i:100', 'E_RDP_FORBIDDEN'],
    ['desktopheight:i:9000', 'E_RDP_FORBIDDEN'],
    ['audiomode:i:3', 'E_RDP_FORBIDDEN'],
    ['authentication level:i:0', 'E_RDP_FORBIDDEN'],
    ['enablecredsspsupport:i:5', 'E_RDP_FORBIDDEN'],
    ['drivestoredirect:s:*', 'E_RDP_FORBIDDEN'],
    ['redirectsmartcards:i:1', 'E_RDP_FORBIDDEN'],
    ['redirectcomports:i:1', 'E_RDP_FORBIDDEN'],
    ['redirectwebauthn:i:1', 'E_RDP_FORBIDDEN'],
    ['redirectlocation:i:1', 'E_RDP_FORBIDDEN'],
    ['camerastoredirect:s:*', 'E_RDP_FORBIDDEN'],
    ['devicestoredirect:s:*', 'E_RDP_FORBIDDEN'],
    ['usbdevicestoredirect:s:*', 'E_RDP_FORBIDDEN'],
    ['audiocapturemode:i:1', 'E_RDP_FORBIDDEN'],
    ['gatewayhostname:s:gw.example', 'E_RDP_FORBIDDEN'],
    ['alternate shell:s:cmd', 'E_RDP_FORBIDDEN'],
    ['shell working directory:s:C:\\', 'E_RDP_FORBIDDEN'],
    ['remoteapplicationprogram:s:calc', 'E_RDP_FORBIDDEN'],
    ['alternate full address:s:evil.example', 'E_RDP_FORBIDDEN'],
    ['password 51:b:0100', 'E_RDP_FORBIDDEN'],
    ['username:s:a\r\nusername:s:b', 'E_RDP_FORBIDDEN'],
    ['username:s:a\u0007', 'E_RDP_INVALID'],
    ['username:s:a\rredirectclipboard:i:1', 'E_RDP_INVALID'],
    ['username:i:1', 'E_RDP_INVALID'],
    ['no colon here', 'E_RDP_INVALID'],
  ];

  it('accepts each allowed setting and refuses each forbidden one with its code, serving on throughout', async () => {
    const host = new HostProcess(isolatedEnv({ RDPNOW_CLIENT: '/bin/true' }));
    for (const line of accepted) {
      const reply = await host.request({
        v: 1,
        id: line.slice(0, 60),
        type: 'launch',
        rdp: `${address}\r\n${line}`,
        dryRun: true,
      });
      expect(reply, line).toMatchObject({ ok: true });
    }
    for (const [line, code] of refused) {
      const reply = await host.request({
        v: 1,
        id: 'r',
        type: 'launch',
        rdp: `${address}\r\n${line}`,
        dryRun: true,
      });
      expect(reply, line).toMatchObject({ ok: false, error: { code } });
    }
    const long = Array.from({ length: 65 }, (_, i) => (i === 0 ? address : 'username:s:u')).join('\n');
    expect(await host.request({ v: 1, id: 'n', type: 'launch', rdp: long, dryRun: true })).toMatchObject({
      error: { code: 'E_RDP_FORBIDDEN' },
    });
    expect(await host.close()).toBe(0);
  });
});
