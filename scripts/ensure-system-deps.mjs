// The system programs `npm start` and `npm test` drive for real (Debian/Ubuntu package names). Run as root on
// Debian or Ubuntu it installs what is missing with apt-get, as the test set-up and CI need; otherwise it prints
// the missing packages and the exact command, and exits 1. Never a stack trace.
//
//   node scripts/ensure-system-deps.mjs          the test set (npm test's pretest)
//   node scripts/ensure-system-deps.mjs start    what npm start needs (no Firefox: the demo runs Chromium)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';

/** [program on PATH, Debian package, which runs need it] */
const PROGRAMS = [
  ['chromium', 'chromium', ['start', 'test']],
  ['firefox-esr', 'firefox-esr', ['test']],
  ['xfreerdp', 'freerdp2-x11', ['start', 'test']],
  ['freerdp-shadow-cli', 'freerdp2-shadow-x11', ['start', 'test']],
  ['winpr-hash', 'winpr-utils', ['start', 'test']],
  ['Xvfb', 'xvfb', ['start', 'test']],
  ['openssl', 'openssl', ['start', 'test']],
  // The Remmina profile test reads the file with GLib's own parser through Python's ctypes.
  ['python3', 'python3', ['test']],
  ['ss', 'iproute2', ['test']],
];

const onPath = (program) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** The packages of the programs this run needs and cannot find. */
function missingPackages(run) {
  return PROGRAMS.filter(([program, , runs]) => {
    if (!runs.includes(run)) return false;
    // npm start and the tests take another Chromium from RDPNOW_CHROMIUM.
    if (program === 'chromium' && process.env.RDPNOW_CHROMIUM && existsSync(process.env.RDPNOW_CHROMIUM))
      return false;
    return !onPath(program);
  }).map(([, pkg]) => pkg);
}

function main() {
  const run = process.argv[2] === 'start' ? 'start' : 'test';
  const what = run === 'start' ? 'npm start' : 'the tests';
  const missing = missingPackages(run);
  if (missing.length === 0) return 0;

  const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
  const debian = existsSync('/etc/debian_version');
  if (!debian) {
    console.error(
      `${what} need${run === 'start' ? 's' : ''} these programs, missing here (Debian/Ubuntu packages: ${missing.join(' ')}); ` +
        `install them with your system's package manager${process.platform === 'linux' ? '' : ' (npm start and the tests run on Linux)'}.`,
    );
    return 1;
  }
  if (process.getuid?.() !== 0) {
    console.error(
      `Missing system packages for ${what}: ${missing.join(' ')}. Install them with:\n  sudo ${install.join(' ')}`,
    );
    return 1;
  }
  console.log(`Installing ${missing.join(' ')} for ${what} ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ok = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env }).status === 0;
  if (!ok(install) && !(ok(['apt-get', 'update']) && ok(install))) {
    console.error(`Could not install ${missing.join(' ')}; run: ${install.join(' ')}`);
    return 1;
  }
  const still = missingPackages(run);
  if (still.length > 0) {
    console.error(
      `apt-get installed ${missing.join(' ')}, but ${still.join(' ')} still provide nothing on PATH.`,
    );
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(
    `Could not check the system packages: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
