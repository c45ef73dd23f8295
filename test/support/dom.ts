/** Events for DOM tests (happy-dom). */

/** A real user's click: happy-dom, like a page script, can only make untrusted ones. */
export function userEvent<E extends Event>(event: E): E {
  Object.defineProperty(event, 'isTrusted', { value: true });
  return event;
}
export const userClick = () => userEvent(new MouseEvent('click', { bubbles: true, composed: true }));
