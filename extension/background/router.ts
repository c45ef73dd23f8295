/**
 * The one door into the background: who may send what. Content scripts (top frame of a portal page) may only
 * send `cs:` messages, the extension's own pages only `ui:`, the offscreen document only its auth request.
 * Anything else — another extension, a web page, a message of no known type — is dropped without an answer. A
 * known request of a trusted sender that breaks its schema (e.g. a tenant `../x`) is refused with the field and
 * its rule, and never reaches a handler: nothing is checked, signed in or stored for it.
 */
import * as v from 'valibot';
import { isPortalHost } from '../../shared/resource-id';
import { type AnyRequest, parseRequest, requestProblem } from '../messages';

export interface SenderInfo {
  id?: string | undefined;
  url?: string | undefined;
  origin?: string | undefined;
  frameId?: number | undefined;
  tab?: unknown;
}

export type SenderKind = 'content' | 'page' | 'offscreen';

/** Classifies a sender by what the browser says about it (never by anything in the message). */
export function senderKind(
  sender: SenderInfo,
  extensionId: string,
  extensionBase: string,
): SenderKind | null {
  if (sender.id !== extensionId || !sender.url) return null;
  if (sender.url.startsWith(extensionBase)) {
    return sender.url.startsWith(`${extensionBase}offscreen/`) ? 'offscreen' : 'page';
  }
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  const portal = url.protocol === 'https:' && url.port === '' && isPortalHost(url.hostname);
  return sender.tab && sender.frameId === 0 && portal ? 'content' : null;
}

export const AuthFlowMessage = v.object({
  type: v.literal('auth:web-flow'),
  url: v.pipe(v.string(), v.url(), v.maxLength(16_384)),
  interactive: v.boolean(),
});

/** The answer to a refused request: the shape of every `result` reply of messages.ts. */
export interface Refusal {
  ok: false;
  error: { code: 'E_BAD_MESSAGE'; message: string };
}

export type Routed =
  | { kind: 'content' | 'page'; message: AnyRequest }
  | { kind: 'offscreen'; message: v.InferOutput<typeof AuthFlowMessage> }
  | { kind: 'refused'; reply: Refusal };

/** The message, validated for its sender; its refusal; or null to ignore it. */
export function route(message: unknown, kind: SenderKind | null): Routed | null {
  if (kind === 'content' || kind === 'page') {
    const prefix = kind === 'content' ? 'cs:' : 'ui:';
    const parsed = parseRequest(message, prefix);
    if (parsed) return { kind, message: parsed };
    const problem = requestProblem(message, prefix);
    return problem === null
      ? null
      : {
          kind: 'refused',
          reply: { ok: false, error: { code: 'E_BAD_MESSAGE', message: `Refused: ${problem}.` } },
        };
  }
  if (kind === 'offscreen') {
    const parsed = v.safeParse(AuthFlowMessage, message);
    return parsed.success ? { kind, message: parsed.output } : null;
  }
  return null;
}
