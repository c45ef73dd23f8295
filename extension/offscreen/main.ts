/**
 * Chromium's offscreen document: MSAL's home. It answers only the background (never a page or content script),
 * and asks the background to run the auth window, which offscreen documents cannot open.
 */
import * as v from 'valibot';
import { MsalSession } from '../auth/msal-session';

const Target = v.object({
  clientId: v.string(),
  authority: v.pipe(v.string(), v.url()),
  redirectUri: v.pipe(v.string(), v.url()),
  scope: v.string(),
});
const Request = v.variant('type', [
  v.object({ type: v.literal('auth:token'), target: Target, interactive: v.boolean() }),
  v.object({ type: v.literal('auth:sign-out') }),
]);

const session = new MsalSession(async (url, interactive) => {
  const reply = (await chrome.runtime.sendMessage({ type: 'auth:web-flow', url, interactive })) as
    | { ok: true; url: string }
    | { ok: false; error: string };
  if (!reply?.ok) throw new Error(reply?.error ?? 'The auth window failed.');
  return reply.url;
});

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
  // Only the service worker: no tab, our own extension, the worker's own script.
  if (sender.id !== chrome.runtime.id || sender.tab || sender.url !== chrome.runtime.getURL('background.js'))
    return;
  const parsed = v.safeParse(Request, message);
  if (!parsed.success) return;
  const request = parsed.output;
  if (request.type === 'auth:sign-out') {
    session.signOut().then(() => sendResponse({ ok: true }));
    return true;
  }
  session.token(request.target, request.interactive).then(
    (token) => sendResponse({ ok: true, token }),
    (error: unknown) =>
      sendResponse({
        ok: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
  );
  return true;
});
