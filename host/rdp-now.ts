/**
 * The `rdp-now` entry (dist/host/rdp-now.mjs): checks the Node version, then loads the CLI and native host
 * (dist/host/cli.mjs). The CLI is a separate module so that an older Node reaches this check instead of failing
 * while linking the CLI's imports; it costs one small file read on the browser's path.
 */
import { nodeVersionProblem } from './node-version';

const problem = nodeVersionProblem(process.versions.node);
if (problem !== null) {
  process.stderr.write(`rdp-now: ${problem}\n`);
  process.exit(2);
}
void import('./cli');
