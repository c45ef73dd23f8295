// The icons, drawn once in extension/static/icons/icon.svg and rendered to PNG by headless Chromium (no remote
// assets, no other image tool). `node scripts/icons.mjs` re-renders the manifest's icons committed beside the
// SVG; scripts/package.mjs calls renderStoreIcons for the stores' listings.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const iconDir = path.join(root, 'extension/static/icons');

/** The sizes manifest.json names (toolbar 16 and 32, chrome://extensions 48, install dialog 128). */
export const MANIFEST_ICONS = [16, 32, 48, 128].map((size) => ({ file: `${size}.png`, size, art: size }));
/**
 * The stores' listing images: the Chrome Web Store's 128 × 128 icon is 96 × 96 of art in 16 px of transparent
 * padding; Edge Add-ons asks for a 300 × 300 logo; AMO shows the add-on's 128 × 128 icon.
 */
export const STORE_ICONS = [
  { file: 'chrome-store-icon-128.png', size: 128, art: 96 },
  { file: 'edge-logo-300.png', size: 300, art: 300 },
  { file: 'amo-icon-128.png', size: 128, art: 128 },
];

/** Renders each `{ file, size, art }` into `outDir`: the SVG drawn `art` pixels wide, centred, on transparency. */
export async function renderIcons(outDir, icons) {
  const svg = readFileSync(path.join(iconDir, 'icon.svg'), 'utf8');
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.RDPNOW_CHROMIUM ?? '/usr/bin/chromium',
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const { file, size, art } of icons) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<body style="margin:0;display:grid;place-items:center;width:${size}px;height:${size}px">` +
          `<img src="${src}" width="${art}" height="${art}"></body>`,
      );
      await page.locator('img').evaluate((img) => img.decode());
      await page.screenshot({ path: path.join(outDir, file), omitBackground: true });
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await renderIcons(iconDir, MANIFEST_ICONS);
  console.log(`rendered ${MANIFEST_ICONS.map((i) => i.file).join(', ')} in ${path.relative(root, iconDir)}`);
}
