/** How extension pages (report, popup, options, confirm) talk to the background: typed request → reply. */
import browser from 'webextension-polyfill';
import type { ProgressMessage, ReplyTo, UiMessage } from '../messages';

export async function ask<M extends UiMessage>(message: M): Promise<ReplyTo<M>> {
  return (await browser.runtime.sendMessage(message)) as ReplyTo<M>;
}

/** Progress lines the background broadcasts while it starts a VM or waits for JIT access. */
export function onProgress(listener: (progress: ProgressMessage) => void): () => void {
  const handler = (message: unknown) => {
    const m = message as Partial<ProgressMessage> | null;
    if (m?.type === 'bg:progress' && typeof m.vmId === 'string' && typeof m.text === 'string') {
      listener(m as ProgressMessage);
    }
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}
