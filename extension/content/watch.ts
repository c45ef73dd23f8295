/**
 * Following the portal's single-page navigation at no measurable cost: `hashchange` and `popstate`, plus a
 * light poll (one string comparison, skipped while the tab is hidden) for `history.pushState`, which fires no
 * event. Every URL check goes through one throttle: at most one per `throttleMs`.
 */

export interface Throttled {
  (): void;
  cancel(): void;
}

/**
 * Calls `fn` at most once per `wait` ms: at once when it has not run for `wait` ms, else once at the end of the
 * window (so the last call is never lost), however many calls arrive in between.
 */
export function throttle(fn: () => void, wait: number): Throttled {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const throttled = () => {
    if (timer !== undefined) return;
    const due = last + wait - Date.now();
    if (due <= 0) run();
    else timer = setTimeout(run, due);
  };
  throttled.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}

export interface WatchOptions {
  /** Called with each new URL (and the first one at once). */
  onUrl(url: string): void;
  /** Called on every poll of a visible tab, after the URL check: cheap upkeep such as re-placing the button. */
  onPoll?(): void;
  throttleMs?: number;
  pollMs?: number;
}

/** Starts watching `win`'s URL; returns the function that stops it. */
export function watchUrl(win: Window, options: WatchOptions): () => void {
  const { onUrl, onPoll, throttleMs = 250, pollMs = 500 } = options;
  let last: string | null = null;
  const check = throttle(() => {
    const url = win.location.href;
    if (url === last) return;
    last = url;
    onUrl(url);
  }, throttleMs);
  const poll = win.setInterval(() => {
    if (win.document.hidden) return;
    check();
    onPoll?.();
  }, pollMs);
  win.addEventListener('hashchange', check);
  win.addEventListener('popstate', check);
  check();
  return () => {
    check.cancel();
    win.clearInterval(poll);
    win.removeEventListener('hashchange', check);
    win.removeEventListener('popstate', check);
  };
}
