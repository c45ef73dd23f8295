// `npm run package` (and `npm run package:standalone` alone): the host as one executable (Node's single executable
// application) for Linux x64 and Windows x64, in dist/standalone, for machines without Node. Node 20's SEA runs
// one CommonJS script, so the host and every lazily loaded command are bundled into one file here (no chunks
// beside it to import), and `import.meta.url` becomes the executable's own path. The Linux one is this Node with
// the blob injected; the Windows one is the same Node version's node.exe from the npm registry
// (windows-node.mjs), given a blob without V8 code cache, which only the Node that made it could read.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { removeSignature, windowsNode } from './windows-node.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    'The standalone build starts from this Node as the Linux x64 executable: run it on Linux x64.',
  );
  process.exit(1);
}
// `--out DIR` (the tests) writes elsewhere than dist/standalone.
const outArg = process.argv.indexOf('--out');
const outDir =
  outArg > 0 ? path.resolve(process.argv[outArg + 1] ?? '') : path.join(root, 'dist', 'standalone');
// Kept across builds (and `npm run build`, which empties dist/): the downloaded node.exe.
const cacheDir = path.join(root, '.cache');
const work = mkdtempSync(path.join(os.tmpdir(), 'rdp-now-sea-'));

/** The host bundled into one CommonJS script. */
async function bundle() {
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
  return script;
}

/** The SEA blob of `script`; with code cache only for the Node that makes it. */
function blob(script, name, useCodeCache) {
  const output = path.join(work, `${name}.blob`);
  const config = path.join(work, `${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      main: script,
      output,
      disableExperimentalSEAWarning: true,
      useCodeCache,
      useSnapshot: false,
    }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  return output;
}

/** A copy of `node` named `name` in the output folder, with `seaBlob` injected and its fuse flipped. */
function inject(node, seaBlob, name, prepare = () => {}) {
  const out = path.join(outDir, name);
  rmSync(out, { force: true });
  copyFileSync(node, out);
  prepare(out);
  execFileSync(
    'npx',
    [
      '--yes',
      'postject@1.0.0-alpha.6',
      out,
      'NODE_SEA_BLOB',
      seaBlob,
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`built ${path.relative(root, out)}`);
}

try {
  const script = await bundle();
  mkdirSync(outDir, { recursive: true });
  inject(process.execPath, blob(script, 'linux-x64', true), 'rdp-now-linux-x64');
  inject(
    windowsNode(process.versions.node, cacheDir),
    blob(script, 'win-x64', false),
    'rdp-now-win-x64.exe',
    removeSignature,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
