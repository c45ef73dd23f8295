/**
 * VM starts under way, kept in `storage.session`: a start takes minutes, and MV3 stops a worker (idle 30 s, or the
 * browser's own reasons) while it waits. The report asks for the start again when its answer is lost; the next
 * worker finds the start here and resumes the wait instead of refusing a fix its fresh check no longer offers
 * (a starting VM). ARM's start is idempotent, so resuming is starting again and waiting.
 */
import type { SessionArea } from './grants';

const key = (vmId: string) => `starting:${vmId.toLowerCase()}`;
/** A start older than this is not resumed: the wait it belonged to is long over. */
export const RESUME_WINDOW_MS = 15 * 60_000;

export class PendingStarts {
  constructor(
    private readonly area: SessionArea,
    private readonly now: () => number = Date.now,
  ) {}

  async begin(vmId: string): Promise<void> {
    await this.area.set({ [key(vmId)]: this.now() });
  }

  async end(vmId: string): Promise<void> {
    await this.area.remove(key(vmId));
  }

  /** Whether a start of this VM was under way when a previous worker stopped (storage is checked, not trusted). */
  async underWay(vmId: string): Promise<boolean> {
    const since = (await this.area.get(key(vmId)))[key(vmId)];
    const age = typeof since === 'number' ? this.now() - since : Number.NaN;
    return age >= 0 && age < RESUME_WINDOW_MS;
  }
}
