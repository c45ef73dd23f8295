// `npm run package` (and `npm run package:standalone` alone): the host as one Linux x64 executable (Node's single executable application), in
// dist/standalone/rdp-now-linux-x64, for machines without Node. Node 20's SEA runs one CommonJS script, so the
// host and every lazily loaded command are bundled into one file here (no chunks beside it to import), and
// `import.meta.url` becomes the executable's own path.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('The standalone build makes a Linux x64 executable from this Node: run it on Linux x64.');
  process.exit(1);
}
// `--out DIR` (the tests) writes elsewhere than dist/standalone.
const outArg = process.argv.indexOf('--out');
const outDir =
  outArg > 0 ? path.resolve(process.argv[outArg + 1] ?? '') : path.join(root, 'dist', 'standalone');
const out = path.join(outDir, 'rdp-now-linux-x64');
const work = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-sea-'));
try {
  const script = path.join(work, 'rdp-now.cjs');
  await esbuild.build({
    entryPoints: [path.join(root, 'host/rdp-now.ts')],
    outfile: script,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
    define: {
      'import.meta.url': '__rdpNowUrl',
      // ws tries these optional native add-ons; a single executable can only require built-ins (and warns).
      'process.env.WS_NO_BUFFER_UTIL': '"1"',
      'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
    },
    banner: { js: 'var __rdpNowUrl = require("node:url").pathToFileURL(process.execPath).href;' },
  });
  const blob = path.join(work, 'sea.blob');
  const config = path.join(work, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  mkdirSync(outDir, { recursive: true });
  rmSync(out, { force: true });
  copyFileSync(process.execPath, out);
  execFileSync(
    'npx',
    [
      '--yes',
      'postject@1.0.0-alpha.6',
      out,
      'NODE_SEA_BLOB',
      blob,
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`built ${path.relative(root, out)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
