/**
 * Report frames may be embedded by any script on a portal origin (they must be web-accessible there), so the
 * background gives each tab's content script a random grant, passed in the frame's URL. Page scripts cannot
 * read it (the content script runs in an isolated world and the frame lives in a closed shadow root), so a
 * frame a page planted itself can show a check but never fix a VM or start a client.
 */
export class Grants {
  private readonly byTab = new Map<number, string>();

  /** The tab's grant, made on first use. */
  issue(tabId: number): string {
    let grant = this.byTab.get(tabId);
    if (!grant) {
      grant = crypto.randomUUID();
      this.byTab.set(tabId, grant);
    }
    return grant;
  }

  forget(tabId: number): void {
    this.byTab.delete(tabId);
  }

  /** Pages outside a tab (popup) need none; a page inside a tab (the report frame) must present its tab's. */
  allows(tabId: number | undefined, grant: string | undefined): boolean {
    if (tabId === undefined) return true;
    const issued = this.byTab.get(tabId);
    return issued !== undefined && grant === issued;
  }
}
