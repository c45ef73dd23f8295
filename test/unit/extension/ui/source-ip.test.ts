// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allowIpLookup } from '../../../../extension/ui/source-ip';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** The extension API as a page of each kind sees it: Firefox's report frame has no `permissions`. */
function stubBrowser(permissions: { request(p: unknown): Promise<boolean> } | undefined) {
  const stored: Record<string, unknown>[] = [];
  vi.stubGlobal('browser', {
    runtime: { id: 'rdp-now@test', getURL: (path: string) => `moz-extension://uuid/${path}` },
    storage: {
      local: {
        get: async () => ({ settings: {} }),
        set: async (items: Record<string, unknown>) => void stored.push(items),
      },
    },
    ...(permissions && { permissions }),
  });
  return stored;
}

describe('allowIpLookup', () => {
  it('asks for the permission in the press, and turns the lookup on when it is given', async () => {
    const request = vi.fn(async () => true);
    const stored = stubBrowser({ request });
    expect(await allowIpLookup()).toBeNull();
    expect(request).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(stored)).toContain('"ipLookup":true');
  });

  it('where the page cannot ask (Firefox report frame), opens the options and says what to do there', async () => {
    const stored = stubBrowser(undefined);
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const sentence = await allowIpLookup();
    expect(sentence).toMatch(/^Turn on "Look up my public IP address" in the options page that opened/);
    expect(open).toHaveBeenCalledWith('moz-extension://uuid/options/index.html', '_blank', 'noopener');
    expect(stored).toEqual([]);
  });
});
