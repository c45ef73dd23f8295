/**
 * Clickjacking guard: a portal page cannot script this frame, but it could cover it, fade it or move it so a
 * user presses "Start VM" without seeing it. The report acts on a press only once its frame has sat still for a
 * moment — the content script that created it says when the panel moved (content/rest.ts) — and, where the
 * browser can tell (IntersectionObserver v2, Chromium), has been fully visible — unoccluded, opaque,
 * untransformed — for as long. Firefox cannot tell visibility: there the guard is the grant, the rest and a
 * trusted press, as the README's "What guards a press" says.
 */
import type { Advice } from '../messages';

const MIN_STILL_MS = 300;

const HIDDEN: Advice = {
  code: 'E_HIDDEN',
  message:
    'The RDP now panel is covered or hidden: make sure it is fully visible, then press the button again.',
};

const MOVED: Advice = {
  code: 'E_MOVED',
  message: 'The RDP now panel has just moved: check what you are pressing, then press the button again.',
};

export interface PressGuard {
  /** The panel moved (or just appeared): presses wait until it has rested again. */
  moved(): void;
  /** Why a press now must not act, or null when it may. */
  refusal(): Advice | null;
}

type VisibilityEntry = IntersectionObserverEntry & { isVisible?: boolean };

export function guardPresses(element: Element): PressGuard {
  let movedAt = performance.now();
  let supported = false;
  let visibleSince: number | null = null;
  if (typeof IntersectionObserver !== 'undefined') {
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries as VisibilityEntry[]) {
          if (entry.isVisible === undefined) continue;
          supported = true;
          visibleSince = entry.isVisible ? (visibleSince ?? performance.now()) : null;
        }
      },
      // trackVisibility and delay are IntersectionObserver v2 (not yet in TypeScript's DOM types).
      { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    observer.observe(element);
  }
  return {
    moved() {
      movedAt = performance.now();
    },
    refusal() {
      const now = performance.now();
      if (supported && (visibleSince === null || now - visibleSince < MIN_STILL_MS)) return HIDDEN;
      return now - movedAt < MIN_STILL_MS ? MOVED : null;
    },
  };
}

/** The report's help text: what guards a press in this browser (the README's "What guards a press"). */
export function guardHelp(): string {
  const seesCover =
    typeof IntersectionObserverEntry !== 'undefined' && 'isVisible' in IntersectionObserverEntry.prototype;
  const opened = 'RDP now fixes and connects only from the report your click opened, on a press of yours';
  return seesCover
    ? `${opened}, once the panel has sat still and fully visible (not covered or faded) for 0.3 s.`
    : `${opened}, once the panel has sat still for 0.3 s; this browser cannot tell whether the page covers the panel.`;
}
