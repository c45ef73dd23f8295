/** Whether anything still listens on a local port (a tunnel that closed must leave nothing behind). */
import net from 'node:net';

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export const listening = (port: number): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
