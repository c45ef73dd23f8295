// `npm run lint:docs`: every citation of the repo's docs and every relative Markdown link must resolve.
//
// Checked, in every source, test and doc file (node_modules, dist and dot-folders aside):
// - `docs/<path>.md`, optionally followed by `#anchor` or `§N` (also `§N.M`, `§2–§3`, and a `§N` that a comment
//   wrapped onto the next line): the file must exist, the anchor must be one of its headings (GitHub's slugs),
//   and each section number must start one of its headings (`## 3. …`, `### 4.3 …`);
// - outside docs/: no bare `PROTOCOL.md`, `ARCHITECTURE.md` or `research/….md`, which name files kept outside the
//   repo (cite `docs/…` instead);
// - in Markdown files: every relative link and image (`[text](path#anchor)`, `[id]: path`), and inside docs/
//   a sibling citation such as `PROTOCOL.md §4`.
// Prints each broken one as `file:line: citation: problem` and exits 1; node built-ins only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SELF = 'scripts/check-doc-links.mjs';
const SKIP_DIRS = new Set(['node_modules', 'dist', 'test-results', 'coverage']);
const SKIP_FILES = new Set(['package-lock.json', SELF]);
const SCANNED = /\.(ts|tsx|mts|cts|js|mjs|cjs|md|json|css|html)$/;

function listFiles(dir = '') {
  const out = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) out.push(...listFiles(rel));
    } else if (SCANNED.test(entry.name) && !SKIP_FILES.has(rel)) out.push(rel);
  }
  return out;
}

function exists(rel) {
  try {
    statSync(path.join(root, rel));
    return true;
  } catch {
    return false;
  }
}

/** Blanks fenced code blocks (keeping the line count), so their contents are not taken for headings or links. */
function withoutFences(text) {
  return text.replace(/^([ \t]*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, (block) =>
    block.replace(/[^\n]/g, ' '),
  );
}

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen. */
function slug(heading) {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const headingCache = new Map();
/** The anchors and section numbers of a Markdown file. */
function headingsOf(rel) {
  let found = headingCache.get(rel);
  if (found) return found;
  found = { anchors: new Set(), sections: new Set() };
  const seen = new Map();
  for (const line of withoutFences(readFileSync(path.join(root, rel), 'utf8')).split('\n')) {
    const m = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    found.anchors.add(n === 0 ? base : `${base}-${n}`);
    const number = /^(\d+(?:\.\d+)*)\.?(?:\s|$)/.exec(m[1]);
    if (number) found.sections.add(number[1]);
  }
  headingCache.set(rel, found);
  return found;
}

const problems = [];
let checked = 0;

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** Checks one reference to a repo file (root-relative), with an optional anchor and section numbers. */
function checkTarget(from, line, shown, target, anchor, sections) {
  checked++;
  const report = (problem) => problems.push(`${from}:${line}: ${shown}: ${problem}`);
  if (!exists(target)) return report(`${target} does not exist`);
  if ((anchor || sections.length) && !/\.md$/i.test(target)) return;
  if (anchor && !headingsOf(target).anchors.has(anchor.toLowerCase())) {
    report(`${target} has no heading with the anchor #${anchor}`);
  }
  for (const section of sections) {
    if (!headingsOf(target).sections.has(section)) report(`${target} has no section ${section}`);
  }
}

/** `§N`, more numbers after a dash, comma, "and", "or" or "to", possibly after a comment's line break. */
const SECTIONS = new RegExp(
  String.raw`^[ \t]*(?:\r?\n[ \t]*(?:\*|//|#)?[ \t]*)?§[ \t]?\d+(?:\.\d+)*` +
    String.raw`(?:[ \t]*(?:[–—-]|,|and|or|to)[ \t]*(?:§[ \t]?)?\d+(?:\.\d+)*)*`,
);
/** A sibling cited by name and section inside docs/ (`PROTOCOL.md §4`, `../PROTOCOL.md §2`), not `docs/…`. */
const SIBLING = /(?<![\w./[(-])(?!docs\/)((?:\.\.\/)*[\w-]+(?:\/[\w-]+)*\.md)(?=[ \t]*§)/g;

/** What follows a cited path: `#anchor`, or `§N` (ranges and lists too), possibly after a comment's line break. */
function suffixOf(text, end) {
  const rest = text.slice(end, end + 120);
  const anchor = /^#([^\s)\]`'",;:|>*]+)/.exec(rest);
  if (anchor) return { anchor: anchor[1].replace(/\.+$/, ''), sections: [], length: anchor[0].length };
  const section = SECTIONS.exec(rest);
  if (section) {
    const sections = [...section[0].matchAll(/\d+(?:\.\d+)*/g)].map((m) => m[0].replace(/\.$/, ''));
    return { anchor: null, sections, length: section[0].length };
  }
  return { anchor: null, sections: [], length: 0 };
}

function checkCitations(rel, text) {
  for (const m of text.matchAll(/(?<![\w./-])docs\/[\w./-]*?\.md/g)) {
    const end = m.index + m[0].length;
    const { anchor, sections, length } = suffixOf(text, end);
    const shown = text.slice(m.index, end + length).replace(/\s+/g, ' ');
    checkTarget(rel, lineOf(text, m.index), shown, path.posix.normalize(m[0]), anchor, sections);
  }
  if (!rel.startsWith('docs/')) {
    const outside = /(?<![\w./-])(?:PROTOCOL|ARCHITECTURE)\.md\b|(?<![\w.-])research\/[\w.-]+\.md\b/g;
    for (const m of text.matchAll(outside)) {
      checked++;
      problems.push(
        `${rel}:${lineOf(text, m.index)}: ${m[0]}: names a file outside the repo; cite docs/… instead`,
      );
    }
  } else if (rel.endsWith('.md')) {
    for (const m of text.matchAll(SIBLING)) {
      const { sections, length } = suffixOf(text, m.index + m[0].length);
      const target = path.posix.join(path.posix.dirname(rel), m[1]);
      const shown = text.slice(m.index, m.index + m[0].length + length);
      checkTarget(rel, lineOf(text, m.index), shown, target, null, sections);
    }
  }
}

function checkMarkdownLinks(rel, raw) {
  // Code spans are not links; fenced blocks neither.
  const text = withoutFences(raw).replace(/`+[^`\n]*`+/g, (code) => ' '.repeat(code.length));
  const inline = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
  const reference = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm;
  for (const m of [...text.matchAll(inline), ...text.matchAll(reference)]) {
    const href = m[1];
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
    const hash = href.indexOf('#');
    const file = hash === -1 ? href : href.slice(0, hash);
    const anchor = hash === -1 ? null : decodeURIComponent(href.slice(hash + 1));
    const target = file
      ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), decodeURIComponent(file)))
      : rel;
    if (target.startsWith('..')) {
      checked++;
      problems.push(`${rel}:${lineOf(text, m.index)}: ${href}: points outside the repo`);
      continue;
    }
    checkTarget(rel, lineOf(text, m.index), href, target, anchor || null, []);
  }
}

for (const rel of listFiles()) {
  const text = readFileSync(path.join(root, rel), 'utf8');
  checkCitations(rel, text);
  if (rel.endsWith('.md')) checkMarkdownLinks(rel, text);
}

if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.stderr.write(`check-doc-links: ${problems.length} broken of ${checked} citations and links.\n`);
  process.exit(1);
}
process.stdout.write(`check-doc-links: ${checked} citations and links resolve.\n`);
