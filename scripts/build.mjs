// Builds dist/chrome and dist/firefox (Vite) from manifest.json, and dist/host (esbuild: one ES module file
// plus lazily loaded chunks, importing nothing but node: built-ins).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');

/** Chromium keeps the development key and the service worker; Firefox MV3 runs an event page and has no key. */
export function browserManifest(manifest, browser) {
  const out = structuredClone(manifest);
  if (browser === 'chrome') {
    delete out.browser_specific_settings;
    return out;
  }
  delete out.key;
  delete out.minimum_chrome_version;
  out.background = { scripts: [manifest.background.service_worker], type: 'module' };
  out.permissions = out.permissions.filter((p) => p !== 'offscreen');
  return out;
}

async function buildExtension(browser, manifest) {
  const outDir = path.join(dist, browser);
  await viteBuild({
    root,
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      modulePreload: false,
      rollupOptions: {
        input: { background: path.join(root, 'extension/background/index.ts') },
        output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', format: 'es' },
      },
    },
  });
  await writeFile(
    path.join(outDir, 'manifest.json'),
    `${JSON.stringify(browserManifest(manifest, browser), null, 2)}\n`,
  );
}

async function buildHost() {
  const outdir = path.join(dist, 'host');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { 'rdp-now': path.join(root, 'host/cli.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
}

const manifest = JSON.parse(await readFile(path.join(root, 'manifest.json'), 'utf8'));
await Promise.all([buildHost(), buildExtension('chrome', manifest)]);
await buildExtension('firefox', manifest);
console.log('built dist/chrome, dist/firefox, dist/host/rdp-now.mjs');
