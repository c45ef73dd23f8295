/**
 * Checks started by a click on "RDP now" (the content script says so at once), so the report frame, which loads
 * meanwhile, picks up the check in flight instead of starting it only once it has loaded.
 */
const FRESH_MS = 15_000;

export class ClickChecks<T> {
  private readonly byVm = new Map<string, { at: number; result: Promise<T> }>();

  start(vmId: string, run: () => Promise<T>): void {
    const result = run();
    result.catch(() => undefined);
    this.byVm.set(vmId.toLowerCase(), { at: Date.now(), result });
  }

  /** The click's check for this VM, once, if it is recent; later checks read everything afresh. */
  take(vmId: string): Promise<T> | null {
    const key = vmId.toLowerCase();
    const entry = this.byVm.get(key);
    this.byVm.delete(key);
    return entry && Date.now() - entry.at < FRESH_MS ? entry.result : null;
  }
}
