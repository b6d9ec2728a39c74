/**
 * The Node host: a `node:http` server around the pure handler. It turns each `IncomingMessage` into a
 * `Request` (streaming body, `signal` aborted when the client goes away) and writes the `Response` back
 * chunk by chunk, waiting for `drain` (backpressure). When the body stream errors (a `disconnect` or
 * `stall` scenario) the socket is destroyed, so the client sees the connection drop with no terminator.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { MockHandler } from '../core/index.ts';

export interface MockServer {
  server: Server;
  /** `http://host:port` as bound. */
  url: string;
  port: number;
  /** Requests being answered right now (streams included). */
  active(): number;
  /** Aborts every in-flight request, closes all connections and the listener. */
  close(): Promise<void>;
}

export interface ServeOptions {
  port?: number;
  host?: string;
}

/** Serves `handler` over HTTP/1.1. Resolves once listening. */
export async function serveMock(
  handler: MockHandler,
  options: ServeOptions = {},
): Promise<MockServer> {
  const inFlight = new Set<AbortController>();
  const server = createServer((req, res) => {
    void respond(handler, req, res, inFlight);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A deep accept backlog: a workshop room (or the bench) connecting at once must not see resets.
    server.listen(
      { port: options.port ?? 0, host: options.host ?? '127.0.0.1', backlog: 4096 },
      () => {
        server.off('error', reject);
        resolve();
      },
    );
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    port: address.port,
    url: `http://${host}:${address.port}`,
    active: () => inFlight.size,
    async close() {
      for (const controller of inFlight) controller.abort(new Error('server shutting down'));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function respond(
  handler: MockHandler,
  req: IncomingMessage,
  res: ServerResponse,
  inFlight: Set<AbortController>,
): Promise<void> {
  const controller = new AbortController();
  inFlight.add(controller);
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  req.socket.setNoDelay(true);
  try {
    const host = req.headers.host ?? 'localhost';
    const method = req.method ?? 'GET';
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, value);
    }
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const request = new Request(`http://${host}${req.url ?? '/'}`, {
      method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      signal: controller.signal,
      // Required by the fetch spec for a streaming request body.
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
    const response = await handler(request);
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    res.writeHead(response.status, outHeaders);
    if (!response.body || method === 'HEAD') {
      await response.body?.cancel();
      res.end();
      return;
    }
    res.flushHeaders();
    const reader = response.body.getReader();
    const onAbort = (): void => {
      reader.cancel(controller.signal.reason).catch(() => {});
    };
    controller.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!res.write(value)) {
          await new Promise<void>((resolve) => {
            const settle = (): void => {
              res.off('drain', settle);
              res.off('close', settle);
              resolve();
            };
            res.on('drain', settle);
            res.on('close', settle);
          });
        }
        if (res.destroyed) break;
      }
      res.end();
    } catch {
      // A fault scenario errored the body, or the client left: drop the connection without a terminator,
      // after what was already written has been flushed (destroy() alone would discard it).
      const socket = res.socket;
      if (socket && !socket.destroyed) {
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      } else {
        res.destroy();
      }
    } finally {
      controller.signal.removeEventListener('abort', onAbort);
    }
  } catch (error) {
    if (!res.headersSent) {
      res.writeHead(500, {
        'content-type': 'application/json',
        'access-control-allow-origin': '*',
      });
      res.end(
        JSON.stringify({
          error: {
            message: `mock internal error: ${String(error)}`,
            type: 'server_error',
            param: null,
            code: null,
          },
        }),
      );
    } else {
      res.destroy();
    }
  } finally {
    inFlight.delete(controller);
    res.off('close', onClose);
  }
}
