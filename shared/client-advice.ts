/** What to install when no RDP client is found, per OS: the host's E_NO_CLIENT and the set-up page say the same. Pure. */
import type { HostPlatform } from './protocol';

export function noClientAdvice(platform: HostPlatform): string {
  switch (platform) {
    case 'win32':
      return 'mstsc.exe was not found in System32; turn on the Remote Desktop Connection feature of Windows.';
    case 'darwin':
      return 'No Remote Desktop client was found; install Windows App from the Mac App Store.';
    default:
      return 'No Remote Desktop client was found; install Remmina (e.g. "sudo apt install remmina") or FreeRDP.';
  }
}
