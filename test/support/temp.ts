/**
 * Temporary folders that remove themselves, and the stand-in programs tests write into them. A folder made
 * during a test goes after that test; one made in a `beforeAll` or while collecting goes after the test file.
 * Every name starts `rdp-now-`, and global-setup.ts fails the run if one is left behind. Import it from test
 * files only: it registers vitest hooks when loaded.
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';

const forTest: string[] = [];
const forFile: string[] = [];
let inTest = false;

const removeAll = (dirs: string[]) => {
  // Retries: a process the test started (a host, a client) may still be writing its log there.
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
};

// This module is imported before the test file's own code runs, so these hooks are registered first: the
// `before` one runs first, and the `after` ones (stacked) last, once the file's own clean-up is done.
beforeEach(() => {
  inTest = true;
});
afterEach(() => {
  inTest = false;
  removeAll(forTest);
});
afterAll(() => removeAll(forFile));

/** A fresh, empty folder `<os.tmpdir()>/rdp-now-<name>-XXXXXX`. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `rdp-now-${name}-`));
  (inTest ? forTest : forFile).push(dir);
  return dir;
}

/** Writes an executable shell script (the lines after `#!/bin/sh`) and returns its path. */
export function writeScript(file: string, ...lines: string[]): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, ['#!/bin/sh', ...lines, ''].join('\n'));
  chmodSync(file, 0o755);
  return file;
}

/**
 * A copy of `source` (a file or a folder) that another user can read and run — the tests run some programs as
 * `nobody`, and the checkout may lie in a folder only its owner can enter.
 */
export function publicCopy(name: string, source: string): string {
  const dir = tempDir(name);
  chmodSync(dir, 0o755);
  const target = path.join(dir, path.basename(source));
  cpSync(source, target, { recursive: true });
  return target;
}
