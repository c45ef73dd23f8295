/**
 * The host's log: a file under the user's state dir, never stdout (which carries only frames).
 * Logging must never break the host, so every failure here is swallowed.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

const MAX_LOG_BYTES = 1024 * 1024;

export type Logger = (message: string) => void;

export function fileLogger(file: string): Logger {
  let prepared = false;
  return (message) => {
    try {
      if (!prepared) {
        prepared = true;
        mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        rotateIfLarge(file);
      }
      appendFileSync(file, `${new Date().toISOString()} [${process.pid}] ${message}\n`, { mode: 0o600 });
    } catch {
      // A full disk or a read-only home must not cost the user a connection.
    }
  };
}

function rotateIfLarge(file: string): void {
  try {
    if (statSync(file).size > MAX_LOG_BYTES) renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
}
