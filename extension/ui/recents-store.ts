/**
 * The popup's recent VMs as a plain signals store: search, pin order and removal are pure functions, and the
 * one-click reconnect (check, then launch when ready) talks to the background through an injected `ask`, so
 * all of it is tested without a browser.
 */
import { computed, signal } from '@preact/signals';
import type { CheckReport } from '../../shared/checks/report';
import { resourceIdKey } from '../../shared/resource-id';
import type { Advice, ProgressMessage, RecentVm } from '../messages';
import type { Ask } from './ask';
import { errorText, hostPort, portalVmUrl, startedText } from './format';
import { type StepId, setupStepOf } from './setup-steps';

/** Every whitespace-separated term must appear (any case) in the name, resource group or subscription id. */
export function matchesQuery(vm: RecentVm, query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const fields = [vm.name, vm.resourceGroup, vm.subscriptionId].map((f) => f.toLowerCase());
  return terms.every((term) => fields.some((field) => field.includes(term)));
}

/** When the VM was last used: connected, or at least checked. */
export function lastUsed(vm: RecentVm): number {
  return Math.max(vm.lastConnectedAt ?? 0, vm.lastCheckedAt);
}

/** Pinned first, then the most recently used, then by name; never mutates its input. */
export function sortRecents(list: readonly RecentVm[]): RecentVm[] {
  return [...list].sort(
    (a, b) =>
      Number(b.pinned) - Number(a.pinned) || lastUsed(b) - lastUsed(a) || a.name.localeCompare(b.name),
  );
}

export function visibleRecents(list: readonly RecentVm[], query: string): RecentVm[] {
  return sortRecents(list.filter((vm) => matchesQuery(vm, query)));
}

export function withPinned(list: readonly RecentVm[], vmId: string, pinned: boolean): RecentVm[] {
  const key = resourceIdKey(vmId);
  return list.map((vm) => (resourceIdKey(vm.id) === key ? { ...vm, pinned } : vm));
}

export function withoutVm(list: readonly RecentVm[], vmId: string): RecentVm[] {
  const key = resourceIdKey(vmId);
  return list.filter((vm) => resourceIdKey(vm.id) !== key);
}

/** The summaries of the checks that keep a VM from being ready (failed, or could not be read). */
export function blockingSummaries(report: CheckReport): string[] {
  return report.checks.filter((c) => c.status === 'fail' || c.status === 'unknown').map((c) => c.summary);
}

export type RowPhase = 'checking' | 'launching' | 'launched' | 'not-ready' | 'failed';

/** What a row shows inline after (or during) a reconnect. */
export interface RowState {
  phase: RowPhase;
  message: string;
  /** For `not-ready`: the blocking checks' summaries. */
  blocking: string[];
  /** For `not-ready`: where to fix it. */
  portalUrl: string | null;
  /** For `not-ready`: the check offers to start the VM, which the row does itself. */
  canStart: boolean;
  /** For `failed`: the set-up step the failure means is missing (shown with the set-up page), if any. */
  setupStep?: StepId;
}

export function isBusy(row: RowState | undefined): boolean {
  return row?.phase === 'checking' || row?.phase === 'launching';
}

function row(phase: RowPhase, message: string, blocking: string[] = [], portalUrl: string | null = null) {
  return { phase, message, blocking, portalUrl, canStart: false };
}

/** A VM that is not ready: what blocks it, where to fix it, and whether the row can start it. */
function notReady(vm: RecentVm, report: CheckReport): RowState {
  const url = portalVmUrl(vm.id, vm.cloud, vm.tenant);
  return {
    ...row('not-ready', 'Not ready to connect:', blockingSummaries(report), url),
    canStart: report.checks.some((c) => c.fixes.includes('start-vm')),
  };
}

/** A failed row; a missing set-up step is kept so the row links the set-up page. */
function failedRow(error: Advice): RowState {
  const step = setupStepOf(error.code);
  return { ...row('failed', error.message), ...(step !== null && { setupStep: step }) };
}

export function createRecentsStore(ask: Ask) {
  const recents = signal<RecentVm[]>([]);
  const query = signal('');
  const loaded = signal(false);
  /** A failure of the list itself (load, pin, remove); reconnect failures stay in their row. */
  const error = signal<string | null>(null);
  const rows = signal<ReadonlyMap<string, RowState>>(new Map());
  const visible = computed(() => visibleRecents(recents.value, query.value));

  function setRow(vmId: string, state: RowState | null): void {
    const next = new Map(rows.value);
    if (state === null) next.delete(resourceIdKey(vmId));
    else next.set(resourceIdKey(vmId), state);
    rows.value = next;
  }

  function rowOf(vmId: string): RowState | undefined {
    return rows.value.get(resourceIdKey(vmId));
  }

  async function load(): Promise<void> {
    try {
      recents.value = (await ask({ type: 'ui:recents' })).recents;
      error.value = null;
    } catch (e) {
      error.value = errorText(e);
    } finally {
      loaded.value = true;
    }
  }

  /** Shown at once, then replaced by the background's list (or undone when it fails). */
  async function update(
    vmId: string,
    optimistic: RecentVm[],
    change: { pinned: boolean } | { remove: true },
  ) {
    const before = recents.value;
    recents.value = optimistic;
    try {
      recents.value = (await ask({ type: 'ui:recent-update', vmId, ...change })).recents;
      error.value = null;
    } catch (e) {
      recents.value = before;
      error.value = errorText(e);
    }
  }

  function setPinned(vmId: string, pinned: boolean): Promise<void> {
    return update(vmId, withPinned(recents.value, vmId, pinned), { pinned });
  }

  function remove(vmId: string): Promise<void> {
    setRow(vmId, null);
    return update(vmId, withoutVm(recents.value, vmId), { remove: true });
  }

  /** Check the VM; when it is ready, launch. Progress and the outcome show in the VM's row. */
  async function reconnect(vm: RecentVm): Promise<void> {
    if (isBusy(rowOf(vm.id))) return;
    setRow(vm.id, row('checking', 'Checking the VM…'));
    try {
      const checked = await ask({
        type: 'ui:check',
        vmId: vm.id,
        cloud: vm.cloud,
        ...(vm.tenant !== undefined && { tenant: vm.tenant }),
      });
      if (!checked.ok) {
        setRow(vm.id, failedRow(checked.error));
        return;
      }
      if (!checked.report.ready) {
        setRow(vm.id, notReady(vm, checked.report));
        return;
      }
      setRow(vm.id, row('launching', 'Starting the Remote Desktop client…'));
      const launched = await ask({ type: 'ui:launch', vmId: vm.id });
      setRow(
        vm.id,
        launched.ok
          ? row(
              'launched',
              startedText(
                launched.launch.client,
                checked.report.target.address &&
                  hostPort(checked.report.target.address, checked.report.target.port),
              ),
            )
          : failedRow(launched.error),
      );
    } catch (e) {
      setRow(vm.id, row('failed', errorText(e)));
    } finally {
      // The background recorded the outcome (last result, last connected): show it.
      await load();
    }
  }

  /** Starts the VM a check found stopped; the row then shows the check after the start. */
  async function startVm(vm: RecentVm): Promise<void> {
    if (isBusy(rowOf(vm.id))) return;
    setRow(vm.id, row('checking', `Starting ${vm.name}…`));
    try {
      const fixed = await ask({ type: 'ui:fix', vmId: vm.id, fix: 'start-vm' });
      if (!fixed.ok) setRow(vm.id, row('failed', fixed.error.message));
      else setRow(vm.id, fixed.report.ready ? null : notReady(vm, fixed.report));
    } catch (e) {
      setRow(vm.id, row('failed', errorText(e)));
    } finally {
      // The background recorded the check after the fix: the row's status shows it.
      await load();
    }
  }

  /** A progress line from the background (starting the VM, waiting for JIT) replaces a busy row's text. */
  function progress(message: ProgressMessage): void {
    const current = rowOf(message.vmId);
    if (current && isBusy(current)) setRow(message.vmId, { ...current, message: message.text });
  }

  function dismiss(vmId: string): void {
    if (!isBusy(rowOf(vmId))) setRow(vmId, null);
  }

  return {
    recents,
    query,
    loaded,
    error,
    rows,
    visible,
    rowOf,
    load,
    setPinned,
    remove,
    reconnect,
    startVm,
    progress,
    dismiss,
  };
}

export type RecentsStore = ReturnType<typeof createRecentsStore>;
