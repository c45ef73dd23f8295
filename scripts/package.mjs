// `npm run package`: the store zips, in dist/packages, and beside them dist/packages/store: what a listing needs
// (docs/store/listing.md, docs/privacy.md, the icons at the stores' sizes, the 1280 × 800 screenshots that
// test/e2e/store-screenshots.test.ts takes into dist/store-screenshots). The Chrome Web Store assigns its own id,
// so the development `key` is left out of the Chrome zip (the store refuses it). `--out DIR` and
// `--screenshots DIR` (the tests) read and write elsewhere.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_ICONS, renderIcons, STORE_ICONS } from './icons.mjs';
import { pngSize } from './png-size.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const arg = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? path.resolve(process.argv[at + 1] ?? '') : path.join(root, fallback);
};
const out = arg('--out', 'dist/packages');
const shots = arg('--screenshots', 'dist/store-screenshots');
const SCREENSHOTS = ['1-report-ready.png', '2-popup.png', '3-setup.png'];
// The Chrome Web Store's limit for the manifest's description and the listing's summary.
const SHORT_MAX = 132;

function fail(sentence) {
  console.error(`package: ${sentence}`);
  process.exit(1);
}

/** The listing's short description, checked against the store's limit. */
function shortDescription(listing) {
  const short = /^## Short description\n\n(.+)\n/m.exec(listing)?.[1] ?? '';
  if (short.length === 0 || short.length > SHORT_MAX)
    fail(
      `docs/store/listing.md needs a short description of 1 to ${SHORT_MAX} characters (it has ${short.length}).`,
    );
  return short;
}

const manifest = JSON.parse(readFileSync(path.join(root, 'dist/chrome/manifest.json'), 'utf8'));
if (manifest.description.length > SHORT_MAX)
  fail(
    `manifest.json's description has ${manifest.description.length} characters; the stores take ${SHORT_MAX}.`,
  );
const listing = readFileSync(path.join(root, 'docs/store/listing.md'), 'utf8');
shortDescription(listing);
for (const name of SCREENSHOTS) {
  const file = path.join(shots, name);
  if (!existsSync(file))
    fail(
      `${file} is missing: take the screenshots with \`npx vitest run test/e2e/store-screenshots.test.ts\`.`,
    );
  const size = pngSize(readFileSync(file));
  if (size?.width !== 1280 || size?.height !== 800)
    fail(`${file} is not a 1280 × 800 PNG: take it again with test/e2e/store-screenshots.test.ts.`);
}

const webExt = (dir, name) =>
  execFileSync(
    'npx',
    [
      'web-ext',
      'build',
      '--no-config-discovery',
      '--source-dir',
      dir,
      '--artifacts-dir',
      out,
      '--filename',
      name,
      '--overwrite-dest',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );

const chrome = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-chrome-'));
try {
  cpSync(path.join(root, 'dist/chrome'), chrome, { recursive: true });
  delete manifest.key;
  writeFileSync(path.join(chrome, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  webExt(chrome, `rdp-now-chrome-${manifest.version}.zip`);
} finally {
  rmSync(chrome, { recursive: true, force: true });
}
webExt(path.join(root, 'dist/firefox'), `rdp-now-firefox-${manifest.version}.zip`);

const store = path.join(out, 'store');
rmSync(store, { recursive: true, force: true });
mkdirSync(path.join(store, 'screenshots'), { recursive: true });
mkdirSync(path.join(store, 'icons'));
copyFileSync(path.join(root, 'docs/store/listing.md'), path.join(store, 'listing.md'));
copyFileSync(path.join(root, 'docs/privacy.md'), path.join(store, 'privacy.md'));
for (const name of SCREENSHOTS) copyFileSync(path.join(shots, name), path.join(store, 'screenshots', name));
for (const { file } of MANIFEST_ICONS)
  copyFileSync(path.join(root, 'extension/static/icons', file), path.join(store, 'icons', file));
await renderIcons(path.join(store, 'icons'), STORE_ICONS);
console.log(`packages and store listing in ${out}`);
