/**
 * `rdp-now`: the native host and the command line. Only `native-host` is on the browser's critical path: it is
 * in this file's bundle, everything else is imported lazily, so the host starts about as fast as bare Node.
 */
import { EXIT, isUsageError, UsageError } from './cli-args';
import { readConfig } from './config';
import { serveNativeHost } from './native-host';
import { currentPlatform } from './paths';
import { createRuntime } from './runtime';
import { HOST_VERSION } from './version';

const USAGE = `Usage: rdp-now <command> [options]

Commands:
  native-host                     speak native messaging on stdin/stdout (browsers start this)
  install [--browser LIST] [--extension-id ID] [--target-dir DIR] [--dry-run]
                                  copy the host to a per-user folder and register it with browsers
  install --system [--browser LIST] [--extension-id ID] [--dry-run]
                                  as root / administrator: the same for every user of this machine
  uninstall [--system] [--browser LIST] [--target-dir DIR] [--dry-run]
                                  remove the registrations and the copied host
  doctor [--extension-id ID]      report what is registered where, which RDP clients exist, what is wrong
  check TARGET [--source-ip IP | --no-ip-lookup | --ip-lookup-url URL] [--port N] [--private] [--json]
        [--via direct|bastion|auto] [--token T|-] [--arm-endpoint URL] [--cloud NAME]
                                  check that RDP can reach a VM (TARGET: resource id or portal URL); the token
                                  comes from --token, AZURE_ACCESS_TOKEN, "rdp-now login", then "az login"
  connect TARGET [--user U] [--fix] [--add-nsg-rule] [--dry-run] [--client ID] [check options]
                                  check, fix (start, JIT, NSG rule with --add-nsg-rule), then launch
  connect ADDRESS[:PORT] [--user U] [--client ID] [--dry-run]
                                  start the RDP client for an address (no Azure checks)
  tunnel TARGET [--port N] [check options]
                                  open a tunnel through the VM's Azure Bastion on 127.0.0.1:N (a free port
                                  without --port) and keep it open until interrupted
  cleanup TARGET [--all] [check options]
                                  remove expired NSG rules RDP now added (all of them with --all)
  login [--tenant T] [--cloud C] [--device-code]
                                  sign in to Azure with no app registration (as the Azure CLI's client)
  logout                          forget the sign-in: the account, the cache file and its key
  account [--json]                who is signed in, and where the sign-in is kept
  --version, --help`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Chrome and Edge start the host with `chrome-extension://<id>/` (Windows adds --parent-window);
  // Firefox with the manifest's path and the add-on id.
  if (command === undefined || command.startsWith('chrome-extension://') || command.endsWith('.json')) {
    return runNativeHost(command?.endsWith('.json') ?? false);
  }
  switch (command) {
    case 'native-host':
      return runNativeHost(rest[0]?.endsWith('.json') ?? false);
    case 'install':
    case 'uninstall':
    case 'doctor':
      return (await import('./install/commands')).runInstallCommand(command, rest);
    case 'connect':
      return (await import('./connect-address')).runConnect(rest);
    case 'login':
    case 'logout':
    case 'account':
      return (await import('./auth/commands')).runAuthCommand(command, rest);
    case 'check':
    case 'cleanup':
    case 'tunnel':
      return (await import('./azure/commands')).runAzureCommand(command, rest);
    case '--version':
    case 'version':
      process.stdout.write(`${HOST_VERSION}\n`);
      return EXIT.ok;
    case '--help':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

async function runNativeHost(underFirefox: boolean): Promise<number> {
  const runtime = createRuntime({ underFirefox });
  // Files left by earlier launches: the clients have long read them.
  setImmediate(() => void runtime.store.removeStale().catch(() => undefined));
  return serveNativeHost(process.stdin, process.stdout, {
    version: HOST_VERSION,
    platform: currentPlatform(),
    machine: runtime.machine,
    store: runtime.store,
    log: runtime.log,
    simulatedHosts: readConfig(runtime.paths.configFile).config.simulation?.hosts,
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (isUsageError(error)) {
      process.stderr.write(`rdp-now: ${error.message}\n\n${USAGE}\n`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`rdp-now: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.noJudgement);
  },
);
