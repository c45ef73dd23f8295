/**
 * The few extension APIs the content script uses, taken from `browser` (Firefox) or `chrome` (Chromium):
 * both return promises in MV3, so no polyfill is needed and the script stays a few KB.
 */
import { isAzureCloudName } from '../../shared/resource-id';
import type { ReplyOf, VmRef } from '../messages';

export interface ContentRuntime {
  /** Undefined once the extension was reloaded or removed: this script is then an orphan. */
  readonly id?: string | undefined;
  sendMessage(message: unknown): Promise<unknown>;
  getURL(path: string): string;
  readonly onMessage: {
    addListener(listener: (message: unknown) => void): void;
    removeListener(listener: (message: unknown) => void): void;
  };
}

export function extensionRuntime(): ContentRuntime | null {
  const g = globalThis as { browser?: { runtime?: ContentRuntime }; chrome?: { runtime?: ContentRuntime } };
  return g.browser?.runtime ?? g.chrome?.runtime ?? null;
}

/** Messages the content script accepts from the extension (never from the page: it cannot send these). */
export type TabMessage = { type: 'bg:open-report' } | { type: 'bg:close-report' };

export function tabMessage(message: unknown): TabMessage['type'] | null {
  const type = (message as { type?: unknown } | null)?.type;
  return type === 'bg:open-report' || type === 'bg:close-report' ? type : null;
}

export type PageReply = ReplyOf<'cs:page'>;

/**
 * The background's answer to `cs:page`, checked by hand (this script stays small, without valibot and the
 * MESSAGES table): anything malformed means "no VM here".
 */
export function pageReply(
  reply: unknown,
): { vm: VmRef; tenant?: string; cloud?: NonNullable<PageReply['cloud']> } | null {
  const r = reply as Partial<PageReply> | null | undefined;
  const vm = r?.vm;
  if (!vm || typeof vm.id !== 'string' || typeof vm.name !== 'string') return null;
  if (typeof vm.resourceGroup !== 'string' || typeof vm.subscriptionId !== 'string') return null;
  return {
    vm,
    ...(typeof r.tenant === 'string' && r.tenant !== '' && { tenant: r.tenant }),
    ...(isAzureCloudName(r.cloud) && { cloud: r.cloud }),
  };
}
