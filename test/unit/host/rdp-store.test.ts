/** The `.rdp` folder with titled launches: `<title>.rdp` in a private folder of its own, removed with it. */
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RdpStore, rdpFileStem, STALE_AFTER_MS } from '../../../host/rdp-store';
import { rdpFileBytes } from '../../../shared/rdp-file';
import { tempDir } from '../../support/temp';

describe('RdpStore with a title', () => {
  it('names the file after the title, in a fresh 0700 folder, and removes both', async () => {
    const store = new RdpStore(tempDir('store'));
    const file = store.nextPath('vm-bastion');
    expect(path.basename(file)).toBe('vm-bastion.rdp');
    expect(path.basename(path.dirname(file))).toMatch(/^rdp-now-\d+-[0-9a-f]{12}$/);
    expect(store.nextPath('vm-bastion')).not.toBe(file);
    await store.write(file, rdpFileBytes('full address:s:127.0.0.1:50000\r\n'));
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.remove(file);
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it('removes a stale titled folder at the next start, and keeps a fresh one', async () => {
    const store = new RdpStore(tempDir('store'));
    const old = store.nextPath('old');
    const fresh = store.nextPath('fresh');
    await store.write(old, rdpFileBytes('full address:s:a\r\n'));
    await store.write(fresh, rdpFileBytes('full address:s:b\r\n'));
    const past = new Date(Date.now() - STALE_AFTER_MS - 1000);
    utimesSync(path.dirname(old), past, past);
    expect(await store.removeStale()).toBe(1);
    expect(existsSync(path.dirname(old))).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('writes the bytes it is given, and removes a stale flat Remmina profile (a title with no usable stem)', async () => {
    const store = new RdpStore(tempDir('store'));
    const profile = store.nextPath('..').replace(/\.rdp$/, '.remmina');
    await store.write(profile, new TextEncoder().encode('[remmina]\nname=..\n'));
    expect(readFileSync(profile, 'utf8')).toBe('[remmina]\nname=..\n');
    const past = new Date(Date.now() - STALE_AFTER_MS - 1000);
    utimesSync(profile, past, past);
    expect(await store.removeStale()).toBe(1);
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it('without a usable title keeps the flat unguessable name', () => {
    const store = new RdpStore('/x');
    expect(store.nextPath()).toMatch(/^\/x\/rdp-now-\d+-[0-9a-f]{12}\.rdp$/);
    expect(store.nextPath(' .. ')).toMatch(/^\/x\/rdp-now-\d+-[0-9a-f]{12}\.rdp$/);
  });

  it.each([
    ['vm-bastion', 'vm-bastion'],
    ['.hidden', 'hidden'],
    ['trailing. ', 'trailing'],
    ['web 01', 'web 01'],
    ['..', ''],
    ['CON', '_CON'],
    ['nul.vm', '_nul.vm'],
    ['console', 'console'],
  ])('the file stem of %j is %j', (title, stem) => {
    expect(rdpFileStem(title)).toBe(stem);
  });
});
