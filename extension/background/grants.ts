/**
 * Report frames may be embedded by any script on a portal origin (they must be web-accessible there), so the
 * background gives each tab's content script a random grant, which it hands to the frame it created by a
 * message only the extension's origin receives. Page scripts never see it (the content script runs in an
 * isolated world, the frame in a closed shadow root), so a frame a page planted itself can show a check but
 * never fix a VM or start a client. Kept in session storage, so an open report survives a worker restart.
 */

/** The part of `storage.session` used here (trusted extension contexts only: content scripts cannot read it). */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

const key = (tabId: number) => `grant:${tabId}`;

export class Grants {
  constructor(private readonly area: SessionArea) {}

  /** The tab's grant, made on first use. */
  async issue(tabId: number): Promise<string> {
    const stored = (await this.area.get(key(tabId)))[key(tabId)];
    if (typeof stored === 'string') return stored;
    const grant = crypto.randomUUID();
    await this.area.set({ [key(tabId)]: grant });
    return grant;
  }

  async forget(tabId: number): Promise<void> {
    await this.area.remove(key(tabId));
  }

  /** Whether a report frame in this tab presented the tab's grant. */
  async allows(tabId: number | undefined, grant: string | undefined): Promise<boolean> {
    if (tabId === undefined || grant === undefined) return false;
    return (await this.area.get(key(tabId)))[key(tabId)] === grant;
  }
}
