/** The `.rdp` content the extension asks the host to launch: the target plus the user's settings. Pure. */
import { sessionRdp } from '../../shared/rdp-file';
import { type Settings, userFor } from '../settings';

export function rdpContent(host: string, port: number, settings: Settings, vmId: string | null): string {
  const values: Record<string, string | number> = {};
  const user = vmId ? userFor(settings, vmId) : settings.defaultUser;
  if (user) values.username = user;
  const { display, redirections } = settings;
  values['screen mode id'] = display.mode === 'fullscreen' ? 2 : 1;
  if (display.mode === 'window' && display.width !== undefined) values.desktopwidth = display.width;
  if (display.mode === 'window' && display.height !== undefined) values.desktopheight = display.height;
  if (display.multimon) values['use multimon'] = 1;
  if (settings.entraSignIn) values.enablerdsaadauth = 1;
  if (redirections.clipboard) values.redirectclipboard = 1;
  if (redirections.printers) values.redirectprinters = 1;
  return sessionRdp(host, port, values);
}
