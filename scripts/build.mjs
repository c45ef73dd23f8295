// Builds dist/chrome and dist/firefox (Vite) from manifest.json, and dist/host (esbuild: ES modules importing
// nothing but node: built-ins and each other).
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

/**
 * Pages are the folders of extension/ that hold an index.html (popup, options, report, …). Firefox runs MSAL in
 * its event page, so it gets no offscreen document.
 */
async function pageEntries(browser) {
  const dir = path.join(root, 'extension');
  const entries = {};
  for (const name of await readdir(dir)) {
    if (browser === 'firefox' && name === 'offscreen') continue;
    const html = path.join(dir, name, 'index.html');
    if (existsSync(html)) entries[name] = html;
  }
  return entries;
}

/**
 * A page's index.html holds only what is its own (title, its stylesheet, …); extension/ui/page.html is the shell
 * every page shares (charset, colour scheme, the base theme.css, the app root and ./main.tsx) and takes those
 * lines where it says `<!-- page -->`. A complete document (the offscreen page) is left as it is.
 */
async function pageShell() {
  const shell = await readFile(path.join(root, 'extension/ui/page.html'), 'utf8');
  if (!shell.includes('<!-- page -->'))
    throw new Error('extension/ui/page.html lost its <!-- page --> line.');
  return {
    name: 'page-shell',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) =>
        /<html[\s>]/i.test(html)
          ? html
          : shell.replace('<!-- page -->', html.trim().split('\n').join('\n    ')),
    },
  };
}

/**
 * A Vite build of ES modules for the background and one for each page, one for the content script, which
 * browsers run as a classic script. Built together, the contexts shared chunks holding every export any of them
 * used (the background's whole protocol came with the popup); built apart, each loads only what it uses.
 * `__BROWSER__` lets each build keep only its own sign-in path.
 */
async function buildExtension(browser, manifest) {
  const outDir = path.join(dist, browser);
  const common = {
    root: path.join(root, 'extension'),
    configFile: false,
    logLevel: 'warn',
    define: { __BROWSER__: JSON.stringify(browser) },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  };
  const shell = await pageShell();
  const esModules = (input, emptyOutDir) =>
    viteBuild({
      ...common,
      base: './',
      plugins: [shell],
      build: {
        outDir,
        emptyOutDir,
        target: 'es2022',
        modulePreload: false,
        rollupOptions: {
          input,
          output: {
            entryFileNames: (chunk) =>
              chunk.name === 'background' ? 'background.js' : 'assets/[name]-[hash].js',
            chunkFileNames: 'assets/[name]-[hash].js',
            assetFileNames: 'assets/[name]-[hash][extname]',
            format: 'es',
          },
        },
      },
    });
  await esModules({ background: path.join(root, 'extension/background/index.ts') }, true);
  for (const [name, html] of Object.entries(await pageEntries(browser))) {
    await esModules({ [name]: html }, false);
  }
  await viteBuild({
    ...common,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      rollupOptions: {
        input: { content: path.join(root, 'extension/content/index.ts') },
        output: { entryFileNames: '[name].js', format: 'iife' },
      },
    },
  });
  await cp(path.join(root, 'extension/static'), outDir, { recursive: true });
  await writeFile(
    path.join(outDir, 'manifest.json'),
    `${JSON.stringify(browserManifest(manifest, browser), null, 2)}\n`,
  );
}

/**
 * The host: `rdp-now.mjs` checks the Node version and imports `cli.mjs`, which holds the CLI and the native host
 * in one file (one module to load: the browser waits for it); every command that is not on that path is a
 * separate bundle it imports lazily.
 */
export const LAZY_COMMANDS = {
  // After the version check in host/rdp-now.ts, so that an older Node is told what to install.
  cli: 'cli.mjs',
  'install/commands': 'commands.mjs',
  'connect-address': 'connect.mjs',
  'azure/commands': 'azure.mjs',
  'auth/commands': 'login.mjs',
  // MSAL Node: loaded on the first request that needs a token, by the native host and the CLI alike.
  'auth/session': 'auth.mjs',
  // The native host's Bastion tunnels (ws): loaded on the first tunnel the extension opens.
  'tunnel/native-tunnels': 'tunnel.mjs',
};

async function buildHost() {
  const outdir = path.join(dist, 'host');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
    // ws's optional native speed-ups: it falls back to JavaScript when they are absent, as they are here.
    external: ['bufferutil', 'utf-8-validate'],
  };
  // Any import of a lazy module, from any file, becomes an import of its bundle beside rdp-now.mjs; a bundle's
  // own entry is the one place the module is compiled in.
  const hostDir = path.join(root, 'host');
  const lazy = (entry) => ({
    name: 'lazy-commands',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const source = path
          .relative(hostDir, path.resolve(args.resolveDir, args.path))
          .split(path.sep)
          .join('/');
        const out = LAZY_COMMANDS[source];
        if (!out || source === entry) return undefined;
        return { path: `./${out}`, external: true };
      });
    },
  });
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [path.join(root, 'host/rdp-now.ts')],
      outfile: path.join(outdir, 'rdp-now.mjs'),
      banner: { js: '#!/usr/bin/env node' },
      plugins: [lazy('rdp-now')],
    }),
    ...Object.entries(LAZY_COMMANDS).map(([source, out]) =>
      esbuild.build({
        ...common,
        entryPoints: [path.join(root, `host/${source}.ts`)],
        outfile: path.join(outdir, out),
        plugins: [lazy(source)],
        // CommonJS inside the Azure SDK's dependencies calls require() for Node built-ins.
        ...(source !== 'cli' && {
          banner: {
            js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
          },
        }),
      }),
    ),
  ]);
}

const manifest = JSON.parse(await readFile(path.join(root, 'manifest.json'), 'utf8'));
await Promise.all([buildHost(), buildExtension('chrome', manifest)]);
await buildExtension('firefox', manifest);
console.log('built dist/chrome, dist/firefox, dist/host/rdp-now.mjs');
