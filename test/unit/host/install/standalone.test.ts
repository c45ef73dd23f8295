import { describe, expect, it } from 'vitest';
import { planInstall, planUninstall } from '../../../../host/install/plan';
import { standaloneActions, standaloneWrapperText } from '../../../../host/install/standalone';
import { planSystemInstall } from '../../../../host/install/system';
import { ID, LINUX, WIN } from '../../../support/install';

describe('standaloneActions', () => {
  it('Linux: copies the executable into the host folder, and the wrapper runs it without Node', () => {
    const exe = '/home/ann/Downloads/rdp-now-linux-x64';
    const actions = standaloneActions(
      planInstall(LINUX, { browsers: ['chrome'], extensionIds: [ID] }, '1'),
      'linux',
      exe,
    );
    expect(actions[0]).toEqual({
      kind: 'copy-host',
      from: exe,
      to: '/home/ann/.local/share/rdp-now/host/rdp-now',
    });
    expect(actions.find((a) => a.kind === 'write' && a.path.endsWith('/rdp-now-host'))).toMatchObject({
      content: '#!/bin/sh\nexec \'/home/ann/.local/share/rdp-now/host/rdp-now\' native-host "$@"\n',
      mode: 0o755,
    });
  });

  it('machine-wide plans are rewritten the same way', () => {
    const ctx = { ...LINUX, root: '/' };
    const actions = standaloneActions(
      planSystemInstall(ctx, { browsers: ['firefox'], extensionIds: [ID] }, '1'),
      'linux',
      '/tmp/rdp-now-linux-x64',
    );
    expect(actions[0]).toMatchObject({ to: '/opt/rdp-now/host/rdp-now' });
  });

  it('uninstall plans are left as they are', () => {
    const plan = planUninstall(LINUX, { browsers: ['chrome'], extensionIds: [ID] });
    expect(standaloneActions(plan, 'linux', '/x')).toEqual(plan);
  });

  it('Windows and awkward paths are quoted', () => {
    expect(standaloneWrapperText('win32', 'C:\\Users\\a%b\\rdp-now.exe')).toBe(
      '@echo off\r\n"C:\\Users\\a%%b\\rdp-now.exe" native-host %*\r\n',
    );
    expect(standaloneWrapperText('linux', "/home/o'brien/rdp-now")).toBe(
      "#!/bin/sh\nexec '/home/o'\\''brien/rdp-now' native-host \"$@\"\n",
    );
    expect(
      standaloneActions(
        planInstall(WIN, { browsers: ['edge'], extensionIds: [ID] }, '1'),
        'win32',
        'D:\\rdp-now.exe',
      )[0],
    ).toMatchObject({
      to: 'C:\\Users\\ann\\AppData\\Local\\rdp-now\\host\\rdp-now.exe',
    });
  });

  it('Windows: every registry value names a manifest whose wrapper runs the installed copy of the download', () => {
    const actions = standaloneActions(
      planInstall(WIN, { browsers: ['edge', 'firefox'], extensionIds: [ID] }, '1'),
      'win32',
      'C:\\Users\\ann\\Downloads\\rdp-now-win-x64.exe',
    );
    const installed = 'C:\\Users\\ann\\AppData\\Local\\rdp-now\\host\\rdp-now.exe';
    expect(actions[0]).toEqual({
      kind: 'copy-host',
      from: 'C:\\Users\\ann\\Downloads\\rdp-now-win-x64.exe',
      to: installed,
    });
    const written = new Map(actions.flatMap((a) => (a.kind === 'write' ? [[a.path, a.content]] : [])));
    const registered = actions.flatMap((a) => (a.kind === 'run' ? [a.argv[a.argv.indexOf('/d') + 1]] : []));
    expect(registered).toHaveLength(2);
    for (const manifestPath of registered) {
      const manifest = JSON.parse(written.get(manifestPath ?? '') ?? '') as { path: string };
      expect(written.get(manifest.path)).toBe(`@echo off\r\n"${installed}" native-host %*\r\n`);
    }
  });
});
