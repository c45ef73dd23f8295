/**
 * The Remmina profile as Remmina reads it: GLib's own key-file parser (libglib, through Python's ctypes) loads the
 * file and lists every group, key and value, so an escape that GLib reads otherwise, or a value that starts a
 * line, key or group of its own, shows here.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { remminaProfile } from '../../host/clients/remmina';
import type { RdpSettings } from '../../shared/rdp-file';
import { rdp } from '../support/machines';
import { tempDir } from '../support/temp';

/** Prints {group: [[key, value], …]} for the key file given, as g_key_file_get_string returns each value. */
const READ_WITH_GLIB = `
import ctypes, json, sys
g = ctypes.CDLL('libglib-2.0.so.0')
g.g_key_file_new.restype = ctypes.c_void_p
g.g_key_file_load_from_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
g.g_key_file_get_groups.restype = ctypes.POINTER(ctypes.c_char_p)
g.g_key_file_get_groups.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
g.g_key_file_get_keys.restype = ctypes.POINTER(ctypes.c_char_p)
g.g_key_file_get_keys.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p]
g.g_key_file_get_string.restype = ctypes.c_char_p
g.g_key_file_get_string.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p]
def strv(p):
    out, i = [], 0
    while p[i] is not None:
        out.append(p[i]); i += 1
    return out
kf = g.g_key_file_new()
if not g.g_key_file_load_from_file(kf, sys.argv[1].encode(), 0, None):
    sys.exit('GLib refused the file')
print(json.dumps({grp.decode(): [[k.decode(), g.g_key_file_get_string(kf, grp, k, None).decode()]
    for k in strv(g.g_key_file_get_keys(kf, grp, None, None))] for grp in strv(g.g_key_file_get_groups(kf, None))}))
`;

function readWithGlib(text: string): Record<string, Array<[string, string]>> {
  const file = path.join(tempDir('remmina'), 'vm.remmina');
  writeFileSync(file, text);
  return JSON.parse(execFileSync('python3', ['-c', READ_WITH_GLIB, file], { encoding: 'utf8' }));
}

describe('a Remmina profile read by GLib', () => {
  it('gives back every value as written, in one [remmina] group, however the user name looks', () => {
    const username = ' CONTOSO\\ann =x [remmina] #y;z\\n ';
    const settings = rdp('full address:s:127.0.0.1:50000', `username:s:${username}`, 'domain:s:C:\\');
    expect(readWithGlib(remminaProfile(settings, ' web 01'))).toEqual({
      remmina: [
        ['name', ' web 01'],
        ['protocol', 'RDP'],
        ['server', '127.0.0.1:50000'],
        ['username', username],
        ['domain', 'C:\\'],
        ['disablepasswordstoring', '1'],
      ],
    });
  });

  it('keeps line breaks inside their value even past validation, so no key or group can be added', () => {
    const settings: RdpSettings = {
      target: { host: 'h', port: 3389 },
      values: new Map([['username', 'ann\n[evil]\nexec=x\r\tend']]),
    };
    expect(readWithGlib(remminaProfile(settings, 'vm'))).toEqual({
      remmina: [
        ['name', 'vm'],
        ['protocol', 'RDP'],
        ['server', 'h:3389'],
        ['username', 'ann\n[evil]\nexec=x\r\tend'],
        ['disablepasswordstoring', '1'],
      ],
    });
  });
});
