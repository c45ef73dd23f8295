/**
 * The host's side of bench/bastion.ts in its own process, as the real host is apart from the RDP client: opens
 * a tunnel to the simulated Bastion at argv[2] with the CLI's session calls, prints its local port, and closes
 * it when stdin ends.
 */
import { deleteSession, requestSession, tunnelUrl } from '../host/tunnel/bastion-api';
import { openTunnel } from '../host/tunnel/tunnel';

const [url, vmId] = process.argv.slice(2) as [string, string];
const endpoint = { origin: url, wsOrigin: url.replace(/^https:/, 'wss:') };
const tunnel = await openTunnel({
  openSession: () => requestSession({ endpoint, vmId, port: 3389, armToken: 'bench' }),
  url: (session) => tunnelUrl(endpoint, session),
  closeSession: (session) => deleteSession(endpoint, session),
});
process.stdout.write(`${tunnel.port}\n`);
process.stdin.resume();
process.stdin.once('end', () => {
  void tunnel.close().then(() => process.exit(0));
});
