/**
 * The extension's background. Its features (sign-in, checks, launch) arrive with the extension issue; for now
 * it answers one question the popup and tests ask: is the companion host installed, and what can it launch?
 */
import { HOST_NAME } from '../../shared/protocol';

declare const chrome: {
  runtime: {
    sendNativeMessage(host: string, message: object): Promise<unknown>;
  };
};

export async function hostHello(): Promise<unknown> {
  return chrome.runtime.sendNativeMessage(HOST_NAME, { v: 1, id: crypto.randomUUID(), type: 'hello' });
}

Object.assign(globalThis, { hostHello });
