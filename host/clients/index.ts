/** The client catalogue: which clients exist on this platform, which is the default, and how each is started. */
import { noClientAdvice } from '../../shared/client-advice';
import { type ClientId, type ClientInfo, type LaunchClient, ProtocolError } from '../../shared/protocol';
import type { RdpSettings } from '../../shared/rdp-file';
import { isLinuxClientAvailable, LINUX_CLIENTS, type LinuxClientId, linuxArgv } from './linux';
import type { LaunchPlan, Machine } from './machine';
import { macosPlan } from './macos';
import { remminaProfile, remminaProfilePath } from './remmina';
import { windowsPlan } from './windows';

export function listClients(machine: Machine): ClientInfo[] {
  const own: ClientInfo[] =
    machine.platform === 'win32'
      ? [{ id: 'mstsc', name: 'Remote Desktop Connection (mstsc)', available: machine.programs.has('mstsc') }]
      : machine.platform === 'darwin'
        ? [{ id: 'windows-app', name: 'Windows App', available: machine.programs.has('windows-app') }]
        : LINUX_CLIENTS.map((c) => ({
            id: c.id,
            name: c.name,
            available: isLinuxClientAvailable(c.id, machine),
          }));
  return [
    ...own,
    { id: 'custom', name: 'Custom client (RDPNOW_CLIENT)', available: machine.customClient !== null },
  ];
}

/** The custom client when set, else the first available client in the platform's order. */
export function defaultClient(machine: Machine): ClientId | null {
  if (machine.customClient) return 'custom';
  return listClients(machine).find((c) => c.available)?.id ?? null;
}

export function chooseClient(machine: Machine, requested: LaunchClient): ClientId {
  // A custom client set by the user (or a test) runs every launch, whichever client was asked for.
  if (machine.customClient) return 'custom';
  if (requested === 'auto') {
    const found = defaultClient(machine);
    if (!found) throw new ProtocolError('E_NO_CLIENT', noClientAdvice(machine.platform));
    return found;
  }
  const info = listClients(machine).find((c) => c.id === requested);
  if (!info) {
    throw new ProtocolError(
      'E_NO_CLIENT',
      `The client "${requested}" does not exist on ${machine.platform}.`,
    );
  }
  if (!info.available) throw new ProtocolError('E_NO_CLIENT', unavailableAdvice(requested, machine));
  return requested;
}

export function planLaunch(
  client: ClientId,
  file: string,
  settings: RdpSettings,
  machine: Machine,
  title?: string,
): LaunchPlan {
  if (client === 'custom') {
    if (!machine.customClient) throw new ProtocolError('E_NO_CLIENT', unavailableAdvice('custom', machine));
    const argv = [machine.customClient, file];
    return { before: [], launch: { argv }, argv, needsFile: true };
  }
  if (client === 'mstsc') return windowsPlan(file, settings, machine);
  if (client === 'windows-app') return macosPlan(file, machine);
  if (client === 'remmina' && title !== undefined) {
    const profile = { path: remminaProfilePath(file), text: remminaProfile(settings, title) };
    const argv = linuxArgv(client, profile.path, settings, machine, title);
    return { before: [], launch: { argv }, argv, needsFile: false, profile };
  }
  const argv = linuxArgv(client as LinuxClientId, file, settings, machine, title);
  return { before: [], launch: { argv }, argv, needsFile: true };
}

function unavailableAdvice(client: ClientId, machine: Machine): string {
  switch (client) {
    case 'custom':
      return 'No custom client is set; set RDPNOW_CLIENT or "client" in the config file to an executable.';
    case 'xfreerdp':
    case 'xfreerdp3':
      return machine.programs.has(client)
        ? `${client} needs a terminal emulator to ask for the password; install one (e.g. xterm) or Remmina.`
        : `${client} is not installed; install FreeRDP or choose another client.`;
    default:
      return `${client} is not installed on this machine; install it or choose another client.`;
  }
}

export { noClientAdvice };
