/**
 * The private folder of written `.rdp` files (and Remmina profiles). The host exits right after its reply, so it
 * cannot wait for the client to read the file; instead each start removes files older than two minutes. A launch
 * with a title gets a folder of its own holding `<title>.rdp`: mstsc shows an opened file's name in its window, so
 * the window names the VM rather than 127.0.0.1 (docs/PROTOCOL.md §2.6 says what each client shows).
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

export const STALE_AFTER_MS = 2 * 60 * 1000;

export class RdpStore {
  constructor(readonly dir: string) {}

  /** A fresh, unguessable path, `<title>.rdp` in a fresh folder when titled; nothing is created yet. */
  nextPath(title?: string): string {
    // The global Web Crypto, not node:crypto: that module costs the host's cold start several milliseconds.
    const random = Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString('hex');
    const unique = `rdp-now-${Date.now()}-${random}`;
    const name = title === undefined ? '' : rdpFileStem(title);
    return name === '' ? path.join(this.dir, `${unique}.rdp`) : path.join(this.dir, unique, `${name}.rdp`);
  }

  /** Writes the file 0600, all or nothing. */
  async write(file: string, bytes: Uint8Array): Promise<void> {
    this.ensureDir();
    if (path.dirname(file) !== this.dir) await mkdir(path.dirname(file), { mode: 0o700 });
    const temp = `${file}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temp, file);
  }

  async remove(file: string): Promise<void> {
    await rm(path.dirname(file) === this.dir ? file : path.dirname(file), { force: true, recursive: true });
  }

  async removeStale(now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      if (!/^rdp-now-[0-9]+-[0-9a-f]+(\.(rdp|remmina)(\.tmp)?)?$/.test(name)) continue;
      const file = path.join(this.dir, name);
      try {
        if (now - (await stat(file)).mtimeMs > STALE_AFTER_MS) {
          await rm(file, { force: true, recursive: true });
          removed++;
        }
      } catch {
        // Removed concurrently by another host process.
      }
    }
    return removed;
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is filtered by the umask and ignored for a folder that already exists.
    if (process.platform !== 'win32') chmodSync(this.dir, 0o700);
  }
}

/**
 * A title as a file name every platform takes: the protocol allows only letters, digits, `. _ -` and spaces, so
 * what remains is what Windows trims or refuses (trailing dots and spaces, device names such as `CON`; leading
 * dots hide the file elsewhere); empty means no title.
 */
export function rdpFileStem(title: string): string {
  const stem = title.replace(/^[. ]+|[. ]+$/g, '');
  return /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i.test(stem) ? `_${stem}` : stem;
}
