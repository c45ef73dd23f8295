/**
 * The button and the report panel, each in a closed shadow root on a host element of ours: the page can neither
 * reach inside nor press anything (handlers take trusted events only), and the report with its fixes lives in
 * an extension-origin iframe, cross-origin to the page.
 */
import type { Theme } from './place';
import { watchRest } from './rest';

/** Wraps a handler so events the page made up (`el.click()`, `dispatchEvent`) are ignored. */
export function trusted<E extends Event>(handler: (event: E) => void): (event: E) => void {
  return (event) => {
    if (event.isTrusted === true) handler(event);
  };
}

const TOP = 2147483000;

/** Colours for the portal's light and dark themes: the page's own theme (data-theme) wins over the system's. */
function themed(light: string, dark: string): string {
  return `:host{${light}}@media (prefers-color-scheme:dark){:host(:not([data-theme=light])){${dark}}}:host([data-theme=dark]){${dark}}`;
}

const BUTTON_CSS = `${themed(
  '--bg:#0f6cbd;--fg:#fff;--hover:#115ea3;--ring:#1b1b1f',
  '--bg:#479ef5;--fg:#0a0a0a;--hover:#62abf5;--ring:#fff',
)}
:host{all:initial;display:inline-flex;vertical-align:middle;margin:0 6px}
:host([data-floating]){position:fixed;right:24px;bottom:24px;z-index:${TOP};margin:0}
button{all:unset;box-sizing:border-box;display:inline-flex;align-items:center;gap:6px;min-height:28px;padding:4px 12px;border-radius:4px;background:var(--bg);color:var(--fg);font:600 13px/1.2 "Segoe UI",system-ui,sans-serif;white-space:nowrap;cursor:pointer}
:host([data-floating]) button{min-height:36px;padding:8px 16px;font-size:14px;box-shadow:0 2px 8px rgba(0,0,0,.35)}
button:hover{background:var(--hover)}
button:focus-visible{outline:2px solid var(--ring);outline-offset:2px}
svg{width:16px;height:16px;fill:none;stroke:currentColor;stroke-width:1.5}
@media (forced-colors:active){button{border:1px solid ButtonText}}`;

const PANEL_CSS = `${themed(
  '--bg:#fff;--fg:#1b1b1f;--line:#d4d6db;--ring:#1a73e8;--hover:rgba(0,0,0,.08)',
  '--bg:#1e1f22;--fg:#e8e9ec;--line:#3d4047;--ring:#8ab4f8;--hover:rgba(255,255,255,.12)',
)}
:host{all:initial;position:fixed;top:0;right:0;bottom:0;width:min(420px,100vw);z-index:${TOP + 1}}
div{box-sizing:border-box;height:100%;display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border-left:1px solid var(--line);box-shadow:-4px 0 16px rgba(0,0,0,.3);font:14px/1.4 "Segoe UI",system-ui,sans-serif}
header{display:flex;align-items:center;gap:8px;padding:6px 6px 6px 16px;border-bottom:1px solid var(--line)}
h2{flex:1;margin:0;font-size:14px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button{all:unset;display:inline-flex;align-items:center;justify-content:center;width:32px;height:32px;border-radius:4px;font-size:22px;line-height:1;color:inherit;cursor:pointer}
button:hover{background:var(--hover)}
button:focus-visible{outline:2px solid var(--ring);outline-offset:-2px}
iframe{flex:1;width:100%;border:0;background:var(--bg)}`;

function shadow(doc: Document, tag: string, css: string): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement(tag);
  const root = host.attachShadow({ mode: 'closed' });
  const style = doc.createElement('style');
  style.textContent = css;
  root.append(style);
  return { host, root };
}

function setTheme(host: HTMLElement, theme: Theme | null): void {
  if (theme) host.setAttribute('data-theme', theme);
  else host.removeAttribute('data-theme');
}

/** A monitor: the Remote Desktop glyph, drawn without any image request. */
function icon(doc: Document): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = doc.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const path = doc.createElementNS(ns, 'path');
  path.setAttribute('d', 'M1.75 2.75h12.5v8.5H1.75zM5 14.25h6M8 11.25v3');
  svg.append(path);
  return svg;
}

export interface ButtonView {
  readonly host: HTMLElement;
  /** The VM the button is for (its name in the accessible label). */
  setVm(name: string): void;
  setExpanded(expanded: boolean): void;
  setTheme(theme: Theme | null): void;
  /** Puts the button right after `anchor`, or floating at the bottom right of the window when null. */
  place(anchor: Element | null): void;
  focus(): void;
  remove(): void;
}

export function createButton(doc: Document, onPress: () => void): ButtonView {
  const { host, root } = shadow(doc, 'rdp-now-button', BUTTON_CSS);
  const button = doc.createElement('button');
  button.type = 'button';
  button.append(icon(doc), doc.createTextNode('RDP now'));
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', trusted(onPress));
  root.append(button);
  return {
    host,
    setVm(name) {
      button.setAttribute('aria-label', `RDP now: check and connect to ${name}`);
      button.title = `Check that Remote Desktop to ${name} can work, then connect`;
    },
    setExpanded(expanded) {
      button.setAttribute('aria-expanded', String(expanded));
    },
    setTheme(theme) {
      setTheme(host, theme);
    },
    place(anchor) {
      if (anchor?.parentNode) {
        host.removeAttribute('data-floating');
        if (anchor.nextSibling !== host) anchor.after(host);
      } else {
        host.setAttribute('data-floating', '');
        const parent = doc.body ?? doc.documentElement;
        if (host.parentNode !== parent) parent.append(host);
      }
    },
    focus() {
      button.focus();
    },
    remove() {
      host.remove();
    },
  };
}

export interface PanelView {
  readonly host: HTMLElement;
  readonly vmId: string;
  setTheme(theme: Theme | null): void;
  /** Moves the keyboard focus into the report. */
  focus(): void;
  /** Whether the keyboard focus is inside the panel. */
  hasFocus(): boolean;
  /** Hands the frame its grant (null: none came), over the port it received on its first load. */
  hand(grant: string | null): void;
  remove(): void;
}

/** What goes over the port to the report frame (read by report/main.tsx). */
export type FrameNotice = { type: 'grant'; grant: string | null } | { type: 'moved' };

/** The report of one VM, in place: a fixed panel on the right holding the extension's report page. */
export function createPanel(
  doc: Document,
  vm: { id: string; name: string },
  src: string,
  onClose: () => void,
  onGone: () => void,
): PanelView {
  const { host, root } = shadow(doc, 'rdp-now-panel', PANEL_CSS);
  const box = doc.createElement('div');
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', `RDP now: ${vm.name}`);
  const header = doc.createElement('header');
  const title = doc.createElement('h2');
  title.textContent = `RDP now · ${vm.name}`;
  const close = doc.createElement('button');
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Close RDP now');
  close.title = 'Close (Esc)';
  close.addEventListener('click', trusted(onClose));
  header.append(title, close);
  const frame = doc.createElement('iframe');
  frame.title = `RDP now report for ${vm.name}`;
  frame.src = src;
  box.append(header, frame);
  root.append(box);
  // Escape while the focus is in the panel's own controls; inside the report, the report page asks to close.
  root.addEventListener(
    'keydown',
    trusted((event: Event) => {
      if ((event as KeyboardEvent).key === 'Escape') onClose();
    }),
  );
  const hasFocus = () => doc.activeElement === host;
  // The grant goes over a port transferred to the frame by a message only the extension's origin can receive
  // (in the URL, the page could read it from its resource timing entries), on the frame's first load only: a
  // second load means the page took our host out and put it back, and that frame is not the one the user opened.
  const channel = new MessageChannel();
  const notify = (notice: FrameNotice) => channel.port1.postMessage(notice);
  let loads = 0;
  frame.addEventListener('load', () => {
    if (++loads > 1) return onGone();
    frame.contentWindow?.postMessage(
      { type: 'rdp-now-port' },
      src.slice(0, src.indexOf('/', src.indexOf('//') + 2)),
      [channel.port2],
    );
    if (hasFocus()) frame.focus();
  });
  const unwatch = watchRest(frame, () => notify({ type: 'moved' }), onGone);
  return {
    host,
    vmId: vm.id,
    setTheme(theme) {
      setTheme(host, theme);
    },
    focus() {
      frame.focus();
    },
    hasFocus,
    hand(grant) {
      notify({ type: 'grant', grant });
    },
    remove() {
      unwatch();
      channel.port1.close();
      // Emptied too: a page that kept the host and appends it again gets an empty box, not a second report.
      frame.remove();
      host.remove();
    },
  };
}
