/**
 * Drops a streaming response's connection the way a failing upstream does: what was written still
 * reaches the client (a bare `destroy()` would discard it), then the connection closes with no
 * terminating chunk, so the client sees the body cut off. A socket that will not close in a second is
 * destroyed.
 */
import type { ServerResponse } from 'node:http';

export function dropConnection(res: ServerResponse): void {
  const socket = res.socket;
  if (socket && !socket.destroyed) {
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  } else {
    res.destroy();
  }
}
