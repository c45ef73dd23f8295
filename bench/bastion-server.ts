/**
 * The far side of bench/bastion.ts in its own process: a TCP echo server and the simulated Bastion relaying to
 * it. Prints `{"url", "echoPort"}` once listening; `latency <ms>` on stdin sets the Bastion's delay per request.
 */
import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { startSimulatedBastion } from '../sim/bastion';
import type { TlsMaterial } from '../sim/tls';

const tls = JSON.parse(readFileSync(process.env.RDPNOW_BENCH_TLS as string, 'utf8')) as TlsMaterial;
const echo = net.createServer((socket) => {
  socket.on('error', () => undefined);
  socket.pipe(socket);
});
await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
const echoPort = (echo.address() as AddressInfo).port;
const bastion = await startSimulatedBastion({ target: { host: '127.0.0.1', port: echoPort }, tls });
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line: string) => {
  const ms = /^latency (\d+)/.exec(line)?.[1];
  if (ms !== undefined) {
    bastion.setLatency(Number(ms));
    process.stdout.write('ok\n');
  }
});
process.stdin.once('end', () => {
  void bastion.close().then(() => echo.close(() => process.exit(0)));
});
process.stdout.write(`${JSON.stringify({ url: bastion.url, echoPort })}\n`);
