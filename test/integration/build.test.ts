/** The outputs of docs/PROTOCOL.md §1, as `npm run build` (run by `pretest`) left them. */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSizes } from '../../bench/bundles';

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
    for (const file of ['background.js', 'content.js', 'managed-schema.json'])
      expect(readdirSync('dist/chrome')).toContain(file);
    for (const page of ['popup', 'options', 'report', 'confirm', 'offscreen']) {
      expect(readdirSync(`dist/chrome/${page}`)).toContain('index.html');
    }
    expect(readdirSync('dist/chrome/icons')).toEqual(
      expect.arrayContaining(['16.png', '32.png', '48.png', '128.png']),
    );
  });

  it('asks only for the permissions it uses, with a strict CSP and no remote code', () => {
    const manifest = readJson('dist/chrome/manifest.json') as Record<string, unknown> & {
      permissions: string[];
      host_permissions: string[];
      optional_host_permissions: string[];
      content_security_policy: { extension_pages: string };
    };
    expect(manifest.permissions.sort()).toEqual([
      'alarms',
      'contextMenus',
      'declarativeNetRequestWithHostAccess',
      'identity',
      'nativeMessaging',
      'offscreen',
      'storage',
    ]);
    for (const host of manifest.host_permissions) {
      expect(host).toMatch(
        /^https:\/\/(portal\.azure\.(com|us|cn)|(ms|preview)\.portal\.azure\.com|management\.|login\.)/,
      );
    }
    // The Bastion's host is asked for on the Connect press of a Bastion VM, its domain alone.
    expect(manifest.optional_host_permissions).toEqual([
      'https://api.ipify.org/*',
      'https://*.bastion.azure.com/*',
    ]);
    expect(manifest.content_security_policy.extension_pages).toBe(
      "script-src 'self'; object-src 'none'; base-uri 'none'",
    );
    const pages = ['popup', 'options', 'report', 'confirm', 'offscreen'].map((p) =>
      readFileSync(`dist/chrome/${p}/index.html`, 'utf8'),
    );
    for (const html of pages) {
      expect(html).not.toMatch(/<script(?![^>]*\bsrc="\.\.\/assets\/)/);
      expect(html).not.toMatch(/https?:\/\//);
    }
  });

  it('keeps what the popup loads at first paint within its 60 KB goal (bench popupBytes)', () => {
    // Shared chunks with the background or another page, or webextension-polyfill, would each break it.
    expect(bundleSizes('dist/chrome').popupBytes).toBeLessThanOrEqual(60 * 1024);
  });

  it('keeps the content script a classic script', () => {
    const code = readFileSync('dist/chrome/content.js', 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\b/m);
  });

  it('makes a Firefox MV3 extension with an event page and the add-on id, without the Chromium key', () => {
    const manifest = readJson('dist/firefox/manifest.json');
    expect(manifest).toMatchObject({
      manifest_version: 3,
      background: { scripts: ['background.js'] },
      browser_specific_settings: { gecko: { id: 'rdp-now@rdpnow.dev' } },
    });
    expect(manifest.key).toBeUndefined();
    expect((manifest.permissions as string[]).includes('offscreen')).toBe(false);
  });

  it('bundles the host so that it imports nothing but node: built-ins and its own chunks', () => {
    const dir = 'dist/host';
    const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
    expect(files).toContain('rdp-now.mjs');
    const builtins = new Set(builtinModules);
    for (const file of files) {
      const code = readFileSync(path.join(dir, file), 'utf8');
      // esbuild writes every specifier in double quotes; MSAL's log texts ("from '${e}'") use single ones.
      const specifiers = [...code.matchAll(/\b(?:from|import)\s*\(?\s*"([^"]+)"/g)].map(
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
