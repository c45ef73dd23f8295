/** The VM's name in each client's window: FreeRDP takes `/t:`, Remmina a profile's name, the others the file's. */
import { describe, expect, it } from 'vitest';
import { planLaunch } from '../../../../host/clients/index';
import { BASIC, linux, MSTSC, machine, windows } from '../../../support/machines';

const TITLED = '/home/ann/.local/state/rdp-now/rdp/rdp-now-1-3f2a/vm-bastion.rdp';

describe('a launch with a title', () => {
  it.each([
    ['sdl-freerdp3', ['sdl-freerdp3'], ['/usr/bin/sdl-freerdp3', TITLED, '/t:vm-bastion']],
    [
      'xfreerdp3',
      ['xfreerdp3', 'xterm'],
      ['/usr/bin/xterm', '-e', '/usr/bin/xfreerdp3', TITLED, '/t:vm-bastion'],
    ],
    [
      'xfreerdp',
      ['xfreerdp', 'xterm'],
      ['/usr/bin/xterm', '-e', '/usr/bin/xfreerdp', TITLED, '/t:vm-bastion'],
    ],
    ['remmina', ['remmina'], ['/usr/bin/remmina', '-c', TITLED.replace(/\.rdp$/, '.remmina')]],
    ['xdg-open', ['xdg-open'], ['/usr/bin/xdg-open', TITLED]],
  ] as const)('%s: %j', (client, installed, argv) => {
    expect(planLaunch(client, TITLED, BASIC, linux(installed), 'vm-bastion').argv).toEqual(argv);
  });

  it('a title with spaces stays one FreeRDP argument', () => {
    expect(planLaunch('sdl-freerdp3', TITLED, BASIC, linux(['sdl-freerdp3']), 'web 01').argv).toEqual([
      '/usr/bin/sdl-freerdp3',
      TITLED,
      '/t:web 01',
    ]);
  });

  it('without a title FreeRDP gets no /t:', () => {
    expect(planLaunch('sdl-freerdp3', TITLED, BASIC, linux(['sdl-freerdp3'])).argv).toEqual([
      '/usr/bin/sdl-freerdp3',
      TITLED,
    ]);
  });

  it('the custom client and the Windows App get the titled file', () => {
    const custom = machine('linux', {}, { customClient: '/opt/client' });
    expect(planLaunch('custom', TITLED, BASIC, custom, 'vm-bastion').argv).toEqual(['/opt/client', TITLED]);
    const mac = machine('darwin', { open: '/usr/bin/open' });
    expect(planLaunch('windows-app', TITLED, BASIC, mac, 'vm-bastion').argv.at(-1)).toBe(TITLED);
  });

  it('mstsc keeps /v: (no security dialog) when the settings need no file, so the title goes unused', () => {
    expect(planLaunch('mstsc', TITLED, BASIC, windows(), 'vm-bastion').argv).toEqual([
      MSTSC,
      '/v:vm1.example.com',
    ]);
  });
});
