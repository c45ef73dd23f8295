/** Carries out an install plan. Each file is written whole (temp file, then rename) or not at all. */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Action } from './plan';

export function applyAction(action: Action): void {
  switch (action.kind) {
    case 'copy-host': {
      if (path.resolve(action.from) === path.resolve(action.to)) return;
      const staging = `${action.to}.new-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      cpSync(action.from, staging, { recursive: true });
      rmSync(action.to, { recursive: true, force: true });
      renameSync(staging, action.to);
      return;
    }
    case 'write': {
      mkdirSync(path.dirname(action.path), { recursive: true });
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
