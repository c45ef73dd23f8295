/**
 * Carries out an install plan. Each file is written whole (temp file, then rename) or not at all. Modes are set
 * explicitly after every create, so no umask (e.g. 002) leaves anything group- or world-writable: folders it
 * creates 0755, executables 0755, everything else 0644.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Action } from './plan';

export function applyAction(action: Action): void {
  switch (action.kind) {
    case 'copy-host': {
      if (path.resolve(action.from) === path.resolve(action.to)) return;
      const staging = `${action.to}.new-${process.pid}`;
      makeDir(path.dirname(action.to));
      rmSync(staging, { recursive: true, force: true });
      cpSync(action.from, staging, { recursive: true });
      // The copy keeps the build's modes (664 under a umask of 002): set them.
      setTreeModes(staging);
      rmSync(action.to, { recursive: true, force: true });
      renameSync(staging, action.to);
      return;
    }
    case 'write': {
      makeDir(path.dirname(action.path));
      const temp = `${action.path}.tmp-${process.pid}`;
      writeFileSync(temp, action.content, { mode: action.mode });
      chmodSync(temp, action.mode);
      renameSync(temp, action.path);
      return;
    }
    case 'run': {
      const [program, ...args] = action.argv;
      const result = spawnSync(program as string, args, {
        stdio: ['ignore', 'ignore', 'pipe'],
        shell: false,
      });
      if (result.error || result.status !== 0) {
        const reason = result.error?.message ?? result.stderr.toString().trim();
        throw new Error(`${path.basename(program as string)} failed: ${reason}`);
      }
      return;
    }
    case 'remove':
      rmSync(action.path, { recursive: true, force: true });
      return;
  }
}

/** Creates a folder and the missing ones above it, each 0755 whatever the umask; existing ones are left alone. */
function makeDir(dir: string): void {
  const first = mkdirSync(dir, { recursive: true });
  if (first === undefined) return;
  const top = path.resolve(first);
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    chmodSync(d, 0o755);
    if (d === top || path.dirname(d) === d) return;
  }
}

/** A freshly copied tree: folders 0755, files 0755 when executable, else 0644. Links are not followed. */
function setTreeModes(root: string): void {
  const stat = lstatSync(root);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(root, 0o755);
    for (const name of readdirSync(root)) setTreeModes(path.join(root, name));
    return;
  }
  chmodSync(root, stat.mode & 0o111 ? 0o755 : 0o644);
}
