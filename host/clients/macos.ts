/**
 * macOS: Windows App (formerly Microsoft Remote Desktop), started by bundle id through `open`, which hands the
 * file to Launch Services, so the client never belongs to the host. Pure; not tried on a real Mac here.
 */
import type { LaunchPlan, Machine } from './machine';

export const WINDOWS_APP_BUNDLE_ID = 'com.microsoft.rdc.macos';
/** Where the app is found; both names carry the same bundle id. */
export const WINDOWS_APP_PATHS = [
  '/Applications/Windows App.app',
  '/Applications/Microsoft Remote Desktop.app',
];

export function macosPlan(file: string, machine: Machine): LaunchPlan {
  const argv = [machine.programs.get('open') ?? '/usr/bin/open', '-b', WINDOWS_APP_BUNDLE_ID, file];
  return { before: [], launch: { argv }, argv, needsFile: true };
}
