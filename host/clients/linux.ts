/**
 * Linux clients, in the order of docs/PROTOCOL.md §2. Started from a browser there is no terminal: Remmina and
 * FreeRDP 3's SDL client ask for the password in a window; FreeRDP's X11 clients only in a terminal, so they
 * run inside a terminal emulator; xdg-open is the last resort.
 */
import type { RdpSettings } from '../../shared/rdp-file';
import type { Machine } from './machine';

export const LINUX_CLIENTS = [
  { id: 'remmina', name: 'Remmina', program: 'remmina' },
  { id: 'sdl-freerdp3', name: 'FreeRDP 3 (SDL)', program: 'sdl-freerdp3' },
  { id: 'xfreerdp3', name: 'FreeRDP 3 (X11) in a terminal', program: 'xfreerdp3' },
  { id: 'xfreerdp', name: 'FreeRDP 2 (X11) in a terminal', program: 'xfreerdp' },
  { id: 'xdg-open', name: 'The desktop default for .rdp files', program: 'xdg-open' },
] as const;
export type LinuxClientId = (typeof LINUX_CLIENTS)[number]['id'];

/** Terminal emulators and the arguments that come before the command they should run. */
export const TERMINALS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['x-terminal-emulator', ['-e']],
  ['gnome-terminal', ['--']],
  ['konsole', ['-e']],
  ['xfce4-terminal', ['-x']],
  ['kitty', []],
  ['alacritty', ['-e']],
  ['foot', []],
  ['xterm', ['-e']],
];

export function findTerminal(machine: Machine): string[] | null {
  for (const [program, prefix] of TERMINALS) {
    const found = machine.programs.get(program);
    if (found) return [found, ...prefix];
  }
  return null;
}

export function isLinuxClientAvailable(id: LinuxClientId, machine: Machine): boolean {
  const program = LINUX_CLIENTS.find((c) => c.id === id)?.program;
  if (!program || !machine.programs.has(program)) return false;
  return id === 'xfreerdp' || id === 'xfreerdp3' ? findTerminal(machine) !== null : true;
}

/**
 * FreeRDP options after the file override it; `domain:s:` alone is ignored by FreeRDP, so it is passed apart, and
 * the window's title (`/t:`, FreeRDP 2 and 3) names the VM where the file may say only 127.0.0.1.
 * No `/cert:` option: FreeRDP then asks before trusting a new or changed certificate (in the terminal, or in
 * sdl-freerdp3's dialog). Accepting the first one seen silently would let anyone holding a reused Azure IP
 * take the connection.
 */
function freerdpArgs(file: string, settings: RdpSettings, title: string | undefined): string[] {
  const domain = settings.values.get('domain');
  return [
    file,
    ...(typeof domain === 'string' && domain !== '' ? [`/d:${domain}`] : []),
    ...(title !== undefined ? [`/t:${title}`] : []),
  ];
}

export function linuxArgv(
  id: LinuxClientId,
  file: string,
  settings: RdpSettings,
  machine: Machine,
  title?: string,
): string[] {
  const program = machine.programs.get(LINUX_CLIENTS.find((c) => c.id === id)?.program ?? '');
  if (!program) throw new Error(`${id} is not installed.`);
  switch (id) {
    case 'remmina':
      return [program, '-c', file];
    case 'sdl-freerdp3':
      return [program, ...freerdpArgs(file, settings, title)];
    case 'xfreerdp3':
    case 'xfreerdp': {
      const terminal = findTerminal(machine);
      if (!terminal) throw new Error('No terminal emulator is installed.');
      return [...terminal, program, ...freerdpArgs(file, settings, title)];
    }
    case 'xdg-open':
      return [program, file];
  }
}
