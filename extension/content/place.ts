/**
 * Where the button goes and how it looks: next to the portal's own "Connect" control when one is found with a
 * few selectors (no layout reads), and the portal's light or dark theme from its root classes.
 */

/** The kinds of element the portal draws its command-bar controls with. */
const CONTROLS = 'button,[role="button"],[role="menuitem"]';
/** Upper bound on the controls read (the last ones: the newest blade's command bar is near the end). */
const MAX_SCAN = 600;

/** An element hidden or disabled by the markup itself (no layout is read: that would cost the portal a reflow). */
function unavailable(el: Element): boolean {
  return (
    el.closest('[hidden],[aria-hidden="true"],[inert]') !== null ||
    el.getAttribute('aria-disabled') === 'true'
  );
}

/** "Connect", ignoring case, spacing and icon glyphs (a chevron, an emoji) around it. */
export function isConnectText(text: string | null): boolean {
  return (
    (text ?? '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .toLowerCase() === 'connect'
  );
}

/** Named "Connect": by its aria-label (else its text), or by its tooltip. */
function namedConnect(el: Element): boolean {
  const label = el.getAttribute('aria-label');
  return isConnectText(label ?? el.textContent) || isConnectText(el.getAttribute('title'));
}

/**
 * The portal's "Connect" control: a button-like element named "Connect". The last one in document order wins,
 * as the portal appends the blade the user opened last. Null when there is none.
 */
export function findConnectControl(root: ParentNode): Element | null {
  const controls = root.querySelectorAll(CONTROLS);
  for (let i = controls.length - 1; i >= Math.max(0, controls.length - MAX_SCAN); i--) {
    const el = controls[i];
    if (el && namedConnect(el) && !unavailable(el)) return el;
  }
  return null;
}

export type Theme = 'dark' | 'light';

const DARK = /(?:^|[\s_-])dark(?:$|[\s_-])/i;
const LIGHT = /(?:^|[\s_-])light(?:$|[\s_-])/i;

/**
 * The portal's own theme from the classes of `<html>` and `<body>` (e.g. `fxs-mode-dark`, `theme-light`), which
 * may differ from the system's; null when the page does not say, and `prefers-color-scheme` decides.
 */
export function pageTheme(doc: Document): Theme | null {
  const classes = `${doc.documentElement.className} ${doc.body?.className ?? ''}`;
  if (DARK.test(classes)) return 'dark';
  if (LIGHT.test(classes)) return 'light';
  return null;
}
