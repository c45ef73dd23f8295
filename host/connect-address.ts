/** `rdp-now connect ADDRESS[:PORT]`: the launch the extension's context menu makes, from a terminal. */
import { parseHostPort } from '../shared/ip';
import { CLIENT_IDS, type ClientId, ProtocolError } from '../shared/protocol';
import { buildRdp, RdpError } from '../shared/rdp-file';
import { EXIT, parseOptions, UsageError } from './cli-args';
import { launch } from './launch';
import { createRuntime } from './runtime';

const OPTIONS = {
  user: { type: 'string' },
  client: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export async function runConnect(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS, true);
  if (positionals.length !== 1) throw new UsageError('connect needs exactly one TARGET.');
  const client = values.client ?? 'auto';
  if (client !== 'auto' && !(CLIENT_IDS as readonly string[]).includes(client)) {
    throw new UsageError(`Unknown client "${client}"; use auto or one of ${CLIENT_IDS.join(', ')}.`);
  }
  const rdp = rdpForAddress(positionals[0] as string, values.user);
  const runtime = createRuntime();
  try {
    const result = await launch(
      { rdp, client: client as ClientId | 'auto', dryRun: values['dry-run'] ?? false },
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

/** A bare `address[:port]` (IPv6 in brackets when a port follows), as the host would accept it. */
export function rdpForAddress(target: string, user: string | undefined): string {
  const address = parseHostPort(target);
  if (!address) throw new UsageError(`"${target}" is neither a VM nor an address[:port] to connect to.`);
  try {
    return buildRdp({
      host: address.host,
      ...(address.port !== undefined && { port: address.port }),
      ...(user !== undefined && { settings: { username: user } }),
    });
  } catch (error) {
    if (error instanceof RdpError) throw new UsageError(error.message);
    throw error;
  }
}
