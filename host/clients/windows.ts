/**
 * Windows: mstsc.exe by absolute path (libuv would search the current directory first), never through a
 * .cmd/.bat (CVE-2024-27980). Pure functions; they could not be run on a real Windows machine here.
 *
 * Why `/v:` when possible: since April 2026 every opened `.rdp` file shows a security dialog, while a
 * connection started by a computer name does not. So the file is used only for what `/v:` cannot express
 * (Entra ID sign-in, an opted-in redirection, non-default security or audio settings). The trade-off: with
 * `/v:` mstsc takes redirections from the user's own Default.rdp, exactly as when they type a computer name,
 * so the off-only settings of the canonical content are not forced off on that path.
 *
 * Escaping Firefox's job object: Firefox runs native hosts in a job that kills every child not created with
 * CREATE_BREAKAWAY_FROM_JOB when the host exits, and Node (libuv) cannot set that flag. Under Firefox the
 * client is therefore created by WMI (`Win32_Process.Create`), whose provider process lives outside the job;
 * the command line travels in an environment variable, so nothing the user set is ever parsed as script.
 */
import type { RdpSettings } from '../../shared/rdp-file';
import type { Command, LaunchPlan, Machine } from './machine';

export function system32(machine: Machine, exe: string): string {
  return `${machine.systemRoot}\\System32\\${exe}`;
}

/** Settings `/v:` cannot carry, with the value mstsc would use anyway (then the setting needs no file). */
const FILE_ONLY_DEFAULTS: ReadonlyArray<readonly [string, number]> = [
  ['enablerdsaadauth', 0],
  ['redirectclipboard', 0],
  ['redirectprinters', 0],
  ['audiomode', 0],
  ['authentication level', 2],
  ['enablecredsspsupport', 1],
  ['dynamic resolution', 1],
  ['smart sizing', 0],
];

export function needsRdpFile(settings: RdpSettings): boolean {
  return FILE_ONLY_DEFAULTS.some(([name, fallback]) => {
    const value = settings.values.get(name);
    return value !== undefined && value !== fallback;
  });
}

/**
 * The server as a person types it (`host`, `host:3390`, `[2001:db8::1]:3390`): mstsc keys its per-server
 * memory, including the user-name hint, by that text, so `/v:` and the hint must spell it the same way.
 */
export function mstscServer(settings: RdpSettings): string {
  const { host, port } = settings.target;
  const name = host.includes(':') ? `[${host}]` : host;
  return port === 3389 ? name : `${name}:${port}`;
}

export function mstscSwitches(settings: RdpSettings): string[] {
  const args = [`/v:${mstscServer(settings)}`];
  const get = (name: string) => settings.values.get(name);
  if (get('screen mode id') === 2) args.push('/f');
  if (get('desktopwidth') !== undefined) args.push(`/w:${get('desktopwidth')}`);
  if (get('desktopheight') !== undefined) args.push(`/h:${get('desktopheight')}`);
  if (get('use multimon') === 1) args.push('/multimon');
  if (get('prompt for credentials') === 1) args.push('/prompt');
  return args;
}

/** mstsc pre-fills the user name from this value; it is a hint only, never a credential. */
export function usernameHintCommand(settings: RdpSettings, machine: Machine): Command | null {
  const user = settings.values.get('username');
  if (typeof user !== 'string' || user === '') return null;
  const domain = settings.values.get('domain');
  const full =
    typeof domain === 'string' && domain !== '' && !user.includes('\\') ? `${domain}\\${user}` : user;
  return {
    argv: [
      system32(machine, 'reg.exe'),
      'add',
      `HKCU\\Software\\Microsoft\\Terminal Server Client\\Servers\\${mstscServer(settings)}`,
      '/v',
      'UsernameHint',
      '/t',
      'REG_SZ',
      '/d',
      full,
      '/f',
    ],
  };
}

/** Quotes one argument the way CommandLineToArgvW reads it back. */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    out += '\\'.repeat(ch === '"' ? backslashes * 2 + 1 : backslashes) + ch;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

const WMI_CREATE =
  '$r = Invoke-CimMethod -ClassName Win32_Process -MethodName Create ' +
  '-Arguments @{ CommandLine = $env:RDPNOW_COMMAND_LINE }; exit $r.ReturnValue';

export function outsideJobObject(argv: string[], machine: Machine): Command {
  return {
    argv: [
      system32(machine, 'WindowsPowerShell\\v1.0\\powershell.exe'),
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-Command',
      WMI_CREATE,
    ],
    env: { RDPNOW_COMMAND_LINE: argv.map(quoteWindowsArg).join(' ') },
  };
}

export function windowsPlan(file: string, settings: RdpSettings, machine: Machine): LaunchPlan {
  const mstsc = system32(machine, 'mstsc.exe');
  const needsFile = needsRdpFile(settings);
  const argv = needsFile ? [mstsc, file] : [mstsc, ...mstscSwitches(settings)];
  const hint = needsFile ? null : usernameHintCommand(settings, machine);
  return {
    before: hint ? [hint] : [],
    launch: machine.underFirefox ? outsideJobObject(argv, machine) : { argv },
    argv,
    needsFile,
  };
}
