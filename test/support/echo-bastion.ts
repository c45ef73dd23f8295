/** The simulated Bastion data plane relaying to a TCP echo server on loopback: what a tunnel's bytes meet in tests. */
import net, { type AddressInfo } from 'node:net';
import { type SimulatedBastion, startSimulatedBastion } from '../../sim/bastion';
import { testTls } from './test-azure';

export interface EchoBastion {
  bastion: SimulatedBastion;
  close(): Promise<void>;
}

export async function startEchoBastion(): Promise<EchoBastion> {
  const echo = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const bastion = await startSimulatedBastion({
    target: { host: '127.0.0.1', port: (echo.address() as AddressInfo).port },
    tls: testTls(),
  });
  return {
    bastion,
    close: async () => {
      await bastion.close();
      await new Promise((resolve) => echo.close(resolve));
    },
  };
}
