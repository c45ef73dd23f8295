import { describe, expect, it } from 'vitest';
import { BROWSERS, type BrowserId } from '../../../../host/install/browsers';
import { type DoctorFacts, diagnose, type Finding, type Registration } from '../../../../host/install/doctor';
import { chromiumManifest, firefoxManifest } from '../../../../host/install/host-files';
import { manifestPath } from '../../../../host/install/plan';
import { NO_POLICIES } from '../../../../host/install/policies';
import type { ClientInfo } from '../../../../shared/protocol';
import { ID, LINUX, OTHER_ID } from '../../../support/install';

const WRAPPER = '/home/ann/.local/share/rdp-now/rdp-now-host';

function registration(browser: BrowserId, over: Partial<Registration> = {}): Registration {
  const manifest =
    browser === 'firefox' ? { ...firefoxManifest(WRAPPER) } : { ...chromiumManifest(WRAPPER, [ID]) };
  return {
    browser,
    browserPresent: true,
    manifestPath: manifestPath(LINUX, browser),
    manifest: manifest as unknown as Record<string, unknown>,
    wrapperOk: true,
    wrapperNode: '/usr/bin/node',
    wrapperNodeExists: true,
    ...over,
  };
}

function missing(browser: BrowserId, browserPresent = false): Registration {
  return registration(browser, {
    browserPresent,
    manifest: 'missing',
    wrapperOk: false,
    wrapperNode: null,
    wrapperNodeExists: false,
  });
}

const CLIENTS: ClientInfo[] = [
  { id: 'remmina', name: 'Remmina', available: true },
  { id: 'sdl-freerdp3', name: 'FreeRDP 3 (SDL)', available: false },
  { id: 'xfreerdp3', name: 'FreeRDP 3 (X11) in a terminal', available: false },
  { id: 'xfreerdp', name: 'FreeRDP 2 (X11) in a terminal', available: false },
  { id: 'xdg-open', name: 'The desktop default for .rdp files', available: true },
  { id: 'custom', name: 'Custom client (RDPNOW_CLIENT)', available: false },
];

function facts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    platform: 'linux',
    version: '0.1.0',
    extensionIds: [ID],
    installedVersion: '0.1.0',
    registrations: [
      registration('chrome'),
      missing('chromium'),
      missing('edge'),
      missing('brave'),
      missing('vivaldi'),
      registration('firefox'),
    ],
    clients: CLIENTS,
    defaultClient: 'remmina',
    clientProblems: [],
    sandboxed: [],
    systemManifests: {},
    policies: NO_POLICIES,
    ...over,
  };
}

/** Runs diagnose and checks that every finding is one sentence. */
function run(f: DoctorFacts): Finding[] {
  const findings = diagnose(f);
  for (const { text } of findings) {
    expect(text, text).toMatch(/\.$/);
    expect(text.slice(0, -1), text).not.toMatch(/[.!?]\s+[A-Z]/);
    expect(text, text).not.toContain('\n');
  }
  return findings;
}

function problems(findings: Finding[]): string[] {
  return findings.filter((f) => !f.ok).map((f) => f.text);
}

describe('diagnose', () => {
  it('all fine: every finding ok, each registration and the clients reported', () => {
    const findings = run(facts());
    expect(problems(findings)).toEqual([]);
    expect(findings.map((f) => f.text)).toEqual([
      'Google Chrome: registered (/home/ann/.config/google-chrome/NativeMessagingHosts/com.rdpnow.host.json).',
      'Firefox: registered (/home/ann/.mozilla/native-messaging-hosts/com.rdpnow.host.json).',
      'Host version 0.1.0: an extension that needs a newer one says so; update with "npx rdp-now@latest install".',
      'RDP clients: remmina, xdg-open (default: remmina).',
    ]);
  });

  it('nothing registered', () => {
    const findings = run(facts({ registrations: BROWSERS.map((b) => missing(b)), installedVersion: null }));
    const bad = problems(findings);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/not registered for any browser/);
    expect(bad[0]).toContain('rdp-now install');
  });

  it('nothing registered although browsers are installed: one finding per browser', () => {
    const findings = run(
      facts({ registrations: [missing('chrome', true), missing('edge', true), missing('firefox')] }),
    );
    const bad = problems(findings);
    expect(bad).toHaveLength(3);
    expect(bad[0]).toMatch(
      /^Google Chrome is installed but RDP now is not registered for it.*rdp-now install/,
    );
    expect(bad[1]).toMatch(/^Microsoft Edge is installed but RDP now is not registered/);
    expect(bad[2]).toMatch(/not registered for any browser/);
  });

  it('an installed but unregistered browser', () => {
    const bad = problems(
      run(
        facts({
          registrations: [registration('chrome'), missing('vivaldi', true), missing('firefox', true)],
        }),
      ),
    );
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/Vivaldi is installed but RDP now is not registered/);
    expect(bad[1]).toMatch(/Firefox is installed but RDP now is not registered/);
    expect(bad.join(' ')).not.toMatch(/any browser/);
  });

  it.each<[string, () => Partial<DoctorFacts>, Array<RegExp | string>]>([
    [
      'a missing wrapper',
      () => ({ registrations: [registration('chrome', { wrapperOk: false, wrapperNode: null })] }),
      [WRAPPER, /missing or not executable/, 'rdp-now install'],
    ],
    [
      'the Node path in the wrapper is gone',
      () => ({
        registrations: [
          registration('chrome', {
            wrapperNode: '/home/ann/.nvm/versions/node/v18.0.0/bin/node',
            wrapperNodeExists: false,
          }),
        ],
      }),
      ['/home/ann/.nvm/versions/node/v18.0.0/bin/node', /no longer exists/, /Node/],
    ],
    [
      'a stale installed version',
      () => ({ installedVersion: '0.0.9' }),
      [/version 0\.0\.9.*0\.1\.0/, 'rdp-now install'],
    ],
    [
      'a manifest that allows another extension id',
      () => ({
        registrations: [
          registration('edge', {
            manifest: chromiumManifest(WRAPPER, [OTHER_ID]) as unknown as Record<string, unknown>,
          }),
        ],
      }),
      [/Microsoft Edge manifest does not allow the extension/, `--extension-id ${ID}`],
    ],
    [
      'an origin without the trailing slash does not count',
      () => ({
        registrations: [
          registration('chrome', {
            manifest: { ...chromiumManifest(WRAPPER, []), allowed_origins: [`chrome-extension://${ID}`] },
          }),
        ],
      }),
      [ID],
    ],
    [
      'Firefox without the add-on id',
      () => ({
        registrations: [
          registration('firefox', {
            manifest: { ...firefoxManifest(WRAPPER), allowed_extensions: ['someone-else@example.com'] },
          }),
        ],
      }),
      [/Firefox manifest does not allow rdp-now@rdpnow\.dev/, '--browser firefox'],
    ],
    [
      'Firefox given a Chromium manifest (allowed_origins only)',
      () => ({
        registrations: [
          registration('firefox', {
            manifest: chromiumManifest(WRAPPER, [ID]) as unknown as Record<string, unknown>,
          }),
        ],
      }),
      ['rdp-now@rdpnow.dev'],
    ],
  ])('one problem: %s', (_, over, says) => {
    const bad = problems(run(facts(over())));
    expect(bad).toHaveLength(1);
    for (const part of says) {
      if (typeof part === 'string') expect(bad[0]).toContain(part);
      else expect(bad[0]).toMatch(part);
    }
  });

  it('an unknown installed version (installed by hand) is not a problem', () => {
    expect(problems(run(facts({ installedVersion: null })))).toEqual([]);
  });

  it('several extension ids: every one must be allowed', () => {
    const manifest = chromiumManifest(WRAPPER, [ID]) as unknown as Record<string, unknown>;
    const bad = problems(
      run(facts({ extensionIds: [ID, OTHER_ID], registrations: [registration('chrome', { manifest })] })),
    );
    expect(bad).toHaveLength(1);
    expect(bad[0]).toContain(OTHER_ID);
    expect(bad[0]).not.toContain(`extension ${ID}`);
  });

  it('a manifest that is not JSON, or not ours', () => {
    const bad = problems(
      run(
        facts({
          registrations: [
            registration('chrome', { manifest: 'unreadable' }),
            registration('chromium', { manifest: { name: 'org.other.host', type: 'stdio', path: '/x' } }),
          ],
        }),
      ),
    );
    expect(bad).toHaveLength(2);
    expect(bad[0]).toMatch(/Google Chrome host manifest .* is not valid JSON/);
    expect(bad[1]).toMatch(/Chromium manifest .* is not an RDP now host manifest/);
  });

  it.each([
    ['Firefox', 'Snap'],
    ['Chromium', 'Flatpak'],
  ])('%s as a %s', (name, kind) => {
    const bad = problems(run(facts({ sandboxed: [{ name, kind }] })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(new RegExp(`^${name} is installed as a ${kind}`));
    expect(bad[0]).toMatch(/xdg-desktop-portal/);
  });

  it('a Windows policy blocking per-user hosts', () => {
    const policy = { source: 'HKLM\\SOFTWARE\\Policies\\Google\\Chrome', allowlist: [], blocklist: [] };
    const bad = problems(
      run(
        facts({
          platform: 'win32',
          policies: {
            chromium: {
              chrome: { ...policy, userLevelHosts: false },
              edge: { ...policy, userLevelHosts: false },
            },
            firefoxBlockedBy: null,
          },
          clients: [{ id: 'mstsc', name: 'Remote Desktop Connection (mstsc)', available: true }],
          defaultClient: 'mstsc',
        }),
      ),
    );
    // Edge is neither installed nor registered in these facts: only Chrome's registration is stopped.
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/Google Chrome policy \(NativeMessagingUserLevelHosts=false in HKLM/);
    expect(bad[0]).toMatch(/administrator to run "rdp-now install --system"/);
  });

  it('a machine-wide registration counts as registered', () => {
    const found = run(
      facts({
        registrations: [missing('chrome', true), registration('firefox')],
        systemManifests: { chrome: '/etc/opt/chrome/native-messaging-hosts/com.rdpnow.host.json' },
      }),
    );
    expect(problems(found)).toEqual([]);
    expect(found.map((f) => f.text)).toContain(
      'Google Chrome: registered for all users (/etc/opt/chrome/native-messaging-hosts/com.rdpnow.host.json).',
    );
  });

  it.each([
    ['linux', /Remmina/],
    ['win32', /mstsc\.exe/],
    ['darwin', /Windows App/],
  ] as const)('no RDP client on %s', (platform, advice) => {
    const clients = CLIENTS.map((c) => ({ ...c, available: false }));
    const bad = problems(run(facts({ platform, clients, defaultClient: null })));
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(advice);
  });

  it('client problems (e.g. a bad RDPNOW_CLIENT) are passed on', () => {
    const bad = problems(
      run(facts({ clientProblems: ['The custom client "rdp" must be an absolute path.'] })),
    );
    expect(bad).toEqual(['The custom client "rdp" must be an absolute path.']);
  });
});
