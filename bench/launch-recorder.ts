/**
 * The click benchmarks' RDP client (RDPNOW_CLIENT): a program that records when it started, in ms since the
 * epoch — the clock a click is timed with — so click-to-launch is read off without a real client.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LaunchRecorder {
  program: string;
  /** The start times of every launch so far. */
  launches(): number[];
  remove(): void;
}

export function launchRecorder(name: string): LaunchRecorder {
  const dir = mkdtempSync(path.join(os.tmpdir(), `rdp-now-${name}-`));
  const starts = path.join(dir, 'starts');
  const program = path.join(dir, 'client');
  writeFileSync(program, `#!/bin/sh\ndate +%s%3N >> '${starts}'\n`);
  chmodSync(program, 0o755);
  writeFileSync(starts, '');
  return {
    program,
    launches: () => readFileSync(starts, 'utf8').split('\n').filter(Boolean).map(Number),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
