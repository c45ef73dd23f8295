// `npm run package`: the store zips, in dist/packages. The Chrome Web Store assigns its own id, so the
// development `key` is left out of the Chrome zip (the store refuses it). `--out <dir>` writes them elsewhere (the
// packaging test, which must not race other tests over dist/).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const outAt = process.argv.indexOf('--out');
const out = path.resolve(outAt > 0 ? process.argv[outAt + 1] : 'dist/packages');
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
    { stdio: 'inherit' },
  );

const chrome = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-chrome-'));
try {
  cpSync('dist/chrome', chrome, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(chrome, 'manifest.json'), 'utf8'));
  delete manifest.key;
  writeFileSync(path.join(chrome, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  webExt(chrome, `rdp-now-chrome-${version}.zip`);
} finally {
  rmSync(chrome, { recursive: true, force: true });
}
webExt('dist/firefox', `rdp-now-firefox-${version}.zip`);
console.log(`packages in ${out}`);
