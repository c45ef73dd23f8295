import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const { signInAdvice } = await import('../../../../extension/auth/advice');
const { Grants } = await import('../../../../extension/background/grants');
const { memoryArea } = await import('../../../support/session-area');
const { GRANT_PATTERN } = await import('../../../../extension/messages');
const { ClickChecks } = await import('../../../../extension/background/click-checks');
const { PendingStarts } = await import('../../../../extension/background/pending-starts');
const { handle } = await import('../../../../extension/background/handlers');
const { confirmationUrl } = await import('../../../../extension/background/context-menu');
const { disconnectAdvice } = await import('../../../../extension/background/host-advice');
const { NativeHost } = await import('../../../../extension/background/native-port');
const { AdviceError } = await import('../../../../extension/background/advice-error');
const { rdpContent } = await import('../../../../extension/background/rdp-content');
const { route, senderKind } = await import('../../../../extension/background/router');
const { orderRecents, recentsStore, rulesStore, topologyStore, upsertRecent } = await import(
  '../../../../extension/background/stores'
);
const { defaultSettings } = await import('../../../../extension/settings');
const { checkReport, VM_ID } = await import('../../../support/reports');
type RecentVm = import('../../../../extension/messages').RecentVm;
type NativePort = import('../../../../extension/background/native-port').NativePort;

const ID = 'gpgidagdndlidklfiinoafehceojjlha';
const BASE = `chrome-extension://${ID}/`;
const VM =
  '/subscriptions/6a4c3b1e-8f2d-4e5a-9b7c-1d2e3f4a5b6c/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1';

describe('router: who may send what', () => {
  it.each([
    [
      { id: ID, url: `https://portal.azure.com/#@x.onmicrosoft.com/resource${VM}`, tab: {}, frameId: 0 },
      'content',
    ],
    [{ id: ID, url: 'https://portal.azure.us/', tab: {}, frameId: 0 }, 'content'],
    [{ id: ID, url: `${BASE}report/index.html?vm=x`, tab: {}, frameId: 3 }, 'page'],
    [{ id: ID, url: `${BASE}popup/index.html` }, 'page'],
    [{ id: ID, url: `${BASE}offscreen/index.html` }, 'offscreen'],
    [{ id: ID, url: 'https://portal.azure.com/', tab: {}, frameId: 2 }, null],
    [{ id: ID, url: 'https://portal.azure.com.evil.example/', tab: {}, frameId: 0 }, null],
    [{ id: ID, url: 'http://portal.azure.com/', tab: {}, frameId: 0 }, null],
    [{ id: ID, url: 'https://portal.azure.com:8443/', tab: {}, frameId: 0 }, null],
    [{ id: 'another-extension', url: `${BASE}popup/index.html` }, null],
    [{ id: ID }, null],
  ])('%j → %s', (sender, kind) => {
    expect(senderKind(sender, ID, BASE)).toBe(kind);
  });

  it('accepts only the message types of the sender kind, validated', () => {
    expect(route({ type: 'cs:page', url: 'https://portal.azure.com/' }, 'content')).toMatchObject({
      kind: 'content',
    });
    expect(route({ type: 'ui:launch', vmId: VM }, 'content')).toBeNull();
    expect(route({ type: 'cs:page', url: 'x' }, 'page')).toBeNull();
    expect(route({ type: 'ui:launch', vmId: VM }, 'page')).toMatchObject({ kind: 'page' });
    // A known request that breaks its schema is refused, naming the field (never repeating the value).
    expect(route({ type: 'ui:fix', vmId: VM, fix: 'rm -rf' }, 'page')).toEqual({
      kind: 'refused',
      reply: {
        ok: false,
        error: { code: 'E_BAD_MESSAGE', message: 'Refused: fix: not a value this request takes.' },
      },
    });
    expect(route({ type: 'ui:launch-address', host: 'h', port: 70000 }, 'page')).toMatchObject({
      kind: 'refused',
    });
    expect(
      route(
        { type: 'auth:web-flow', url: 'https://login.microsoftonline.com/x', interactive: true },
        'offscreen',
      ),
    ).not.toBeNull();
    expect(route({ type: 'auth:web-flow', url: 'https://x', interactive: true }, 'page')).toBeNull();
    expect(route({ type: 'ui:recents' }, null)).toBeNull();
    expect(route('not an object', 'page')).toBeNull();
  });
});

describe('router: a tenant is a GUID, a domain, organizations or common, or the request is refused', () => {
  const BAD_TENANTS = [
    '../../x',
    'a b',
    `${'a'.repeat(200)}.com`,
    'contoso',
    'https://evil.example/x',
    '',
    'x/y.com',
  ];
  const GOOD_TENANTS = [
    '72f988bf-86f1-41af-91ab-2d7cd011db47',
    'contoso.onmicrosoft.com',
    'Fabrikam.CO.UK',
    'organizations',
    'common',
  ];
  const requests = (tenant: string) =>
    [
      [{ type: 'cs:open', vmId: VM, tenant, cloud: 'AzureCloud' }, 'content'],
      [{ type: 'ui:check', vmId: VM, tenant }, 'page'],
      [{ type: 'ui:check', vmId: VM, tenant, cloud: 'AzureUSGovernment' }, 'page'],
    ] as const;

  it.each(BAD_TENANTS)('%j is refused, naming the field, before any handler runs', (tenant) => {
    for (const [message, kind] of requests(tenant)) {
      const routed = route(message, kind);
      expect(routed).toEqual({
        kind: 'refused',
        reply: {
          ok: false,
          error: { code: 'E_BAD_MESSAGE', message: expect.stringMatching(/^Refused: tenant: /) },
        },
      });
      // The refusal never repeats what was sent.
      if (/[^a-z]/.test(tenant)) expect(JSON.stringify(routed)).not.toContain(tenant);
    }
  });

  it.each(GOOD_TENANTS)('%j is routed to its handler', (tenant) => {
    for (const [message, kind] of requests(tenant)) {
      expect(route(message, kind)).toEqual({ kind, message });
    }
  });

  it('a cloud outside the list is refused the same way, naming the field', () => {
    expect(route({ type: 'ui:check', vmId: VM, cloud: 'AzureGermanCloud' }, 'page')).toMatchObject({
      kind: 'refused',
      reply: { error: { message: expect.stringMatching(/^Refused: cloud: /) } },
    });
  });

  it('messages of another sender kind or of no known type are still dropped without an answer', () => {
    expect(route({ type: 'ui:check', vmId: VM, tenant: '../../x' }, 'content')).toBeNull();
    expect(route({ type: 'cs:nothing', tenant: '../../x' }, 'content')).toBeNull();
    expect(route({ type: 'ui:check', vmId: VM, tenant: '../../x' }, null)).toBeNull();
  });
});

class FakePort implements NativePort {
  sent: Array<Record<string, unknown>> = [];
  private messageListeners: Array<(m: unknown) => void> = [];
  private disconnectListeners: Array<(p: FakePort & { error?: { message?: string } | null }) => void> = [];
  error: { message: string } | null = null;
  disconnected = false;
  constructor(private readonly answer?: (m: Record<string, unknown>) => unknown) {}
  postMessage(message: unknown) {
    const m = message as Record<string, unknown>;
    this.sent.push(m);
    const reply = this.answer?.(m);
    if (reply !== undefined) queueMicrotask(() => this.reply(reply));
  }
  disconnect() {
    this.disconnected = true;
  }
  onMessage = { addListener: (l: (m: unknown) => void) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: (p: FakePort) => void) => void this.disconnectListeners.push(l) };
  reply(message: unknown) {
    for (const l of this.messageListeners) l(message);
  }
  drop(error: string) {
    this.error = { message: error };
    for (const l of this.disconnectListeners) l(this);
  }
}

const hello = (version = '0.1.0') => ({
  host: { version, platform: 'linux', clients: [], defaultClient: 'remmina' },
});

describe('native port', () => {
  it('sends versioned requests with ids and resolves the matching replies', async () => {
    const port = new FakePort((m) =>
      m.type === 'hello'
        ? { v: 1, id: m.id, ok: true, ...hello() }
        : { v: 1, id: m.id, ok: true, client: 'remmina', rdp: 'x', argv: ['remmina'], pid: 7 },
    );
    const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
    await expect(host.launch('full address:s:h', 'auto')).resolves.toEqual({
      client: 'remmina',
      rdp: 'x',
      argv: ['remmina'],
      pid: 7,
    });
    expect(port.sent.map((m) => [m.v, m.type, typeof m.id])).toEqual([
      [1, 'hello', 'string'],
      [1, 'launch', 'string'],
    ]);
    host.close();
  });

  it('sends the title with the launch when there is one, and no title field otherwise', async () => {
    const port = new FakePort((m) =>
      m.type === 'hello'
        ? { v: 1, id: m.id, ok: true, ...hello() }
        : { v: 1, id: m.id, ok: true, client: 'remmina', rdp: 'x', argv: ['remmina'], pid: 7 },
    );
    const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
    await host.launch('full address:s:h', 'auto', 'vm-bastion');
    await host.launch('full address:s:h', 'auto');
    const launches = port.sent.filter((m) => m.type === 'launch');
    expect(launches.map((m) => m.title)).toEqual(['vm-bastion', undefined]);
    expect('title' in (launches[1] as object)).toBe(false);
    host.close();
  });

  it('maps a host error reply to its advice', async () => {
    const port = new FakePort((m) =>
      m.type === 'hello'
        ? { v: 1, id: m.id, ok: true, ...hello() }
        : {
            v: 1,
            id: m.id,
            ok: false,
            error: { code: 'E_RDP_FORBIDDEN', message: 'The setting "alternate shell" is not allowed.' },
          },
    );
    const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
    await expect(host.launch('x', 'auto')).rejects.toMatchObject({ advice: { code: 'E_RDP_FORBIDDEN' } });
    host.close();
  });

  it('rejects every pending call when the port drops, with advice for the browser’s reason', async () => {
    const port = new FakePort();
    const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
    const a = host.hello();
    port.drop('Specified native messaging host not found.');
    await expect(a).rejects.toBeInstanceOf(AdviceError);
    await expect(a).rejects.toMatchObject({
      advice: { code: 'E_HOST_MISSING', message: expect.stringMatching(/install/) },
    });
  });

  it('times out a host that never answers', async () => {
    const host = new NativeHost({
      connect: () => new FakePort(),
      lastError: () => undefined,
      extensionId: ID,
      timeoutMs: 20,
    });
    await expect(host.hello()).rejects.toMatchObject({ advice: { code: 'E_HOST_TIMEOUT' } });
  });

  it('refuses a host older than the extension needs', async () => {
    const port = new FakePort((m) => ({ v: 1, id: m.id, ok: true, ...hello('0.0.9') }));
    const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
    await expect(host.hello()).rejects.toMatchObject({ advice: { code: 'E_HOST_OUTDATED' } });
    host.close();
  });

  it('refuses a reply the protocol schemas do not describe: the call rejects with advice, the port serves on', async () => {
    let launches = 0;
    const port = new FakePort((m) => {
      if (m.type === 'hello') return { v: 1, id: m.id, ok: true, ...hello() };
      launches += 1;
      if (launches === 1) return { v: 1, id: m.id, ok: true, client: 'remmina', rdp: 'x', argv: 'remmina' };
      if (launches === 2) return { v: 1, id: m.id, ok: false, error: { code: 'E_NEW', message: 'No.' } };
      return { v: 1, id: m.id, ok: true, client: 'remmina', rdp: 'x', argv: ['remmina'] };
    });
    const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
    const malformed = host.launch('x', 'auto');
    await expect(malformed).rejects.toBeInstanceOf(AdviceError);
    await expect(malformed).rejects.toMatchObject({
      advice: {
        code: 'E_HOST_BROKEN',
        message: expect.stringMatching(
          /"launch" with a reply this extension cannot read \(argv: .+\): run "rdp-now doctor"/,
        ),
      },
    });
    await expect(host.launch('x', 'auto')).rejects.toMatchObject({
      advice: { code: 'E_HOST_BROKEN', message: expect.stringMatching(/cannot read \(error\.code: /) },
    });
    await expect(host.launch('x', 'auto')).resolves.toEqual({
      client: 'remmina',
      rdp: 'x',
      argv: ['remmina'],
    });
    expect(port.disconnected).toBe(false);
    host.close();
  });

  it('refuses a hello without the host’s version, and one of another protocol version', async () => {
    for (const reply of [
      { v: 1, ok: true, host: { platform: 'linux', clients: [], defaultClient: null } },
      { v: 2, ok: true, ...hello() },
    ]) {
      const port = new FakePort((m) => ({ ...reply, id: m.id }));
      const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
      await expect(host.hello()).rejects.toMatchObject({
        advice: { code: 'E_HOST_BROKEN', message: expect.stringMatching(/"hello" with a reply/) },
      });
      host.close();
    }
  });

  it('tells each tunnel how it ended: an error, as it should, a tunnel-closed it cannot read, the port gone', async () => {
    let opened = 0;
    const port = new FakePort((m) =>
      m.type === 'hello'
        ? { v: 1, id: m.id, ok: true, ...hello() }
        : { v: 1, id: m.id, ok: true, tunnel: `t${++opened}`, port: 50_000 + opened },
    );
    const host = new NativeHost({ connect: () => port, lastError: () => undefined, extensionId: ID });
    const ends: Array<[string, unknown]> = [];
    const handlers = {
      mint: () => Promise.reject(new Error('not asked here')),
      closed: (tunnel: string, end: unknown) => void ends.push([tunnel, end]),
    };
    for (let i = 0; i < 5; i++)
      await host.openTunnel({ cloud: 'AzureCloud', bastion: 'bst-1.bastion.azure.com' }, handlers);
    const closed = (fields: object) => port.reply({ v: 1, type: 'tunnel-closed', ...fields });
    closed({ tunnel: 't1', error: "The Bastion dropped the tunnel's WebSocket (code 1006)." });
    closed({ tunnel: 't2', error: null });
    closed({ tunnel: 't3', error: 42 });
    closed({ tunnel: 't3', error: null });
    closed({ tunnel: 'unknown', error: 'x' });
    closed({ tunnel: 't4', error: '' });
    port.drop('Native host has exited.');
    expect(ends).toEqual([
      ['t1', { by: 'host', failed: true }],
      ['t2', { by: 'host', failed: false }],
      // Unreadable, but it names a tunnel of ours: that tunnel ended, as a failure, and only once.
      ['t3', { by: 'host', failed: true }],
      ['t4', { by: 'host', failed: true }],
      ['t5', { by: 'port' }],
    ]);
  });

  it('ignores replies to unknown ids and closes when idle', async () => {
    const port = new FakePort((m) => ({ v: 1, id: m.id, ok: true, ...hello() }));
    const host = new NativeHost({
      connect: () => port,
      lastError: () => undefined,
      extensionId: ID,
      idleMs: 10,
    });
    port.reply({ v: 1, id: 'nobody', ok: true });
    await host.hello();
    await new Promise((r) => setTimeout(r, 30));
    expect(port.disconnected).toBe(true);
  });
});

describe('advice', () => {
  it.each([
    ['Specified native messaging host not found.', 'E_HOST_MISSING'],
    ['Access to the specified native messaging host is forbidden.', 'E_HOST_FORBIDDEN'],
    ['Error when communicating with the native messaging host.', 'E_HOST_BROKEN'],
    ['Native host has exited.', 'E_HOST_BROKEN'],
    // Firefox's words for the same causes (docs/notes/browser-e2e.md).
    ['No such native application com.rdpnow.host', 'E_HOST_MISSING'],
    ['An unexpected error occurred', 'E_HOST_BROKEN'],
    [
      'Native application tried to send a message of 1920234593 bytes, which exceeds the limit of 1048576 bytes.',
      'E_HOST_BROKEN',
    ],
  ])('%s', (text, code) => {
    expect(disconnectAdvice(text, ID).code).toBe(code);
  });

  it('tells a store build which extension id to install the host for', () => {
    expect(
      disconnectAdvice(
        'Access to the specified native messaging host is forbidden.',
        'abcdefghijklmnopabcdefghijklmnop',
      ).message,
    ).toMatch(/--extension-id abcdefghijklmnopabcdefghijklmnop/);
  });

  it.each([
    ['AADSTS65001: The user or administrator has not consented', 'E_CONSENT'],
    ['AADSTS53003: Access has been blocked by Conditional Access policies', 'E_CONDITIONAL_ACCESS'],
    ["AADSTS50011: The redirect URI 'x' specified in the request does not match", 'E_REDIRECT_URI'],
    [
      'AADSTS9002326: Cross-origin token redemption is permitted only for the Single-Page Application',
      'E_REDIRECT_URI',
    ],
    ["AADSTS700016: Application with identifier 'x' was not found", 'E_UNKNOWN_APP'],
    ['The user did not approve access.', 'E_SIGN_IN_CANCELLED'],
    ['interaction_required: AADSTS50058', 'E_SIGN_IN_NEEDED'],
  ])('sign-in: %s', (text, code) => {
    const advice = signInAdvice(new Error(text), 'https://id.chromiumapp.org/');
    expect(advice.code).toBe(code);
    expect(advice.message).toMatch(/^[A-Z].*\.$/);
  });
});

describe('.rdp content from the settings', () => {
  it('writes the user, the display and explicit redirection choices', () => {
    const settings = {
      ...defaultSettings(),
      defaultUser: '.\\azureuser',
      userByVm: { [VM.toLowerCase()]: 'VM1\\admin' },
      display: { mode: 'window' as const, width: 1600, height: 900, multimon: false },
      redirections: { clipboard: true, printers: false },
      entraSignIn: true,
    };
    const text = rdpContent('20.1.2.3', 3389, settings, VM);
    expect(text).toContain('username:s:VM1\\admin\r\n');
    expect(text).toContain('screen mode id:i:1\r\ndesktopwidth:i:1600\r\ndesktopheight:i:900\r\n');
    expect(text).toContain('enablerdsaadauth:i:1\r\nredirectclipboard:i:1\r\nredirectprinters:i:0\r\n');
    const plain = rdpContent('10.0.0.4', 50001, defaultSettings(), null);
    expect(plain).toMatch(
      /^full address:s:10\.0\.0\.4:50001\r\nredirectclipboard:i:0\r\nredirectprinters:i:0\r\nscreen mode id:i:2\r\n/,
    );
  });
});

describe('context menu', () => {
  it('opens a confirmation for the first address in the selection, never launching from it', () => {
    expect(confirmationUrl('ssh to 10.0.0.4:3390 please', BASE)).toBe(
      `${BASE}confirm/index.html?host=10.0.0.4&port=3390`,
    );
    expect(confirmationUrl('[2001:db8::1]', BASE)).toBe(`${BASE}confirm/index.html?host=2001%3Adb8%3A%3A1`);
    expect(confirmationUrl('no address here', BASE)).toBeNull();
  });
});

const recent = (id: string, at: number, pinned = false): RecentVm => ({
  id,
  name: id,
  resourceGroup: 'rg',
  subscriptionId: 's',
  cloud: 'AzureCloud',
  lastResult: 'ready',
  lastSummary: 'Ready to connect.',
  lastCheckedAt: at,
  pinned,
});

describe('stores', () => {
  beforeEach(() => fakeBrowser.reset());

  it('orders recents pinned first, then most recent; an update keeps the pin', () => {
    const list = orderRecents([recent('a', 1), recent('b', 3), recent('c', 2, true)]);
    expect(list.map((r) => r.id)).toEqual(['c', 'b', 'a']);
    const updated = upsertRecent(list, { ...recent('c', 9), pinned: undefined as never });
    expect(updated.find((r) => r.id === 'c')?.pinned).toBe(true);
  });

  it('drops damaged stored entries instead of trusting them', async () => {
    await fakeBrowser.storage.local.set({
      recents: [recent('ok', 1), { id: 5 }, 'junk'],
      addedRules: [{ nsgId: 1 }],
    });
    expect((await recentsStore.list()).map((r) => r.id)).toEqual(['ok']);
    expect(await rulesStore.list()).toEqual([]);
  });

  it('keeps no recent VM whose tenant is not a tenant, stored earlier or about to be stored', async () => {
    await fakeBrowser.storage.local.set({
      recents: [
        { ...recent('a', 1), tenant: '../../x' },
        { ...recent('b', 2), tenant: 'contoso.onmicrosoft.com' },
      ],
    });
    expect((await recentsStore.list()).map((r) => r.id)).toEqual(['b']);
    await recentsStore.upsert({ ...recent('c', 3), tenant: 'a b' });
    const stored = (await fakeBrowser.storage.local.get('recents')).recents as RecentVm[];
    expect(stored.map((r) => r.id)).toEqual(['b']);
  });

  it('pins, removes, and remembers topologies by lower-cased id', async () => {
    await recentsStore.upsert(recent(VM, 1));
    expect((await recentsStore.update(VM.toUpperCase(), { pinned: true }))[0]?.pinned).toBe(true);
    expect(await recentsStore.update(VM, { remove: true })).toEqual([]);
    const topology = {
      nicId: 'n',
      vnetId: null,
      subnetId: null,
      publicIpId: null,
      nicNsgId: null,
      subnetNsgId: null,
      loadBalancerId: null,
      natPublicIpId: null,
    };
    await topologyStore.set(VM, topology);
    expect(await topologyStore.get(VM.toUpperCase())).toEqual(topology);
    await fakeBrowser.storage.local.set({ topology: { [VM.toLowerCase()]: { nicId: 3 } } });
    expect(await topologyStore.get(VM)).toBeNull();
  });
});

describe('grants: only the frame our content script opened, once, may act', () => {
  beforeEach(() => fakeBrowser.reset());
  it('issues a fresh grant per report opened, bound to its tab and VM, kept in session storage', async () => {
    const area = memoryArea();
    const grants = new Grants(area);
    const a = await grants.issue(1, VM);
    expect(a).toMatch(GRANT_PATTERN);
    expect(await grants.allows(1, a, VM.toUpperCase())).toBe(true);
    expect(await new Grants(area).allows(1, a, VM)).toBe(true); // a restarted worker finds it again
    expect(await grants.allows(1, a, VM.replace('vm1', 'vm2'))).toBe(false);
    expect(await grants.allows(2, a, VM)).toBe(false);
    expect(await grants.allows(1, undefined, VM)).toBe(false);
    expect(await grants.allows(undefined, a, VM)).toBe(false);
    const b = await grants.issue(1, VM);
    expect(b).not.toBe(a);
    expect(await grants.allows(1, a, VM)).toBe(false); // the next report's frame replaced it
    await grants.revoke(1, a); // a late close of the old panel leaves the new grant alone
    expect(await grants.allows(1, b, VM)).toBe(true);
    await grants.revoke(1, b);
    expect(await grants.allows(1, b, VM)).toBe(false);
    await grants.forget(2);
  });

  const deps = (grants = new Grants(memoryArea())) => ({
    grants,
    clicks: new ClickChecks<never>(),
    starts: new PendingStarts(memoryArea()),
    azure: {} as never,
    host: { warmUp: () => undefined } as never,
    tokens: {} as never,
    notices: {} as never,
  });

  it('refuses a launch or fix from a report page without the grant of its report, before anything else runs', async () => {
    const d = deps();
    const other = await d.grants.issue(5, VM);
    const frame = { tabId: 4, reportFrame: true };
    expect(await handle({ type: 'ui:launch', vmId: VM }, d, frame)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'E_NOT_OURS' }),
    });
    expect(await handle({ type: 'ui:fix', vmId: VM, fix: 'start-vm', grant: other }, d, frame)).toMatchObject(
      {
        error: { code: 'E_NOT_OURS' },
      },
    );
  });

  it('a report page sends only the report’s own requests: the rest are refused', async () => {
    const d = deps();
    expect(
      await handle({ type: 'ui:recent-update', vmId: VM, remove: true }, d, { tabId: 4, reportFrame: true }),
    ).toMatchObject({ ok: false, error: { code: 'E_NOT_OURS' } });
    expect(await recentsStore.list()).toEqual([]);
  });

  it('ui:close-report closes the panel of the tab whose grant the frame holds, and no other', async () => {
    const d = deps();
    // The fake browser has no tabs.sendMessage: this one records what the content script would be sent.
    const sent: unknown[] = [];
    const tabs = fakeBrowser.tabs as { sendMessage?: (tabId: number, message: unknown) => Promise<void> };
    tabs.sendMessage = async (tabId, message) => {
      sent.push({ tabId, message });
    };
    const grant = await d.grants.issue(9, VM);
    const frame = { tabId: 9, reportFrame: true };
    expect(await handle({ type: 'ui:close-report', vmId: VM }, d, frame)).toEqual({ closed: false });
    expect(
      await handle({ type: 'ui:close-report', vmId: VM, grant }, d, { tabId: 8, reportFrame: true }),
    ).toEqual({ closed: false });
    expect(await handle({ type: 'ui:close-report', vmId: VM, grant }, d, { tabId: 9 })).toEqual({
      closed: false,
    });
    expect(sent).toEqual([]);
    expect(await handle({ type: 'ui:close-report', vmId: VM, grant }, d, frame)).toEqual({ closed: true });
    expect(sent).toEqual([{ tabId: 9, message: { type: 'bg:close-report' } }]);
    delete tabs.sendMessage;
  });

  it('cs:open hands the content script the grant of the frame it creates; cs:close revokes it', async () => {
    const d = deps();
    const opened = await handle({ type: 'cs:open', vmId: VM, cloud: 'AzureCloud' }, d, { tabId: 9 });
    expect(opened).toMatchObject({ started: true, grant: expect.stringMatching(GRANT_PATTERN) });
    const grant = (opened as { grant: string }).grant;
    expect(await d.grants.allows(9, grant, VM)).toBe(true);
    expect(await handle({ type: 'cs:close', grant }, d, { tabId: 9 })).toEqual({ revoked: true });
    expect(await d.grants.allows(9, grant, VM)).toBe(false);
  });

  it('a frame without the grant gets a check of its own: not the click’s result, no recent VM, no sign-in', async () => {
    const interactive: boolean[] = [];
    const fresh = checkReport(false, []);
    const d = {
      ...deps(),
      azure: {
        check: async (_vm: string, _t: unknown, _c: unknown, asked: boolean) => {
          interactive.push(asked);
          return fresh;
        },
        context: () => undefined,
      } as never,
    };
    const frame = { tabId: 9, reportFrame: true };
    expect(await handle({ type: 'ui:check', vmId: VM_ID }, d, frame)).toEqual({ ok: true, report: fresh });
    expect(await recentsStore.list()).toEqual([]);
    const clicked = await handle({ type: 'cs:open', vmId: VM_ID, cloud: 'AzureCloud' }, d, { tabId: 9 });
    const grant = (clicked as { grant: string }).grant;
    // Planted right after the click: a check of its own, not the click's.
    expect(await handle({ type: 'ui:check', vmId: VM_ID }, d, frame)).toEqual({ ok: true, report: fresh });
    expect(await handle({ type: 'ui:check', vmId: VM_ID, grant }, d, frame)).toEqual({
      ok: true,
      report: fresh,
    });
    // The click's check asked interactively; the planted frame's two did not; ours took the click's result.
    expect(interactive).toEqual([false, true, false]);
    expect((await recentsStore.list()).map((r) => r.id)).toEqual([VM_ID]);
  });

  it('a click whose grant could not be stored is checked but launches nothing', async () => {
    const launched: string[] = [];
    const ready = checkReport(true, []);
    const full = { ...memoryArea(), set: () => Promise.reject(new Error('storage.session is full')) };
    const d = {
      ...deps(new Grants(full)),
      azure: { check: async () => ready, lastReport: () => ready, context: () => undefined } as never,
      host: {
        warmUp: () => undefined,
        launch: async (rdp: string) => {
          launched.push(rdp);
          return { client: 'mstsc', rdp, argv: [] };
        },
      } as never,
    };
    await expect(
      handle({ type: 'cs:open', vmId: VM_ID, cloud: 'AzureCloud' }, d, { tabId: 9 }),
    ).rejects.toThrow('storage.session is full');
    // The check ran in parallel with the grant's write and is recorded; its launch waited for the grant.
    await vi.waitFor(async () => expect((await recentsStore.list()).map((r) => r.id)).toEqual([VM_ID]));
    expect(launched).toEqual([]);
  });

  it('the content script of a portal VM page gets the VM and the portal’s cloud, and no grant yet', async () => {
    const d = deps();
    const reply = await handle(
      { type: 'cs:page', url: `https://portal.azure.us/#resource${VM}/overview` },
      d,
      { tabId: 9 },
    );
    expect(reply).toEqual({
      vm: expect.objectContaining({ name: 'vm1' }),
      cloud: 'AzureUSGovernment',
    });
    expect(await handle({ type: 'cs:page', url: 'https://portal.azure.com/#home' }, d, { tabId: 9 })).toEqual(
      { vm: null },
    );
  });
});

describe('click checks', () => {
  it('hands the check a click started to the report frame once, while it is fresh', async () => {
    const clicks = new ClickChecks<string>();
    clicks.start('grant-a', async () => 'report');
    expect(clicks.take('grant-b')).toBeNull();
    expect(await clicks.take('grant-a')).toBe('report');
    expect(clicks.take('grant-a')).toBeNull();
  });
});
