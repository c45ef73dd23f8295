import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chromiumManifest,
  firefoxManifest,
  isExtensionId,
  manifestText,
  nodePathInWrapper,
  parseRegDefault,
  policyBlocksUserHosts,
  wrapperFileName,
  wrapperText,
} from '../../../../host/install/host-files';
import { ID, OTHER_ID } from '../../../support/install';
import { tempDir } from '../../../support/temp';

describe('host manifests', () => {
  it('Chromium family: allowed_origins with the trailing slash, one per id', () => {
    expect(chromiumManifest('/home/ann/.local/share/rdp-now/rdp-now-host', [ID, OTHER_ID])).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: '/home/ann/.local/share/rdp-now/rdp-now-host',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ID}/`, `chrome-extension://${OTHER_ID}/`],
    });
  });

  it('Firefox: allowed_extensions with the add-on id, no allowed_origins', () => {
    const manifest = firefoxManifest('/home/ann/.local/share/rdp-now/rdp-now-host');
    expect(manifest).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: '/home/ann/.local/share/rdp-now/rdp-now-host',
      type: 'stdio',
      allowed_extensions: ['rdp-now@rdpnow.dev'],
    });
    expect(manifest).not.toHaveProperty('allowed_origins');
  });

  it('is written as JSON without a BOM, ending in a newline', () => {
    const text = manifestText(chromiumManifest('C:\\rdp-now\\rdp-now-host.cmd', [ID]));
    expect(text.charCodeAt(0)).toBe(0x7b);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({
      name: 'com.rdpnow.host',
      description: 'RDP now companion host',
      path: 'C:\\rdp-now\\rdp-now-host.cmd',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${ID}/`],
    });
  });

  it('extension ids are 32 letters a–p', () => {
    expect(isExtensionId(ID)).toBe(true);
    expect(isExtensionId('abcdefghijklmnopabcdefghijklmnoq')).toBe(false);
    expect(isExtensionId(ID.slice(1))).toBe(false);
    expect(isExtensionId(ID.toUpperCase())).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The wrapper

describe('wrapper scripts', () => {
  it('file names', () => {
    expect(wrapperFileName('linux')).toBe('rdp-now-host');
    expect(wrapperFileName('darwin')).toBe('rdp-now-host');
    expect(wrapperFileName('win32')).toBe('rdp-now-host.cmd');
  });

  it('POSIX: absolute Node, quoted paths, "$@"', () => {
    expect(
      wrapperText('linux', '/usr/local/bin/node', '/home/ann/.local/share/rdp-now/host/rdp-now.mjs'),
    ).toBe(
      "#!/bin/sh\nexec '/usr/local/bin/node' '/home/ann/.local/share/rdp-now/host/rdp-now.mjs' native-host \"$@\"\n",
    );
  });

  it('POSIX: spaces and single quotes are shell-quoted', () => {
    expect(
      wrapperText(
        'darwin',
        "/Users/o'brien/.nvm/versions/node/v22 LTS/bin/node",
        "/Users/o'brien/Library/Application Support/rdp-now/host/rdp-now.mjs",
      ),
    ).toBe(
      "#!/bin/sh\nexec '/Users/o'\\''brien/.nvm/versions/node/v22 LTS/bin/node' " +
        "'/Users/o'\\''brien/Library/Application Support/rdp-now/host/rdp-now.mjs' native-host \"$@\"\n",
    );
  });

  it('Windows: a % in a path (allowed in user names) is doubled, and read back single', () => {
    const text = wrapperText('win32', 'C:\\Users\\a%b\\node.exe', 'C:\\Users\\a%b\\host\\rdp-now.mjs');
    expect(text).toBe(
      '@echo off\r\n"C:\\Users\\a%%b\\node.exe" "C:\\Users\\a%%b\\host\\rdp-now.mjs" native-host %*\r\n',
    );
    expect(nodePathInWrapper(text)).toBe('C:\\Users\\a%b\\node.exe');
  });

  it('Windows: @echo off, CRLF, quoted paths, %*', () => {
    const text = wrapperText(
      'win32',
      'C:\\Program Files\\nodejs\\node.exe',
      'C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\host\\rdp-now.mjs',
    );
    expect(text).toBe(
      '@echo off\r\n"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\host\\rdp-now.mjs" native-host %*\r\n',
    );
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  describe('runs under /bin/sh', () => {
    const dir = tempDir("it's a wrapper ");

    it.skipIf(process.platform === 'win32')(
      'passes the entry, native-host and every argument through',
      () => {
        // A stand-in for Node at a path with a space and a quote: prints its arguments one a line.
        const fakeNode = path.join(dir, "no'de bin");
        writeFileSync(fakeNode, '#!/bin/sh\nprintf \'%s\\n\' "$@"\n');
        chmodSync(fakeNode, 0o755);
        const entry = path.join(dir, "host dir/it's rdp-now.mjs");
        const wrapper = path.join(dir, 'rdp-now-host');
        writeFileSync(wrapper, wrapperText('linux', fakeNode, entry));
        chmodSync(wrapper, 0o755);
        const result = spawnSync(wrapper, ['chrome-extension://x/', 'a b', '$HOME', "'"], {
          encoding: 'utf8',
        });
        expect(result.status).toBe(0);
        expect(result.stdout.split('\n')).toEqual([
          entry,
          'native-host',
          'chrome-extension://x/',
          'a b',
          '$HOME',
          "'",
          '',
        ]);
      },
    );
  });

  describe.each([
    [
      'POSIX',
      'linux',
      '/opt/rdp-now/host/rdp-now.mjs',
      [
        '/usr/bin/node',
        '/Users/ann/.nvm/versions/node/v22.1.0/bin/node',
        "/home/o'brien/my node/bin/node",
        "/x/'",
        "'",
        "/a/'\\''/b",
      ],
    ],
    [
      'Windows',
      'win32',
      'C:\\rdp-now\\host\\rdp-now.mjs',
      [
        'C:\\Program Files\\nodejs\\node.exe',
        'C:\\Users\\ann\\AppData\\Roaming\\nvm\\v22.1.0\\node.exe',
        "C:\\Users\\o'brien\\node.exe",
      ],
    ],
  ] as const)('the %s wrapper', (_, platform, entry, nodes) => {
    it.each(nodes)('nodePathInWrapper reads it back: %s', (node) => {
      expect(nodePathInWrapper(wrapperText(platform, node, entry))).toBe(node);
    });
  });

  it.each([
    ['POSIX', 'linux', ['/', 'a', ' ', "'", '\\', '"', '$', '`', 'é', '\t'], 0],
    ['Windows', 'win32', ['C', ':', '\\', 'a', ' ', "'", '(', ')', 'é', '.'], 1],
  ] as const)('nodePathInWrapper round-trips any %s path', (_, platform, chars, minLength) => {
    const pathChars = fc.string({ unit: fc.constantFrom(...chars), minLength, maxLength: 30 });
    fc.assert(
      fc.property(pathChars, pathChars, (node, entry) => {
        expect(nodePathInWrapper(wrapperText(platform, node, entry))).toBe(node);
      }),
      { numRuns: 1000 },
    );
  });

  it('nodePathInWrapper returns null for a script it did not write', () => {
    expect(nodePathInWrapper('#!/bin/sh\nexec node "$@"\n')).toBeNull();
    expect(nodePathInWrapper('')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// reg query output

describe('reading reg query output', () => {
  const chromeKey = 'HKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\com.rdpnow.host';

  it('the default value, a path with a space', () => {
    const out = `\r\n${chromeKey}\r\n    (Default)    REG_SZ    C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\com.rdpnow.host.chromium.json\r\n\r\n`;
    expect(parseRegDefault(out)).toBe(
      'C:\\Users\\Ann Lee\\AppData\\Local\\rdp-now\\com.rdpnow.host.chromium.json',
    );
  });

  it('a localized "(Default)" and LF line ends', () => {
    const out = `\n${chromeKey}\n    (Standard)    REG_SZ    C:\\Users\\ann\\rdp-now\\m.json\n`;
    expect(parseRegDefault(out)).toBe('C:\\Users\\ann\\rdp-now\\m.json');
  });

  it('REG_EXPAND_SZ', () => {
    const out = `\r\n${chromeKey}\r\n    (Default)    REG_EXPAND_SZ    D:\\rdp-now\\m.json\r\n`;
    expect(parseRegDefault(out)).toBe('D:\\rdp-now\\m.json');
  });

  it('a key without a default value', () => {
    expect(
      parseRegDefault(`\r\n${chromeKey}\r\n    (Default)    REG_SZ    (value not set)\r\n\r\n`),
    ).toBeNull();
  });

  it('nothing (reg failed: key missing)', () => {
    expect(parseRegDefault('')).toBeNull();
    expect(parseRegDefault(`\r\n${chromeKey}\r\n\r\n`)).toBeNull();
  });

  const policy = (value: string) =>
    `\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\r\n    NativeMessagingUserLevelHosts    REG_DWORD    ${value}\r\n\r\n`;

  it('the policy set to 0 blocks per-user hosts', () => {
    expect(policyBlocksUserHosts(policy('0x0'))).toBe(true);
    expect(policyBlocksUserHosts(policy('0x0').replaceAll('\r\n', '\n'))).toBe(true);
  });

  it('the policy set to 1, or absent, does not', () => {
    expect(policyBlocksUserHosts(policy('0x1'))).toBe(false);
    expect(policyBlocksUserHosts(policy('0x10'))).toBe(false);
    expect(policyBlocksUserHosts('')).toBe(false);
    expect(
      policyBlocksUserHosts(
        '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\r\n    NativeMessagingAllowlist    REG_DWORD    0x0\r\n',
      ),
    ).toBe(false);
  });
});
