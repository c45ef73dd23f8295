/** Minified sizes of what each extension context loads at start: an entry and every module it imports statically. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Bytes of a JS module and the modules it imports (not dynamic `import()`s, which load later if ever). */
export function moduleClosureBytes(file: string, seen = new Set<string>()): number {
  if (seen.has(file) || !existsSync(file)) return 0;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  let total = statSync(file).size;
  for (const match of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    total += moduleClosureBytes(path.resolve(path.dirname(file), match[1] as string), seen);
  }
  return total;
}

/** The scripts a page's HTML loads, with their imports. */
export function pageBytes(html: string): number {
  const text = readFileSync(html, 'utf8');
  const seen = new Set<string>();
  let total = 0;
  for (const match of text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
    total += moduleClosureBytes(path.resolve(path.dirname(html), match[1] as string), seen);
  }
  return total;
}

export function bundleSizes(dir = 'dist/chrome'): Record<string, number> {
  return {
    contentScriptBytes: statSync(path.join(dir, 'content.js')).size,
    backgroundBytes: moduleClosureBytes(path.resolve(dir, 'background.js')),
    popupBytes: pageBytes(path.join(dir, 'popup/index.html')),
    reportPageBytes: pageBytes(path.join(dir, 'report/index.html')),
    offscreenBytes: pageBytes(path.join(dir, 'offscreen/index.html')),
  };
}
