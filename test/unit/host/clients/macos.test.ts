import { describe, expect, it } from 'vitest';
import { defaultClient, listClients, planLaunch } from '../../../../host/clients/index';
import { macosPlan, WINDOWS_APP_BUNDLE_ID } from '../../../../host/clients/macos';
import { BASIC, MAC_FILE, mac, machine, rdp } from '../../../support/machines';

describe('macOS: Windows App through open -b', () => {
  it('lists windows-app and custom', () => {
    expect(listClients(mac()).map((c) => [c.id, c.available])).toEqual([
      ['windows-app', true],
      ['custom', false],
    ]);
    expect(defaultClient(mac())).toBe('windows-app');
    expect(defaultClient(machine('darwin', { open: '/usr/bin/open' }))).toBeNull();
  });

  it('opens the file by bundle id', () => {
    const plan = planLaunch('windows-app', MAC_FILE, BASIC, mac());
    expect(WINDOWS_APP_BUNDLE_ID).toBe('com.microsoft.rdc.macos');
    expect(plan).toEqual({
      before: [],
      launch: { argv: ['/usr/bin/open', '-b', 'com.microsoft.rdc.macos', MAC_FILE] },
      argv: ['/usr/bin/open', '-b', 'com.microsoft.rdc.macos', MAC_FILE],
      needsFile: true,
    });
  });

  it('falls back to /usr/bin/open', () => {
    const m = machine('darwin', { 'windows-app': '/Applications/Windows App.app' });
    expect(macosPlan(MAC_FILE, m).argv).toEqual(['/usr/bin/open', '-b', 'com.microsoft.rdc.macos', MAC_FILE]);
  });

  it('the settings do not change the argv (everything is in the file)', () => {
    const settings = rdp('full address:s:[2001:db8::1]:3390', 'username:s:alice', 'domain:s:CONTOSO');
    expect(planLaunch('windows-app', MAC_FILE, settings, mac()).argv).toEqual([
      '/usr/bin/open',
      '-b',
      'com.microsoft.rdc.macos',
      MAC_FILE,
    ]);
  });
});
