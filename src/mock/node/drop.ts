/**
 * Drops a streaming response's connection the way a failing upstream does: what was written still
 * reaches the client (a bare `destroy()` would discard it), then the connection closes with no
 * terminating chunk, so the client sees the body cut off. A socket that will not close in a second is
 * destroyed.
 *
 * A pipelined response still waiting its turn has no socket yet (what it wrote is buffered): the drop
 * happens once the socket is handed to it and its buffered bytes are written. (`res.destroy()` would not
 * do: without a socket it only marks the response destroyed, and the socket, handed over later, stays
 * open with the response never ended, and the client waits forever.)
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export function dropConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket) return dropSocket(socket);
  // Node emits 'socket' before it writes the buffered output: drop after that write.
  res.once('socket', (handed: Socket) => process.nextTick(dropSocket, handed));
}

function dropSocket(socket: Socket): void {
  if (socket.destroyed) return;
  socket.end();
  const timer = setTimeout(() => socket.destroy(), 1000).unref();
  socket.once('close', () => clearTimeout(timer));
}
