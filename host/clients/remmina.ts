/**
 * Remmina names its window after the connection's `name`, and its `.rdp` import sets that to `full address`
 * (plugins/rdp/rdp_file.c), so a Bastion VM's window would say 127.0.0.1:<port>. A titled launch therefore hands
 * Remmina a connection profile of its own (`remmina -c <title>.remmina`): the name, and exactly what that import
 * reads from the canonical `.rdp` file, mapped as it maps it (docs/PROTOCOL.md §2.6).
 */
import { formatAddress, type RdpSettings } from '../../shared/rdp-file';

type Entry = readonly [key: string, value: string | number];

/** The `.rdp` settings Remmina's import reads, by their name in the allowlist, and the profile key each becomes. */
const IMPORTED: ReadonlyArray<readonly [string, (value: string | number) => Entry | null]> = [
  ['username', (v) => ['username', v]],
  ['domain', (v) => ['domain', v]],
  ['desktopwidth', (v) => ['resolution_width', v]],
  ['desktopheight', (v) => ['resolution_height', v]],
  ['audiomode', (v) => (v === 0 ? ['sound', 'local'] : v === 1 ? ['sound', 'remote'] : null)],
  ['redirectprinters', (v) => ['shareprinter', v === 1 ? 1 : 0]],
  ['redirectclipboard', (v) => ['disableclipboard', v === 1 ? 0 : 1]],
  ['authentication level', (v) => ['authentication level', v]],
];

/** The profile's text (GKeyFile, UTF-8): only validated settings and the validated title, each value escaped. */
export function remminaProfile(settings: RdpSettings, title: string): string {
  const entries: Entry[] = [
    ['name', title],
    ['protocol', 'RDP'],
    ['server', formatAddress(settings.target)],
    ...IMPORTED.flatMap(([name, map]) => {
      const value = settings.values.get(name);
      const entry = value === undefined ? null : map(value);
      return entry ? [entry] : [];
    }),
    // The `.rdp` import has no file to save to, so Remmina offers no "save password"; a profile would, and would
    // keep the password for a file that is about to be removed.
    ['disablepasswordstoring', 1],
  ];
  return `[remmina]\n${entries.map(([key, value]) => `${key}=${keyFileValue(String(value))}`).join('\n')}\n`;
}

/** The profile's path: the `.rdp` path's own folder and name (so the store removes it alike), ending `.remmina`. */
export function remminaProfilePath(rdpFile: string): string {
  return rdpFile.replace(/\.rdp$/, '.remmina');
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A GKeyFile string value as g_key_file_set_string writes it: a backslash or line break escaped (a raw line
 * break would start a key of its own), a leading space as `\s` (the reader drops it otherwise).
 */
export function keyFileValue(value: string): string {
  // Nothing else in a value needs escaping, but a NUL would cut the C string short.
  if (value.includes('\0')) throw new Error('A Remmina profile value cannot contain a NUL character.');
  return value.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c] ?? c).replace(/^ /, '\\s');
}
