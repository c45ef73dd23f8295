// @vitest-environment happy-dom
import nodeConsole from 'node:console';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { reportUrl, startContent, vmForPage } from '../../../../extension/content/content';
import type { ContentRuntime } from '../../../../extension/content/runtime';
import type { VmRef } from '../../../../extension/messages';
import { userClick, userEvent } from '../../../support/dom';

const SUB = '6b1b3f2e-8c2a-4e5f-9d3c-1a2b3c4d5e6f';
const vmRef = (name: string): VmRef => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/${name}`,
  name,
  resourceGroup: 'rg',
  subscriptionId: SUB,
});
const VM1 = vmRef('vm1');
const VM2 = vmRef('vm2');
const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';

/** A fake background: answers `cs:page` by the URL's fragment (`#vm1`, `#vm2`, anything else: no VM). */
function fakeRuntime() {
  const listeners = new Set<(message: unknown) => void>();
  const answer = (url: string) => {
    const name = new URL(url).hash.slice(1);
    if (name === 'vm1') return { vm: VM1, tenant: 'contoso.onmicrosoft.com' };
    if (name === 'vm2') return { vm: VM2 };
    return { vm: null };
  };
  const runtime = {
    id: 'abcdefghijklmnopabcdefghijklmnop' as string | undefined,
    sendMessage: vi.fn(
      async (message: unknown): Promise<unknown> => answer((message as { url: string }).url),
    ),
    getURL: (path: string) => `${EXT}${path}`,
    onMessage: {
      addListener: (l: (message: unknown) => void) => void listeners.add(l),
      removeListener: (l: (message: unknown) => void) => void listeners.delete(l),
    },
    /** The background sending this tab a message. */
    post(message: unknown) {
      for (const l of listeners) l(message);
    },
    listeners,
  } satisfies ContentRuntime & Record<string, unknown>;
  return runtime;
}

let shadowRoots: MockInstance<Element['attachShadow']>;
let stop: (() => void) | undefined;

beforeEach(() => {
  // happy-dom does not load frames, and says so on Node's console for each report iframe.
  vi.spyOn(nodeConsole, 'error').mockImplementation(() => {});
  vi.useFakeTimers();
  history.replaceState(null, '', '/');
  document.body.innerHTML = '';
  shadowRoots = vi.spyOn(Element.prototype, 'attachShadow');
});
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** The closed shadow root of one of our hosts (the test kept the value attachShadow returned). */
function shadowOf(host: Element | null): ShadowRoot {
  const i = shadowRoots.mock.contexts.indexOf(host as Element);
  const root = shadowRoots.mock.results[i]?.value as ShadowRoot | undefined;
  if (!root) throw new Error('no shadow root for that host');
  return root;
}
const buttonHost = () => document.querySelector('rdp-now-button');
const panelHost = () => document.querySelector('rdp-now-panel');
const theButton = () => shadowOf(buttonHost()).querySelector('button') as HTMLButtonElement;

/** Holds the background's next answer until the returned function gives it. */
function holdNextAnswer(runtime: ReturnType<typeof fakeRuntime>): (answer: unknown) => void {
  let release: (answer: unknown) => void = () => {};
  runtime.sendMessage.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
  return (answer) => release(answer);
}

async function navigate(fragment: string): Promise<void> {
  history.pushState(null, '', `/#${fragment}`);
  window.dispatchEvent(new Event('hashchange'));
  await vi.advanceTimersByTimeAsync(300);
}

async function start(runtime = fakeRuntime(), fragment = 'vm1') {
  history.replaceState(null, '', `/#${fragment}`);
  stop = startContent(window, runtime, { placeForMs: 2000 });
  await vi.advanceTimersByTimeAsync(0);
  return runtime;
}

describe('the pure parts', () => {
  it('vmForPage takes the background answer, with the cloud of the portal host', () => {
    expect(vmForPage({ vm: VM1, tenant: 't.example.com', cloud: 'AzureCloud' })).toEqual({
      vm: VM1,
      tenant: 't.example.com',
      cloud: 'AzureCloud',
    });
    expect(vmForPage({ vm: VM1, cloud: 'AzureUSGovernment' })?.cloud).toBe('AzureUSGovernment');
    expect(vmForPage({ vm: VM1, cloud: 'Mars' })?.cloud).toBeUndefined();
    expect(vmForPage({ vm: null })).toBeNull();
  });

  it('reportUrl encodes the id and adds the tenant, cloud and theme when known', () => {
    const page = `${EXT}report/index.html`;
    expect(reportUrl(page, { vmId: VM1.id })).toBe(`${page}?vm=${encodeURIComponent(VM1.id)}`);
    const url = new URL(
      reportUrl(page, {
        vmId: VM1.id,
        tenant: 'contoso.onmicrosoft.com',
        cloud: 'AzureCloud',
        theme: 'dark',
      }),
    );
    expect(url.searchParams.get('vm')).toBe(VM1.id);
    expect(url.searchParams.get('tenant')).toBe('contoso.onmicrosoft.com');
    expect(url.searchParams.get('cloud')).toBe('AzureCloud');
    expect(url.searchParams.get('theme')).toBe('dark');
  });
});

describe('the button', () => {
  it('asks the background about the URL on load and shows the button for its VM', async () => {
    const runtime = await start();
    expect(runtime.sendMessage).toHaveBeenCalledWith({ type: 'cs:page', url: location.href });
    const button = theButton();
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('aria-label')).toBe('RDP now: check and connect to vm1');
    expect(button.textContent).toContain('RDP now');
    expect(shadowRoots.mock.calls[0]?.[0]).toEqual({ mode: 'closed' });
  });

  it('shows nothing on a page that is not a VM', async () => {
    const runtime = await start(fakeRuntime(), 'home');
    expect(runtime.sendMessage).toHaveBeenCalledTimes(1);
    expect(buttonHost()).toBeNull();
  });

  it('follows single-page navigation: another VM moves the button, a non-VM page removes it', async () => {
    const runtime = await start();
    await navigate('vm2');
    expect(theButton().getAttribute('aria-label')).toBe('RDP now: check and connect to vm2');
    expect(document.querySelectorAll('rdp-now-button')).toHaveLength(1);
    await navigate('resourcegroups');
    expect(buttonHost()).toBeNull();
    await navigate('vm1');
    expect(buttonHost()).not.toBeNull();
    expect(runtime.sendMessage).toHaveBeenCalledTimes(4);
  });

  it('finds pushState navigation, which fires no event, by polling', async () => {
    await start();
    history.pushState(null, '', '/#home');
    await vi.advanceTimersByTimeAsync(600);
    expect(buttonHost()).toBeNull();
  });

  it('ignores an answer that arrives after a newer navigation', async () => {
    const runtime = fakeRuntime();
    const release = holdNextAnswer(runtime);
    await start(runtime, 'vm1');
    await navigate('home'); // answered at once: no VM
    release({ vm: VM1 }); // the late answer for the first URL
    await vi.advanceTimersByTimeAsync(0);
    expect(buttonHost()).toBeNull();
  });

  it('removes the button when the background cannot be reached', async () => {
    const runtime = await start();
    runtime.sendMessage.mockRejectedValueOnce(new Error('Could not establish connection.'));
    await navigate('vm2');
    expect(buttonHost()).toBeNull();
  });

  it('tears itself down once the extension is gone (reloaded or removed)', async () => {
    const runtime = await start();
    runtime.id = undefined;
    await navigate('vm2');
    expect(buttonHost()).toBeNull();
    expect(runtime.listeners.size).toBe(0);
  });

  it('sits right after the portal’s Connect control when there is one', async () => {
    document.body.innerHTML =
      '<div role="toolbar"><button>Start</button><button id="c">Connect</button></div>';
    await start();
    const host = buttonHost();
    expect(host?.previousElementSibling?.id).toBe('c');
    expect(host?.hasAttribute('data-floating')).toBe(false);
  });

  it('floats at the bottom right otherwise, and moves next to Connect when it renders late', async () => {
    await start();
    expect(buttonHost()?.hasAttribute('data-floating')).toBe(true);
    expect(buttonHost()?.parentElement).toBe(document.body);
    const bar = document.createElement('div');
    bar.innerHTML = '<div role="button" aria-label="Connect" id="c"></div>';
    document.body.append(bar);
    await vi.advanceTimersByTimeAsync(600);
    expect(buttonHost()?.previousElementSibling?.id).toBe('c');
    expect(buttonHost()?.hasAttribute('data-floating')).toBe(false);
  });

  it('comes back when the portal re-renders its command bar and drops it', async () => {
    document.body.innerHTML = '<div id="bar"><button>Connect</button></div>';
    await start();
    const bar = document.getElementById('bar') as HTMLElement;
    bar.innerHTML = '<button id="again">Connect</button>';
    expect(buttonHost()).toBeNull();
    await vi.advanceTimersByTimeAsync(600);
    expect(buttonHost()?.previousElementSibling?.id).toBe('again');
  });

  it('takes the portal’s dark theme from its classes', async () => {
    document.body.className = 'fxs-mode-dark';
    await start();
    expect(buttonHost()?.getAttribute('data-theme')).toBe('dark');
    document.body.className = '';
  });
});

describe('the report panel', () => {
  it('ignores clicks the page makes up (untrusted events)', async () => {
    await start();
    theButton().click();
    theButton().dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(panelHost()).toBeNull();
  });

  it('opens on a real click: the extension’s report page in an iframe, in a closed shadow root', async () => {
    await start();
    theButton().dispatchEvent(userClick());
    const panel = panelHost();
    expect(panel).not.toBeNull();
    const frame = shadowOf(panel).querySelector('iframe') as HTMLIFrameElement;
    const src = new URL(frame.getAttribute('src') ?? '');
    expect(src.href.split('?')[0]).toBe(`${EXT}report/index.html`);
    expect(src.searchParams.get('vm')).toBe(VM1.id);
    expect(src.searchParams.get('tenant')).toBe('contoso.onmicrosoft.com');
    expect(frame.title).toBe('RDP now report for vm1');
    expect(theButton().getAttribute('aria-expanded')).toBe('true');
    expect(shadowOf(panel).querySelector('[role="dialog"]')?.getAttribute('aria-label')).toBe('RDP now: vm1');
  });

  it('leaves the tenant out when the page has none', async () => {
    await start(fakeRuntime(), 'vm2');
    theButton().dispatchEvent(userClick());
    const src = shadowOf(panelHost()).querySelector('iframe')?.getAttribute('src') ?? '';
    expect(new URL(src).searchParams.has('tenant')).toBe(false);
  });

  it('closes with its close button (trusted clicks only), a second click on the button, or Escape', async () => {
    await start();
    theButton().dispatchEvent(userClick());
    const close = shadowOf(panelHost()).querySelector('button') as HTMLButtonElement;
    expect(close.getAttribute('aria-label')).toBe('Close RDP now');
    close.click();
    expect(panelHost()).not.toBeNull();
    close.dispatchEvent(userClick());
    expect(panelHost()).toBeNull();
    expect(theButton().getAttribute('aria-expanded')).toBe('false');

    theButton().dispatchEvent(userClick());
    theButton().dispatchEvent(userClick());
    expect(panelHost()).toBeNull();

    theButton().dispatchEvent(userClick());
    const box = shadowOf(panelHost()).querySelector('[role="dialog"]') as HTMLElement;
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(panelHost()).not.toBeNull(); // made up by the page
    box.dispatchEvent(userEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    expect(panelHost()).toBeNull();
  });

  it('opens on the keyboard shortcut (bg:open-report) and closes on bg:close-report', async () => {
    const runtime = await start();
    runtime.post({ type: 'bg:open-report' });
    expect(panelHost()).not.toBeNull();
    runtime.post({ type: 'bg:open-report' }); // again: still one panel
    expect(document.querySelectorAll('rdp-now-panel')).toHaveLength(1);
    runtime.post({ type: 'bg:close-report' });
    expect(panelHost()).toBeNull();
  });

  it('opens for the shortcut that arrives before the background answered for the page', async () => {
    const runtime = fakeRuntime();
    const release = holdNextAnswer(runtime);
    await start(runtime, 'vm1');
    runtime.post({ type: 'bg:open-report' });
    expect(panelHost()).toBeNull();
    release({ vm: VM1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(panelHost()).not.toBeNull();
  });

  it('does nothing on the shortcut on a page that is not a VM', async () => {
    const runtime = await start(fakeRuntime(), 'home');
    runtime.post({ type: 'bg:open-report' });
    expect(panelHost()).toBeNull();
  });

  it('closes when the user navigates to another VM, and stays open within the same one', async () => {
    await start();
    theButton().dispatchEvent(userClick());
    history.pushState(null, '', '/#vm1?blade=networking');
    window.dispatchEvent(new Event('hashchange'));
    await vi.advanceTimersByTimeAsync(300);
    expect(panelHost()).not.toBeNull();
    await navigate('vm2');
    expect(panelHost()).toBeNull();
  });

  it('stays open on a page that is not a VM, and when the user comes back to its VM', async () => {
    await start();
    theButton().dispatchEvent(userClick());
    await navigate('home');
    expect(buttonHost()).toBeNull();
    expect(panelHost()).not.toBeNull();
    await navigate('vm1');
    expect(panelHost()).not.toBeNull();
    expect(theButton().getAttribute('aria-expanded')).toBe('true');
  });

  it('is removed with everything else when the script stops', async () => {
    await start();
    theButton().dispatchEvent(userClick());
    stop?.();
    stop = undefined;
    expect(panelHost()).toBeNull();
    expect(buttonHost()).toBeNull();
  });
});
