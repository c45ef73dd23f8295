/** The outputs of PROTOCOL.md §1, as `npm run build` (run by `pretest`) left them. */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('npm run build', () => {
  it('makes a Chromium MV3 extension with the fixed development key', () => {
    const manifest = readJson('dist/chrome/manifest.json');
    expect(manifest).toMatchObject({
      manifest_version: 3,
      background: { service_worker: 'background.js', type: 'module' },
    });
    expect(manifest.key).toBe(readJson('manifest.json').key);
    expect(manifest.browser_specific_settings).toBeUndefined();
    expect(readdirSync('dist/chrome')).toContain('background.js');
  });

  it('makes a Firefox MV3 extension with an event page and the add-on id, without the Chromium key', () => {
    const manifest = readJson('dist/firefox/manifest.json');
    expect(manifest).toMatchObject({
      manifest_version: 3,
      background: { scripts: ['background.js'] },
      browser_specific_settings: { gecko: { id: 'rdp-now@rdpnow.dev' } },
    });
    expect(manifest.key).toBeUndefined();
  });

  it('bundles the host so that it imports nothing but node: built-ins and its own chunks', () => {
    const dir = 'dist/host';
    const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
    expect(files).toContain('rdp-now.mjs');
    const builtins = new Set(builtinModules);
    for (const file of files) {
      const code = readFileSync(path.join(dir, file), 'utf8');
      const specifiers = [...code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map(
        (m) => m[1] as string,
      );
      for (const s of specifiers) {
        const ok =
          s.startsWith('node:') || builtins.has(s) || (s.startsWith('./') && files.includes(s.slice(2)));
        expect(ok, `${file} imports ${s}`).toBe(true);
      }
    }
  });
});
