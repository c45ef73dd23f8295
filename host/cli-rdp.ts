/** The `.rdp` content the command line launches: the target, the user name, and clipboard and printers off. */
import { buildRdp } from '../shared/rdp-file';

export function cliRdp(host: string, port: number | undefined, user: string | undefined): string {
  return buildRdp({
    host,
    ...(port !== undefined && { port }),
    // Written off explicitly: clients' own defaults differ (mstsc redirects both unless told not to).
    settings: { ...(user !== undefined && { username: user }), redirectclipboard: 0, redirectprinters: 0 },
  });
}
