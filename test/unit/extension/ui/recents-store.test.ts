import { describe, expect, it } from 'vitest';
import type { RecentVm, Replies, UiMessage } from '../../../../extension/messages';
import type { Ask } from '../../../../extension/ui/ask';
import {
  blockingSummaries,
  createRecentsStore,
  matchesQuery,
  sortRecents,
  visibleRecents,
  withoutVm,
  withPinned,
} from '../../../../extension/ui/recents-store';
import type { CheckReport } from '../../../../shared/checks/report';
import { checkReport } from '../../../support/reports';

const SUB_A = '6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f';
const SUB_B = 'a0a0a0a0-1111-2222-3333-444455556666';
const id = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`;

function vm(name: string, rg: string, sub: string, extra: Partial<RecentVm> = {}): RecentVm {
  return {
    id: id(sub, rg, name),
    name,
    resourceGroup: rg,
    subscriptionId: sub,
    cloud: 'AzureCloud',
    lastResult: 'ready',
    lastSummary: 'Ready to connect.',
    lastCheckedAt: 1_000,
    pinned: false,
    ...extra,
  };
}

const WEB = vm('vm-web-01', 'rg-prod-weu', SUB_A, { lastCheckedAt: 5_000, lastConnectedAt: 6_000 });
const DB = vm('vm-db-01', 'rg-prod-weu', SUB_A, { lastCheckedAt: 9_000 });
const JUMP = vm('jumpbox', 'rg-shared', SUB_B, { lastCheckedAt: 2_000, pinned: true });
const BUILD = vm('build-agent', 'RG-CI', SUB_B, { lastCheckedAt: 7_000, tenant: 'contoso.onmicrosoft.com' });
const ALL = [WEB, DB, JUMP, BUILD];
const names = (list: RecentVm[]) => list.map((v) => v.name);

describe('search', () => {
  it('matches the name, resource group or subscription in any case', () => {
    expect(matchesQuery(WEB, 'WEB')).toBe(true);
    expect(matchesQuery(WEB, 'prod-weu')).toBe(true);
    expect(matchesQuery(WEB, '6b1b3f2e')).toBe(true);
    expect(matchesQuery(BUILD, 'rg-ci')).toBe(true);
    expect(matchesQuery(WEB, 'jump')).toBe(false);
  });

  it('needs every term, each in any field', () => {
    expect(names(visibleRecents(ALL, 'prod db'))).toEqual(['vm-db-01']);
    expect(names(visibleRecents(ALL, 'a0a0 agent'))).toEqual(['build-agent']);
    expect(visibleRecents(ALL, 'prod agent')).toEqual([]);
  });

  it('shows everything for an empty or blank query', () => {
    expect(visibleRecents(ALL, '')).toHaveLength(4);
    expect(visibleRecents(ALL, '   ')).toHaveLength(4);
  });
});

describe('order', () => {
  it('puts pinned VMs first, then the most recently used (connected or checked)', () => {
    // jumpbox is pinned; then DB (checked 9000), BUILD (checked 7000), WEB (connected 6000).
    expect(names(sortRecents(ALL))).toEqual(['jumpbox', 'vm-db-01', 'build-agent', 'vm-web-01']);
  });

  it('counts a connection as use', () => {
    const web = { ...WEB, lastConnectedAt: 10_000 };
    expect(names(sortRecents([DB, web, BUILD]))).toEqual(['vm-web-01', 'vm-db-01', 'build-agent']);
  });

  it('orders ties by name and never mutates its input', () => {
    const a = vm('b', 'rg', SUB_A);
    const b = vm('a', 'rg', SUB_A);
    const input = [a, b];
    expect(names(sortRecents(input))).toEqual(['a', 'b']);
    expect(names(input)).toEqual(['b', 'a']);
  });

  it('moves a VM up when pinned and back when unpinned (ids compared without case)', () => {
    const pinned = withPinned(ALL, WEB.id.toUpperCase(), true);
    expect(names(sortRecents(pinned)).slice(0, 2)).toEqual(['vm-web-01', 'jumpbox']);
    expect(sortRecents(withPinned(pinned, WEB.id, false))).toEqual(sortRecents(ALL));
  });

  it('removes one VM only', () => {
    expect(names(withoutVm(ALL, DB.id.toLowerCase()))).toEqual(['vm-web-01', 'jumpbox', 'build-agent']);
  });
});

const report = (ready: boolean, checks: CheckReport['checks'] = []) =>
  checkReport(ready, checks, {
    vm: { id: WEB.id, name: WEB.name, resourceGroup: WEB.resourceGroup, subscriptionId: SUB_A },
  });

const NOT_READY = report(false, [
  { id: 'power', status: 'fail', summary: 'The VM is deallocated: start it.', fixes: ['start-vm'] },
  { id: 'address', status: 'warn', summary: 'The public IP is assigned when the VM starts.', fixes: [] },
  { id: 'nsg', status: 'unknown', summary: 'The network rules could not be read (403).', fixes: [] },
  { id: 'jit', status: 'pass', summary: 'No just-in-time policy covers this VM.', fixes: [] },
]);

it('blockingSummaries lists the failed and unreadable checks', () => {
  expect(blockingSummaries(NOT_READY)).toEqual([
    'The VM is deallocated: start it.',
    'The network rules could not be read (403).',
  ]);
});

/** A fake background: answers from a table and records what it was asked. */
function fakeBackground(answers: Partial<{ [K in keyof Replies]: (m: UiMessage) => Replies[K] }>) {
  const asked: UiMessage[] = [];
  let list = [...ALL];
  const handlers: Partial<Record<string, (m: UiMessage) => unknown>> = {
    'ui:recents': () => ({ recents: list }),
    'ui:recent-update': (m) => {
      if (m.type !== 'ui:recent-update') throw new Error('unexpected');
      list = m.remove ? withoutVm(list, m.vmId) : withPinned(list, m.vmId, m.pinned ?? false);
      return { recents: list };
    },
    ...answers,
  };
  const ask = (async (m: UiMessage) => {
    asked.push(m);
    const handler = handlers[m.type];
    if (!handler) throw new Error(`Could not establish connection. Receiving end does not exist.`);
    return handler(m);
  }) as Ask;
  return { ask, asked };
}

describe('the store', () => {
  it('loads, searches and sorts', async () => {
    const { ask } = fakeBackground({});
    const store = createRecentsStore(ask);
    expect(store.loaded.value).toBe(false);
    await store.load();
    expect(store.loaded.value).toBe(true);
    expect(names(store.visible.value)).toEqual(['jumpbox', 'vm-db-01', 'build-agent', 'vm-web-01']);
    store.query.value = 'rg-prod';
    expect(names(store.visible.value)).toEqual(['vm-db-01', 'vm-web-01']);
  });

  it('pins and removes through the background', async () => {
    const { ask, asked } = fakeBackground({});
    const store = createRecentsStore(ask);
    await store.load();
    await store.setPinned(WEB.id, true);
    expect(asked.at(-1)).toEqual({ type: 'ui:recent-update', vmId: WEB.id, pinned: true });
    expect(names(store.visible.value)).toEqual(['vm-web-01', 'jumpbox', 'vm-db-01', 'build-agent']);
    await store.remove(DB.id);
    expect(asked.at(-1)).toEqual({ type: 'ui:recent-update', vmId: DB.id, remove: true });
    expect(names(store.visible.value)).toEqual(['vm-web-01', 'jumpbox', 'build-agent']);
  });

  it('undoes an optimistic change the background did not make, and says why', async () => {
    const { ask } = fakeBackground({});
    const failing = (async (m: UiMessage) => {
      if (m.type === 'ui:recent-update') throw new Error('Storage is full.');
      return ask(m);
    }) as Ask;
    const store = createRecentsStore(failing);
    await store.load();
    await store.remove(WEB.id);
    expect(store.recents.value).toHaveLength(4);
    expect(store.error.value).toBe('Storage is full.');
  });

  it('reports a background that does not answer in one sentence', async () => {
    const store = createRecentsStore((async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    }) as Ask);
    await store.load();
    expect(store.error.value).toMatch(/background did not answer/);
  });

  it('reconnects: checks with the VM’s tenant and cloud, then launches when ready', async () => {
    const { ask, asked } = fakeBackground({
      'ui:check': () => ({ ok: true, report: report(true) }),
      'ui:launch': () => ({ ok: true, launch: { client: 'remmina', rdp: '', argv: [] } }),
    });
    const store = createRecentsStore(ask);
    await store.load();
    await store.reconnect(BUILD);
    expect(asked.filter((m) => m.type === 'ui:check' || m.type === 'ui:launch')).toEqual([
      { type: 'ui:check', vmId: BUILD.id, cloud: 'AzureCloud', tenant: 'contoso.onmicrosoft.com' },
      { type: 'ui:launch', vmId: BUILD.id },
    ]);
    expect(store.rowOf(BUILD.id)).toMatchObject({
      phase: 'launched',
      message: 'Started Remmina for 20.1.2.3:3389.',
    });
    // The list is read again: the background recorded the connection.
    expect(asked.at(-1)).toEqual({ type: 'ui:recents' });
  });

  it('does not send a tenant the VM does not have', async () => {
    const { ask, asked } = fakeBackground({ 'ui:check': () => ({ ok: true, report: report(true) }) });
    await createRecentsStore(ask).reconnect(WEB);
    expect(asked[0]).toEqual({ type: 'ui:check', vmId: WEB.id, cloud: 'AzureCloud' });
  });

  it('shows what blocks a VM that is not ready, with the portal link, and does not launch', async () => {
    const { ask, asked } = fakeBackground({ 'ui:check': () => ({ ok: true, report: NOT_READY }) });
    const store = createRecentsStore(ask);
    await store.reconnect(BUILD);
    expect(asked.some((m) => m.type === 'ui:launch')).toBe(false);
    expect(store.rowOf(BUILD.id)).toEqual({
      phase: 'not-ready',
      message: 'Not ready to connect:',
      blocking: ['The VM is deallocated: start it.', 'The network rules could not be read (403).'],
      portalUrl: `https://portal.azure.com/#@contoso.onmicrosoft.com/resource${BUILD.id}`,
      canStart: true,
    });
  });

  it('starts a VM from its row, then shows the check after the start and the refreshed list', async () => {
    const { ask, asked } = fakeBackground({
      'ui:check': () => ({ ok: true, report: NOT_READY }),
      'ui:fix': () => ({ ok: true, report: report(true) }),
    });
    const store = createRecentsStore(ask);
    await store.reconnect(BUILD);
    await store.startVm(BUILD);
    expect(asked.filter((m) => m.type === 'ui:fix')).toEqual([
      { type: 'ui:fix', vmId: BUILD.id, fix: 'start-vm' },
    ]);
    expect(store.rowOf(BUILD.id)).toBeUndefined();
    expect(asked.at(-1)?.type).toBe('ui:recents');
  });

  it('shows the check’s or the launch’s advice when they fail', async () => {
    const advice = { code: 'E_NO_CLIENT' as const, message: 'Install Remmina: `sudo apt install remmina`.' };
    const { ask } = fakeBackground({
      'ui:check': (m) =>
        m.type === 'ui:check' && m.vmId === DB.id
          ? { ok: false, error: { code: 'E_SIGN_IN_NEEDED', message: 'Sign in first.' } }
          : { ok: true, report: report(true) },
      'ui:launch': () => ({ ok: false, error: advice }),
    });
    const store = createRecentsStore(ask);
    await store.reconnect(DB);
    expect(store.rowOf(DB.id)).toMatchObject({ phase: 'failed', message: 'Sign in first.' });
    await store.reconnect(WEB);
    expect(store.rowOf(WEB.id)).toMatchObject({ phase: 'failed', message: advice.message });
    store.dismiss(WEB.id);
    expect(store.rowOf(WEB.id)).toBeUndefined();
  });

  it('shows progress lines while busy, ignores them otherwise, and runs one reconnect at a time', async () => {
    let finish: (value: Replies['ui:check']) => void = () => undefined;
    const { ask, asked } = fakeBackground({});
    const slow = ((m: UiMessage) => {
      if (m.type !== 'ui:check') return ask(m);
      asked.push(m);
      return new Promise<Replies['ui:check']>((resolve) => {
        finish = resolve;
      });
    }) as Ask;
    const store = createRecentsStore(slow);
    store.progress({ type: 'bg:progress', vmId: WEB.id, text: 'Starting the VM…' });
    expect(store.rowOf(WEB.id)).toBeUndefined();
    const running = store.reconnect(WEB);
    expect(store.rowOf(WEB.id)?.phase).toBe('checking');
    store.progress({ type: 'bg:progress', vmId: WEB.id.toUpperCase(), text: 'Starting the VM…' });
    expect(store.rowOf(WEB.id)?.message).toBe('Starting the VM…');
    await store.reconnect(WEB); // ignored while busy
    expect(asked.filter((m) => m.type === 'ui:check')).toHaveLength(1);
    finish({ ok: true, report: NOT_READY });
    await running;
    expect(store.rowOf(WEB.id)?.phase).toBe('not-ready');
  });
});
