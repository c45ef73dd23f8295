// The test set-up: the system programs the tests drive for real. Installs what is missing with apt when
// running as root (CI), otherwise stops and prints the exact command.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const NEEDED = [
  ['chromium', 'chromium'],
  ['firefox-esr', 'firefox-esr'],
  ['xfreerdp', 'freerdp2-x11'],
  ['freerdp-shadow-cli', 'freerdp2-shadow-x11'],
  ['winpr-hash', 'winpr-utils'],
  ['Xvfb', 'xvfb'],
  ['ss', 'iproute2'],
];

const onPath = (program) =>
  (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const missing = NEEDED.filter(([program]) => !onPath(program)).map(([, pkg]) => pkg);
if (missing.length === 0) process.exit(0);

const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...missing];
if (process.getuid?.() !== 0) {
  console.error(`Missing system packages for the tests. Install them with:\n  sudo ${install.join(' ')}`);
  process.exit(1);
}
console.log(`Installing ${missing.join(' ')} ...`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const run = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env }).status === 0;
if (!run(install) && !(run(['apt-get', 'update']) && run(install))) {
  console.error(`Could not install ${missing.join(' ')}; run: ${install.join(' ')}`);
  process.exit(1);
}
