/**
 * Clickjacking guard: a portal page cannot script this frame, but it could cover it, fade it or move it so a
 * user clicks "Start VM" without seeing it. Where the browser can tell (IntersectionObserver v2, Chromium), the
 * report acts only after its page has been fully visible — unoccluded, opaque, untransformed — for a moment.
 * Browsers that cannot tell (Firefox) are trusted, as the README says.
 */
const MIN_VISIBLE_MS = 300;

type VisibilityEntry = IntersectionObserverEntry & { isVisible?: boolean };

export function watchVisibility(element: Element): () => boolean {
  if (typeof IntersectionObserver === 'undefined') return () => true;
  let supported = false;
  let visibleSince: number | null = null;
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
  return () => !supported || (visibleSince !== null && performance.now() - visibleSince >= MIN_VISIBLE_MS);
}
