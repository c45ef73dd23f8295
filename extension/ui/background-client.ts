/**
 * How extension pages (report, popup, options, confirm) talk to the background: typed request → reply, the reply
 * validated with messages.ts's schema for the request's type, as the background validated the request.
 */
import { type ProgressMessage, parseReply, type ReplyTo, type UiMessage } from '../messages';
import { NO_BACKGROUND } from './format';
import { pageBrowser } from './page-browser';

/** A reply the background should not have sent (or no reply at all): the page shows its message. */
export class ReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplyError';
  }
}

export async function ask<M extends UiMessage>(message: M): Promise<ReplyTo<M>> {
  // Chromium's own sendMessage rejects where the polyfill answered undefined: both mean nobody answered.
  const reply: unknown = await pageBrowser()
    .runtime.sendMessage(message)
    .catch(() => undefined);
  // Nobody answered (the background is reloading or refused the sender).
  if (reply === undefined) throw new ReplyError(NO_BACKGROUND);
  const parsed = parseReply(message.type, reply);
  if (parsed.ok) return parsed.reply;
  throw new ReplyError(
    `RDP now's background answered "${message.type}" with a reply this page cannot read (${parsed.problem}): reload the extension.`,
  );
}

/** Progress lines the background broadcasts while it starts a VM or waits for JIT access. */
export function onProgress(listener: (progress: ProgressMessage) => void): () => void {
  const handler = (message: unknown) => {
    const m = message as Partial<ProgressMessage> | null;
    if (m?.type === 'bg:progress' && typeof m.vmId === 'string' && typeof m.text === 'string') {
      listener(m as ProgressMessage);
    }
  };
  const { onMessage } = pageBrowser().runtime;
  onMessage.addListener(handler);
  return () => onMessage.removeListener(handler);
}
