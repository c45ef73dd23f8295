// A PNG's pixel size, from its IHDR chunk (the first, right after the 8-byte signature): the package step and
// the tests check the stores' images with it.
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** @param {Buffer} png @returns {{ width: number, height: number } | null} null when it is not a PNG */
export function pngSize(png) {
  if (png.length < 24 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR')
    return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
