/**
 * Pumps bytes between a TCP socket and a WebSocket that carries them as binary frames (docs/notes/bastion.md),
 * like the Azure CLI's tunnel (a read from one side, a send to the other) but with back-pressure both ways: TCP
 * reading pauses while the WebSocket holds `highWaterMark` bytes not yet taken by the kernel, and the WebSocket
 * stops reading while TCP's write buffer holds as many, so a slow side holds the other back instead of filling
 * memory. Each TCP read goes out as one frame and each frame is written as it came: the pump adds no copy.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';

export interface PumpOptions {
  /** Bytes either direction may hold unsent before its source is paused. */
  highWaterMark: number;
  /** Called once, when the first bytes from the WebSocket are written to TCP. */
  onFirstByte?: (() => void) | undefined;
}

/** Starts pumping on an open WebSocket. When TCP ends or closes, the WebSocket is closed with 1000. */
export function pump(socket: Socket, ws: WebSocket, options: PumpOptions): void {
  const { highWaterMark } = options;
  let tcpPaused = false;
  const afterSend = (error?: Error) => {
    if (!error && tcpPaused && ws.bufferedAmount < highWaterMark) {
      tcpPaused = false;
      socket.resume();
    }
  };
  socket.on('data', (chunk: Buffer) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(chunk, { binary: true }, afterSend);
    if (!tcpPaused && ws.bufferedAmount >= highWaterMark) {
      tcpPaused = true;
      socket.pause();
    }
  });
  const closeWs = () => {
    if (ws.readyState !== WebSocket.OPEN) return;
    // A paused WebSocket would never read the Bastion's close frame: the session would linger until ws times out.
    ws.resume();
    ws.close(1000);
  };
  socket.once('end', closeWs);
  socket.once('close', closeWs);

  let first = options.onFirstByte;
  ws.on('message', (data: Buffer) => {
    if (!socket.writable) return;
    socket.write(data);
    // 'drain' follows once the buffer is empty again (this write returned false: it is over the default mark).
    if (socket.writableLength >= highWaterMark) ws.pause();
    if (first) {
      first();
      first = undefined;
    }
  });
  socket.on('drain', () => ws.resume());
  socket.resume();
}
