/**
 * Report frames may be embedded by any script on a portal origin (they must be web-accessible there), so each
 * report the content script opens gets a fresh random grant for that tab and VM (`cs:open`), which the content
 * script hands once to the frame it created, over a `MessageChannel` port only that frame receives. Page scripts
 * never see it (the content script runs in an isolated world, the frame in a closed shadow root), and a frame
 * the page reloads or plants gets none: it can show a check but not take the click's result, record a recent
 * VM, sign in, fix or launch. Opening another report replaces the tab's grant; closing the panel revokes it.
 * Kept in session storage, so an open report survives a worker restart.
 */
import { resourceIdKey } from '../../shared/resource-id';

/** The part of `storage.session` used here (trusted extension contexts only: content scripts cannot read it). */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

interface Issued {
  grant: string;
  vmId: string;
}

const key = (tabId: number) => `grant:${tabId}`;

export class Grants {
  /** Every change and read in the order the messages came: a close never undoes the open that followed it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly area: SessionArea) {}

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(tabId: number): Promise<Issued | null> {
    const stored = (await this.area.get(key(tabId)))[key(tabId)] as Partial<Issued> | undefined;
    return typeof stored?.grant === 'string' && typeof stored.vmId === 'string'
      ? { grant: stored.grant, vmId: stored.vmId }
      : null;
  }

  /** A fresh grant for the report of `vmId` the content script of this tab is opening; the previous one ends. */
  issue(tabId: number, vmId: string): Promise<string> {
    return this.serial(async () => {
      const grant = crypto.randomUUID();
      await this.area.set({ [key(tabId)]: { grant, vmId } satisfies Issued });
      return grant;
    });
  }

  /** The panel holding the frame of `grant` went away. */
  revoke(tabId: number, grant: string): Promise<void> {
    return this.serial(async () => {
      if ((await this.read(tabId))?.grant === grant) await this.area.remove(key(tabId));
    });
  }

  forget(tabId: number): Promise<void> {
    return this.serial(() => this.area.remove(key(tabId)));
  }

  /** Whether a report frame in this tab presented the grant of the report open there, for this VM. */
  allows(tabId: number | undefined, grant: string | undefined, vmId: string): Promise<boolean> {
    if (tabId === undefined || grant === undefined) return Promise.resolve(false);
    return this.serial(async () => {
      const issued = await this.read(tabId);
      return issued?.grant === grant && resourceIdKey(issued.vmId) === resourceIdKey(vmId);
    });
  }
}
