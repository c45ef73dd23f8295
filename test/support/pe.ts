/**
 * Reads what the tests need from a Windows executable (PE32+) without running it: its machine, and the named
 * RCDATA resources with their bytes, where postject puts a single executable application's blob
 * (NODE_SEA_BLOB), read by Node on Windows through FindResource.
 */
const RT_RCDATA = 10;
const MACHINE_AMD64 = 0x8664;

export interface PeImage {
  x64: boolean;
  /** Named RCDATA resources: name → bytes. */
  rcdata: Map<string, Buffer>;
}

export function readPe(exe: Buffer): PeImage {
  if (exe.toString('latin1', 0, 2) !== 'MZ') throw new Error('no MZ header');
  const pe = exe.readUInt32LE(0x3c);
  if (exe.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error('no PE signature');
  const sectionCount = exe.readUInt16LE(pe + 6);
  const optional = pe + 24;
  if (exe.readUInt16LE(optional) !== 0x20b) throw new Error('not PE32+');
  const sections = Array.from({ length: sectionCount }, (_, i) => {
    const at = optional + exe.readUInt16LE(pe + 20) + i * 40;
    return {
      rva: exe.readUInt32LE(at + 12),
      size: exe.readUInt32LE(at + 16),
      offset: exe.readUInt32LE(at + 20),
    };
  });
  const fileOffset = (rva: number) => {
    const s = sections.find((x) => rva >= x.rva && rva < x.rva + x.size);
    if (!s) throw new Error(`RVA ${rva} is in no section`);
    return rva - s.rva + s.offset;
  };
  const resourceRva = exe.readUInt32LE(optional + 112 + 2 * 8);
  const base = fileOffset(resourceRva);
  /** The entries of a resource directory at `at` (relative to the resource section): name or id, and target. */
  const entries = (at: number) => {
    const dir = base + at;
    const count = exe.readUInt16LE(dir + 12) + exe.readUInt16LE(dir + 14);
    return Array.from({ length: count }, (_, i) => {
      const name = exe.readUInt32LE(dir + 16 + i * 8);
      const target = exe.readUInt32LE(dir + 20 + i * 8);
      const named = (name & 0x80000000) !== 0;
      const str = base + (name & 0x7fffffff);
      return {
        key: named ? exe.toString('utf16le', str + 2, str + 2 + 2 * exe.readUInt16LE(str)) : name,
        target: target & 0x7fffffff,
      };
    });
  };
  const rcdata = new Map<string, Buffer>();
  const types = entries(0).find((e) => e.key === RT_RCDATA);
  for (const resource of types ? entries(types.target) : []) {
    if (typeof resource.key !== 'string') continue;
    const language = entries(resource.target)[0];
    if (!language) continue;
    const data = base + language.target;
    const start = fileOffset(exe.readUInt32LE(data));
    rcdata.set(resource.key, exe.subarray(start, start + exe.readUInt32LE(data + 4)));
  }
  return { x64: exe.readUInt16LE(pe + 4) === MACHINE_AMD64, rcdata };
}
