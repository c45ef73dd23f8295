/**
 * What the background keeps in storage.local: recent VMs, the NSG rules it added, and VM topologies (resource
 * ids only). Every read is validated item by item; a damaged entry is dropped, never trusted. No secrets here.
 */
import * as v from 'valibot';
import browser from 'webextension-polyfill';
import type { TopologyCache } from '../../shared/checks/engine';
import { type Topology, TopologySchema } from '../../shared/checks/gather';
import { type AddedRule, AddedRuleSchema, type RecentVm, RecentVmSchema } from '../messages';

const MAX_RECENTS = 50;
const MAX_TOPOLOGIES = 200;

function validItems<S extends v.GenericSchema>(schema: S, value: unknown): v.InferOutput<S>[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const parsed = v.safeParse(schema, item);
    return parsed.success ? [parsed.output] : [];
  });
}

async function read(key: string): Promise<unknown> {
  return (await browser.storage.local.get(key))[key];
}

/** Pinned first, then the most recently used. Pure. */
export function orderRecents(recents: RecentVm[]): RecentVm[] {
  const used = (r: RecentVm) => Math.max(r.lastCheckedAt, r.lastConnectedAt ?? 0);
  return [...recents].sort((a, b) => Number(b.pinned) - Number(a.pinned) || used(b) - used(a));
}

/** Replaces the VM's entry (keeping its pin and last connection) and trims the list. Pure. */
export function upsertRecent(
  recents: RecentVm[],
  entry: Omit<RecentVm, 'pinned'> & { pinned?: boolean },
): RecentVm[] {
  const key = entry.id.toLowerCase();
  const previous = recents.find((r) => r.id.toLowerCase() === key);
  const merged: RecentVm = {
    ...entry,
    pinned: entry.pinned ?? previous?.pinned ?? false,
    ...((entry.lastConnectedAt ?? previous?.lastConnectedAt) !== undefined && {
      lastConnectedAt: (entry.lastConnectedAt ?? previous?.lastConnectedAt) as number,
    }),
  };
  const rest = recents.filter((r) => r.id.toLowerCase() !== key);
  const ordered = orderRecents([merged, ...rest]);
  // Pinned VMs are never dropped to make room.
  const pinned = ordered.filter((r) => r.pinned);
  return [...pinned, ...ordered.filter((r) => !r.pinned).slice(0, Math.max(0, MAX_RECENTS - pinned.length))];
}

export const recentsStore = {
  async list(): Promise<RecentVm[]> {
    return orderRecents(validItems(RecentVmSchema, await read('recents')));
  },
  async save(recents: RecentVm[]): Promise<RecentVm[]> {
    // Only what a later read would accept is stored (e.g. never a tenant that is not one).
    const valid = validItems(RecentVmSchema, recents);
    await browser.storage.local.set({ recents: valid });
    return valid;
  },
  async upsert(entry: Parameters<typeof upsertRecent>[1]): Promise<RecentVm[]> {
    return this.save(upsertRecent(await this.list(), entry));
  },
  async update(vmId: string, change: { pinned?: boolean; remove?: boolean }): Promise<RecentVm[]> {
    const key = vmId.toLowerCase();
    const recents = (await this.list())
      .filter((r) => !(change.remove && r.id.toLowerCase() === key))
      .map((r) =>
        r.id.toLowerCase() === key && change.pinned !== undefined ? { ...r, pinned: change.pinned } : r,
      );
    return this.save(orderRecents(recents));
  },
};

export const rulesStore = {
  async list(): Promise<AddedRule[]> {
    return validItems(AddedRuleSchema, await read('addedRules'));
  },
  async add(rules: AddedRule[]): Promise<AddedRule[]> {
    const key = (r: AddedRule) => `${r.nsgId.toLowerCase()}|${r.ruleName}`;
    const added = new Set(rules.map(key));
    const all = [...(await this.list()).filter((r) => !added.has(key(r))), ...rules];
    await browser.storage.local.set({ addedRules: all });
    return all;
  },
  async remove(nsgId: string, ruleName: string): Promise<AddedRule[]> {
    const all = (await this.list()).filter(
      (r) => !(r.nsgId.toLowerCase() === nsgId.toLowerCase() && r.ruleName === ruleName),
    );
    await browser.storage.local.set({ addedRules: all });
    return all;
  },
};

/** Resource ids of VMs seen before, so their next check reads everything in one round. */
export const topologyStore: TopologyCache = {
  async get(vmId) {
    const all = (await read('topology')) as Record<string, unknown> | undefined;
    const parsed = v.safeParse(TopologySchema, all?.[vmId.toLowerCase()]);
    return parsed.success ? (parsed.output as Topology) : null;
  },
  async set(vmId, topology) {
    const stored = (await read('topology')) as Record<string, unknown> | undefined;
    const all = { ...(typeof stored === 'object' && stored !== null ? stored : {}) };
    delete all[vmId.toLowerCase()];
    all[vmId.toLowerCase()] = topology;
    const kept = Object.fromEntries(Object.entries(all).slice(-MAX_TOPOLOGIES));
    await browser.storage.local.set({ topology: kept });
  },
};
