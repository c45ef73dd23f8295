import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../../shared/extension-id';

it('the development id is the one Chromium derives from the manifest key', () => {
  const { key } = JSON.parse(readFileSync('manifest.json', 'utf8')) as { key: string };
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  const id = [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
  expect(id).toBe(DEV_EXTENSION_ID);
});
