/**
 * The options page's settings as a plain signals store over an injected storage: the user's own values
 * (storage.local `settings`), the organisation's policy (storage.managed) and the effective result. Only the
 * user's values are ever written: a policy value is shown locked and never copied into local storage.
 */
import { computed, signal } from '@preact/signals';
import * as v from 'valibot';
import { type Managed, managedFields, parseSettings, type Settings, SettingsSchema } from '../settings';

export interface SettingsStorage {
  /** The raw `settings` value of storage.local (anything: it is validated here). */
  readLocal(): Promise<unknown>;
  writeLocal(settings: Settings): Promise<void>;
  /** storage.managed's content; may reject (Firefox without a policy, or no managed storage at all). */
  readManaged(): Promise<unknown>;
}

export type SaveState =
  | { state: 'idle' }
  | { state: 'saved'; at: number }
  | { state: 'error'; message: string };

export function createSettingsStore(storage: SettingsStorage, clock: () => number = Date.now) {
  const user = signal<Settings>(parseSettings({}));
  const managed = signal<Managed>({});
  const loaded = signal(false);
  const save = signal<SaveState>({ state: 'idle' });
  const effective = computed(() => parseSettings(user.value, managed.value));
  const locked = computed(() => new Set(Object.keys(managed.value)) as ReadonlySet<keyof Managed>);

  async function load(): Promise<void> {
    const [local, policy] = await Promise.all([
      storage.readLocal().catch(() => undefined),
      storage.readManaged().catch(() => undefined),
    ]);
    user.value = parseSettings(local);
    managed.value = managedFields(policy);
    loaded.value = true;
  }

  /** Merges a change into the user's settings and writes them; false (and the reason in `save`) if it failed. */
  async function update(patch: Partial<Settings>): Promise<boolean> {
    const next = { ...user.value, ...patch };
    const checked = v.safeParse(SettingsSchema, next);
    if (!checked.success) {
      save.value = { state: 'error', message: 'That value is not valid, so it was not saved.' };
      return false;
    }
    try {
      await storage.writeLocal(checked.output);
      user.value = checked.output;
      save.value = { state: 'saved', at: clock() };
      return true;
    } catch (e) {
      const reason = e instanceof Error && e.message ? e.message : String(e);
      save.value = { state: 'error', message: `Not saved: ${reason}` };
      return false;
    }
  }

  function setUserFor(vmKey: string, userName: string): Promise<boolean> {
    return update({ userByVm: { ...user.value.userByVm, [vmKey]: userName } });
  }

  /** Removes one VM's entry of a per-VM setting: its user name, or its chosen route (the VM is then `auto`). */
  function removeFor(field: 'userByVm' | 'viaByVm', vmKey: string): Promise<boolean> {
    const { [vmKey]: _removed, ...rest } = user.value[field];
    return update({ [field]: rest });
  }

  return { user, managed, effective, locked, loaded, save, load, update, setUserFor, removeFor };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
