/** `rdp-now connect ADDRESS[:PORT]`: the launch the extension's context menu makes, from a terminal. */
import { type HostPort, parseHostPort } from '../shared/ip';
import { ProtocolError } from '../shared/protocol';
import { RdpError, sessionRdp } from '../shared/rdp-file';
import { AZURE_OPTIONS } from './azure/options';
import { clientOption, EXIT, parseOptions, UsageError } from './cli-args';
import { launch } from './launch';
import { createRuntime } from './runtime';

/** What a bare address can use; the other options belong to a VM's checks and fixes. */
const ADDRESS_OPTIONS = new Set(['user', 'client', 'dry-run', 'json']);

/** A bare address launches at once; anything else is a VM, checked (and fixed) first by the Azure commands. */
export async function runConnect(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, AZURE_OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError('connect needs exactly one TARGET.');
  const address = parseHostPort(positionals[0] as string);
  if (!address) return (await import('./azure/commands')).runAzureCommand('connect', args);
  const misplaced = Object.keys(values).filter((name) => !ADDRESS_OPTIONS.has(name));
  if (misplaced.length > 0) {
    throw new UsageError(`--${misplaced[0]} applies to a VM, not to a bare address.`);
  }
  const client = clientOption(values.client ?? 'auto');
  const rdp = rdpForAddress(address, values.user);
  const runtime = createRuntime();
  try {
    const result = await launch(
      { rdp, client, dryRun: values['dry-run'] ?? false },
      { machine: runtime.machine(), store: runtime.store, log: runtime.log },
    );
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const verb = values['dry-run'] ? 'Would run' : `Started ${result.client} (pid ${result.pid}):`;
      process.stdout.write(`${verb} ${result.argv.join(' ')}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    process.stderr.write(`rdp-now: ${error.message}\n`);
    return EXIT.notReady;
  }
}

/** `.rdp` content for a bare address, validated as the host validates any launch. */
export function rdpForAddress(address: HostPort, user: string | undefined): string {
  try {
    return sessionRdp(address.host, address.port, user !== undefined ? { username: user } : {});
  } catch (error) {
    if (error instanceof RdpError) throw new UsageError(error.message);
    throw error;
  }
}
