/**
 * Whether the report panel sits still and stays in the page: the page can restyle our host element (not reach
 * inside it), so it could move the panel under a resting pointer just before a press, or take it out. An
 * IntersectionObserver v2 does not report a move, so each animation frame compares the frame's box with the last
 * one (one layout read the frame's rendering does anyway) and says when it moved (the report then waits for it
 * to rest before it acts, report/visibility.ts) or when it left the document.
 */
export function watchRest(frame: HTMLIFrameElement, onMove: () => void, onGone: () => void): () => void {
  const win = frame.ownerDocument.defaultView;
  if (!win) return () => undefined;
  let last = '';
  let handle = 0;
  const look = () => {
    if (!frame.isConnected) return onGone();
    const { x, y, width, height } = frame.getBoundingClientRect();
    const box = `${x},${y},${width},${height}`;
    if (last !== '' && box !== last) onMove();
    last = box;
    handle = win.requestAnimationFrame(look);
  };
  handle = win.requestAnimationFrame(look);
  return () => win.cancelAnimationFrame(handle);
}
