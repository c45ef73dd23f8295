/**
 * The report page's state as a plain signals store: check, fix, connect, progress and errors, talking to the
 * background through an injected `ask`, so all of it is tested without a browser. The one-click promise lives
 * here: a VM that is ready at the first check connects at once, once, in the frame the click opened.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import { allChecksPass, type CheckReport } from '../../shared/checks/report';
import type { ClientId } from '../../shared/protocol';
import { rdpFileBytes } from '../../shared/rdp-file';
import { resourceIdKey } from '../../shared/resource-id';
import type { Advice, ProgressMessage, Result } from '../messages';
import type { Ask } from '../ui/ask';
import { errorText } from '../ui/format';
import type { ActionFix, Busy } from '../ui/report-view';
import type { ReportTarget } from './target';

export interface ReportStore {
  readonly report: ReadonlySignal<CheckReport | null>;
  readonly busy: ReadonlySignal<Busy | null>;
  readonly progress: ReadonlySignal<string | null>;
  readonly error: ReadonlySignal<Advice | null>;
  /** What "Try again" does after the last failure. */
  readonly retry: ReadonlySignal<(() => void) | null>;
  readonly launched: ReadonlySignal<ClientId | null>;
  /** The fix that succeeded last, until anything else starts. */
  readonly finished: ReadonlySignal<ActionFix | null>;
  check(): Promise<void>;
  fix(fix: ActionFix): Promise<void>;
  connect(): Promise<void>;
  /** With no host: the `.rdp` file the host would have launched, to download (null on failure, shown). */
  download(): Promise<{ fileName: string; bytes: Uint8Array<ArrayBuffer> } | null>;
  /** A `bg:progress` line: kept when it is about this VM and something is running. */
  progressed(message: ProgressMessage): void;
}

export interface ReportHooks {
  /** After a launch the client confirmed (the page closes the panel a moment later). */
  onLaunched?(client: ClientId): void;
  /** Why a press must not act now (see visibility.ts): the one sentence shown instead; null when it may. */
  refusal?(): Advice | null;
  /**
   * Asks for the host permission of the Bastion domains, inside the Connect press (the worker cannot ask); the
   * background says so in one sentence if it is refused.
   */
  allowBastion?(): Promise<unknown>;
}

/** A call to the background; a throw or no answer at all becomes a failure with its one sentence. */
async function call<T>(request: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    const reply = await request();
    if (typeof reply === 'object' && reply !== null && 'ok' in reply) return reply;
    return { ok: false, error: { code: 'E_NO_ANSWER', message: errorText(undefined) } };
  } catch (error) {
    return { ok: false, error: { code: 'E_NO_ANSWER', message: errorText(error) } };
  }
}

export function createReportStore(ask: Ask, target: ReportTarget, hooks: ReportHooks = {}): ReportStore {
  const vmId = target.vm.id;
  // Read at each call: the grant arrives by message after the store exists.
  const grant = () => (target.grant !== undefined ? { grant: target.grant } : {});
  const report = signal<CheckReport | null>(null);
  const busy = signal<Busy | null>(null);
  const progress = signal<string | null>(null);
  const error = signal<Advice | null>(null);
  const retry = signal<(() => void) | null>(null);
  const launched = signal<ClientId | null>(null);
  const finished = signal<ActionFix | null>(null);
  let firstReport = true;

  /** Starts an operation; false when another one is still running (a double click, a late retry). */
  function begin(next: Busy): boolean {
    if (busy.value !== null) return false;
    busy.value = next;
    finished.value = null;
    progress.value = null;
    error.value = null;
    retry.value = null;
    return true;
  }

  function end(): void {
    busy.value = null;
    progress.value = null;
  }

  function fail(advice: Advice, again: () => void): void {
    error.value = advice;
    retry.value = again;
  }

  async function check(): Promise<void> {
    if (!begin({ kind: 'check' })) return;
    const reply = await call(() =>
      ask({
        type: 'ui:check',
        vmId,
        ...(target.tenant !== undefined && { tenant: target.tenant }),
        ...(target.cloud !== undefined && { cloud: target.cloud }),
        ...grant(),
      }),
    );
    end();
    if (!reply.ok) return fail(reply.error, () => void check());
    report.value = reply.report;
    const first = firstReport;
    firstReport = false;
    if (reply.launch) {
      // The background launched a ready VM as soon as the click's check finished.
      launched.value = reply.launch.client;
      hooks.onLaunched?.(reply.launch.client);
    } else if (reply.launchError) {
      fail(reply.launchError, () => void connect());
    } else if (first && target.grant !== undefined && allChecksPass(reply.report)) {
      // The one-click promise: the user's click on "RDP now" that opened this frame (its grant says so) asked
      // for this, once, so no visibility wait applies. A frame without a grant was not opened by a click.
      await launch();
    }
  }

  async function fix(which: ActionFix): Promise<void> {
    const refused = hooks.refusal?.();
    if (refused) return fail(refused, () => void fix(which));
    if (!begin({ kind: 'fix', fix: which })) return;
    launched.value = null;
    const request = () => call(() => ask({ type: 'ui:fix', vmId, fix: which, ...grant() }));
    let reply = await request();
    // The worker was stopped while the VM started (MV3 stops idle workers): the next one resumes the wait.
    if (!reply.ok && reply.error.code === 'E_NO_ANSWER' && which === 'start-vm') reply = await request();
    end();
    if (!reply.ok) return fail(reply.error, () => void fix(which));
    report.value = reply.report;
    finished.value = which;
  }

  /** The Connect button: a press inside this frame, which must have been visible (see visibility.ts). */
  async function connect(): Promise<void> {
    const refused = hooks.refusal?.();
    if (refused) return fail(refused, () => void connect());
    if (report.value?.target.via === 'bastion') await hooks.allowBastion?.().catch(() => undefined);
    await launch();
  }

  async function launch(): Promise<void> {
    if (!begin({ kind: 'launch' })) return;
    launched.value = null;
    const reply = await call(() => ask({ type: 'ui:launch', vmId, ...grant() }));
    end();
    if (!reply.ok) return fail(reply.error, () => void connect());
    launched.value = reply.launch.client;
    hooks.onLaunched?.(reply.launch.client);
  }

  function progressed(message: ProgressMessage): void {
    if (busy.value !== null && resourceIdKey(message.vmId) === resourceIdKey(vmId))
      progress.value = message.text;
  }

  /** With no host: the `.rdp` file the host would have launched, as bytes to download (null on failure). */
  async function download(): Promise<{ fileName: string; bytes: Uint8Array<ArrayBuffer> } | null> {
    const refused = hooks.refusal?.();
    if (refused) {
      fail(refused, () => void download());
      return null;
    }
    const reply = await call(() => ask({ type: 'ui:rdp-file', vmId, ...grant() }));
    if (!reply.ok) {
      fail(reply.error, () => void download());
      return null;
    }
    return { fileName: reply.fileName, bytes: rdpFileBytes(reply.rdp) };
  }

  return {
    report,
    busy,
    progress,
    error,
    retry,
    launched,
    finished,
    check,
    fix,
    connect,
    download,
    progressed,
  };
}
