/**
 * Bastion tunnels that closed with an error (the host's unasked `tunnel-closed`, docs/PROTOCOL.md §2.4): by then
 * the report that launched the client has usually closed, so the user learns it from the toolbar badge and the
 * popup, which offers "Connect again". Kept in storage.session (gone with the browser session, as the tunnels
 * are), one per VM: a newer failure replaces the older. Every read is validated; a damaged entry is dropped.
 */
import * as v from 'valibot';
import { type TunnelNotice, TunnelNoticeSchema } from '../messages';
import type { SessionArea } from './grants';

const KEY = 'tunnelNotices';

/** The sentence the user reads: the host's own words are for the log, the extension names what it knows. */
export function closedSentence(
  cause: 'dropped' | 'host-gone',
  names: { vm: string; bastion: string },
): string {
  return cause === 'host-gone'
    ? `The companion host stopped, which closed the tunnel to ${names.vm}.`
    : `The Bastion ${names.bastion} dropped the connection to ${names.vm}.`;
}

export class TunnelNotices {
  /** Reads and writes in the order they came: a clear never undoes the notice that followed it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly area: SessionArea,
    /** Called with the notices after every change (the toolbar badge follows them). */
    private readonly changed: (notices: TunnelNotice[]) => Promise<void>,
  ) {}

  list(): Promise<TunnelNotice[]> {
    return this.serial(() => this.read());
  }

  /** Records a tunnel's failure; the VM's older notice goes. */
  add(notice: TunnelNotice): Promise<TunnelNotice[]> {
    const vmKey = notice.vmId.toLowerCase();
    return this.change((all) => [notice, ...all.filter((n) => n.vmId.toLowerCase() !== vmKey)]);
  }

  clear(tunnel: string): Promise<TunnelNotice[]> {
    return this.change((all) => all.filter((n) => n.tunnel !== tunnel));
  }

  private change(edit: (all: TunnelNotice[]) => TunnelNotice[]): Promise<TunnelNotice[]> {
    return this.serial(async () => {
      const next = edit(await this.read());
      await this.area.set({ [KEY]: next });
      await this.changed(next);
      return next;
    });
  }

  private async read(): Promise<TunnelNotice[]> {
    const stored = (await this.area.get(KEY))[KEY];
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((item) => {
      const parsed = v.safeParse(TunnelNoticeSchema, item);
      return parsed.success ? [parsed.output] : [];
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
