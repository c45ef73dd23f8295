import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));
vi.stubGlobal('__BROWSER__', 'chrome');
const { webAuthFlowDetails } = await import('../../../../extension/auth/token-broker');

describe('the details handed to identity.launchWebAuthFlow', () => {
  const url = 'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x';

  it('Firefox gets only the properties it knows (it refuses the call on any other)', () => {
    expect(webAuthFlowDetails(url, false, 'firefox')).toStrictEqual({ url, interactive: false });
    expect(webAuthFlowDetails(url, true, 'firefox')).toStrictEqual({ url, interactive: true });
  });

  it('Chromium lets a silent flow follow redirects for up to 10 s', () => {
    expect(webAuthFlowDetails(url, false, 'chrome')).toStrictEqual({
      url,
      interactive: false,
      abortOnLoadForNonInteractive: false,
      timeoutMsForNonInteractive: 10_000,
    });
  });
});
