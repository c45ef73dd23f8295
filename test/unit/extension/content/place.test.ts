// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { findConnectControl, isConnectText, pageTheme } from '../../../../extension/content/place';

afterEach(() => {
  document.body.innerHTML = '';
  document.body.className = '';
  document.documentElement.className = '';
});

function dom(html: string): HTMLElement {
  document.body.innerHTML = html;
  return document.body;
}

describe('isConnectText', () => {
  it.each([
    ['Connect', true],
    ['  connect\n ', true],
    ['Connect ▾', true],
    ['CONNECT', true],
    ['Connected', false],
    ['Disconnect', false],
    ['Connect via Bastion', false],
    ['', false],
    [null, false],
  ])('%j → %s', (text, expected) => {
    expect(isConnectText(text)).toBe(expected);
  });
});

describe('findConnectControl', () => {
  it('finds a button by its aria-label', () => {
    const root = dom(`
      <div role="toolbar">
        <div role="button" aria-label="Start">Start</div>
        <div role="button" aria-label="Connect" id="c"><span class="icon"></span></div>
      </div>`);
    expect(findConnectControl(root)?.id).toBe('c');
  });

  it('finds one by its title, in any case', () => {
    const root = dom('<button title="connect" id="c"></button><button title="Stop"></button>');
    expect(findConnectControl(root)?.id).toBe('c');
  });

  it('finds a command-bar item by its text when it has no name', () => {
    const root = dom(`
      <ul role="menubar">
        <li><div role="menuitem">Start</div></li>
        <li><div role="menuitem" id="c"><svg></svg><span>Connect</span><span>⌄</span></div></li>
        <li><div role="menuitem">Restart</div></li>
      </ul>`);
    expect(findConnectControl(root)?.id).toBe('c');
  });

  it('prefers the newest blade: the last match in document order', () => {
    const root = dom(`
      <section><button aria-label="Connect" id="old">Connect</button></section>
      <section><button aria-label="Connect" id="new">Connect</button></section>`);
    expect(findConnectControl(root)?.id).toBe('new');
  });

  it('skips controls hidden or disabled by the markup', () => {
    const root = dom(`
      <button aria-label="Connect" id="shown">Connect</button>
      <div hidden><button aria-label="Connect">Connect</button></div>
      <div aria-hidden="true"><button aria-label="Connect">Connect</button></div>
      <button aria-label="Connect" aria-disabled="true">Connect</button>`);
    expect(findConnectControl(root)?.id).toBe('shown');
  });

  it('ignores links, menu tree items and look-alike names', () => {
    const root = dom(`
      <a href="#connect">Connect</a>
      <div role="treeitem">Connect</div>
      <button>Disconnect</button>
      <button aria-label="Connect to Bastion">Connect to Bastion</button>`);
    expect(findConnectControl(root)).toBeNull();
  });

  it('returns null on a page without a Connect control', () => {
    expect(findConnectControl(dom('<button>Start</button><div role="button">Stop</div>'))).toBeNull();
  });
});

describe('pageTheme', () => {
  it.each([
    ['', '', null],
    ['fxs-portal fxs-mode-dark', '', 'dark'],
    ['', 'fxs-theme-dark something', 'dark'],
    ['theme_light', '', 'light'],
    ['', 'fxs-mode-light', 'light'],
    ['', 'darkness highlight', null], // words that merely contain "dark" or "light"
  ] as const)('html "%s", body "%s" → %s', (html, body, expected) => {
    document.documentElement.className = html;
    document.body.className = body;
    expect(pageTheme(document)).toBe(expected);
  });
});
