/**
 * The Node host: a `node:http` server around the pure handler. It turns each `IncomingMessage` into a
 * `Request` (a small body read whole first, a larger one streamed: `requestBody.ts`; `signal` aborted
 * when the client goes away) and writes the `Response` back
 * chunk by chunk, waiting for `drain` (backpressure). A streaming answer of the mock is read straight from
 * the transport's pull source (`readBody.ts`) and written one socket write per tick (`coalesce.ts`), the
 * headers with the first bytes and the terminator with the last. When the body errors (a `disconnect` or
 * `stall` scenario) the socket is destroyed, so the client sees the connection drop with no terminator.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MockHandler } from '../core/index.ts';
import { clientErrorAnswer } from './clientError.ts';
import { bodyWriter, directSocket } from './coalesce.ts';
import { dropConnection } from './drop.ts';
import { pushBody } from './pushBody.ts';
import { readBody, type BodyReader } from './readBody.ts';
import { requestBody, type NodeRequestBody } from './requestBody.ts';

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
  /** Open connections at most; more are dropped at once (and reported). Default 1,024. */
  maxConnections?: number;
  /** Time a client has to send its request headers. Default 10 s. */
  headersTimeoutMs?: number;
  /** Time a client has to send its whole request, body included (not the answer). Default 30 s. */
  requestTimeoutMs?: number;
  /** Called for each connection or request refused before the handler saw it. */
  onReject?: (rejection: Rejection) => void;
}

/** A connection or request the host refused, for the log. */
export interface Rejection {
  client: string;
  reason: string;
}

/** Serves `handler` over HTTP/1.1. Resolves once listening. */
export async function serveMock(
  handler: MockHandler,
  options: ServeOptions = {},
): Promise<MockServer> {
  const inFlight: InFlight = new Map();
  const server = createServer((req, res) => {
    void respond(handler, req, res, inFlight);
  });
  server.keepAliveTimeout = 5_000;
  guard(server, options);
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
      for (const controller of inFlight.keys()) controller.abort(new Error('server shutting down'));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * The requests being answered, each with its `Request` once made. The `Request` is kept until its answer
 * ends: Node links a Request's signal to the one it was given only while that Request lives
 * (nodejs/node#55428), and the handler listens to `request.signal` for the client leaving.
 */
type InFlight = Map<AbortController, Request | undefined>;

async function respond(
  handler: MockHandler,
  req: IncomingMessage,
  res: ServerResponse,
  inFlight: InFlight,
): Promise<void> {
  const controller = new AbortController();
  inFlight.set(controller, undefined);
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  req.socket.setNoDelay(true);
  try {
    // Two steps, so that a stream being written holds its body and its `Request` (kept in `inFlight`)
    // only: the `Response` is left behind once the head is written.
    const body = await answer(handler, req, res, controller, inFlight);
    if (body) await send(res, body, controller.signal);
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
      // The headers went out: cut the body off, as a failing upstream would (`drop.ts`).
      dropConnection(res);
    }
  } finally {
    inFlight.delete(controller);
    res.off('close', onClose);
  }
}

/**
 * Turns the request into a `Request`, asks the handler and writes the response's head. Returns the body
 * still to send, or `undefined` when the answer is complete (no body, `HEAD`, or a 400 for a request
 * that cannot be a `Request`).
 */
async function answer(
  handler: MockHandler,
  req: IncomingMessage,
  res: ServerResponse,
  controller: AbortController,
  inFlight: InFlight,
): Promise<BodyReader | undefined> {
  const host = req.headers.host ?? 'localhost';
  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const input: NodeRequestBody =
    method !== 'GET' && method !== 'HEAD' ? await requestBody(req) : { streaming: false };
  const request = buildRequest(
    res,
    () =>
      new Request(`http://${host}${req.url ?? '/'}`, {
        method,
        headers,
        body: input.body,
        signal: controller.signal,
        // Required by the fetch spec for a streaming request body.
        ...(input.streaming ? { duplex: 'half' } : {}),
      } as RequestInit),
  );
  if (!request) return undefined;
  inFlight.set(controller, request);
  const response = await handler(request, { client: clientAddress(req.socket.remoteAddress) });
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    outHeaders[name] = value;
  });
  res.writeHead(response.status, outHeaders);
  if (!response.body || method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return undefined;
  }
  return readBody(response.body);
}

/**
 * Sends the body: a plain stream's plan pushed frame by frame when due (`pushBody.ts`), anything else
 * read and written with one socket write per tick (`coalesce.ts`).
 */
async function send(res: ServerResponse, body: BodyReader, signal: AbortSignal): Promise<void> {
  const socket = directSocket(res);
  if (body.plan && socket) return pushBody(res, socket, body.plan, signal);
  const out = bodyWriter(res);
  const onAbort = (): void => body.cancel(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const value = await body.read();
      if (value === undefined) break;
      if (!out.write(value)) {
        // Full only means "send now": wait for 'drain' only if the socket is full too (a response
        // that never needed draining never emits it).
        out.flush();
        if (out.needsDrain()) await out.drained();
      }
      if (res.destroyed) break;
    }
    out.end();
  } catch {
    // A fault scenario errored the body, or the client left: drop the connection without a terminator,
    // after what was already written has been flushed (destroy() alone would discard it).
    out.flush();
    dropConnection(res);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** `::ffff:127.0.0.2` -> `127.0.0.2`: the address a person would recognise. */
export function clientAddress(address: string | undefined): string {
  return (address ?? 'unknown').replace(/^::ffff:/, '');
}

/**
 * Caps connections and bounds how long a client may take to send a request, so idle or slow sockets
 * cannot exhaust the mock. Each refusal is reported through `onReject`.
 */
function guard(server: Server, options: ServeOptions): void {
  server.maxConnections = options.maxConnections ?? 1024;
  server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.requestTimeout = options.requestTimeoutMs ?? 30_000;
  // How often Node checks those two timeouts (its default, 30 s, would let idle sockets pile up).
  (server as Server & { connectionsCheckingInterval?: number }).connectionsCheckingInterval = 1000;
  const report = (client: string | undefined, reason: string): void =>
    options.onReject?.({ client: clientAddress(client), reason });
  server.on('drop', (data?: { remoteAddress?: string }) =>
    report(data?.remoteAddress, `connection dropped: already ${server.maxConnections} open`),
  );
  // A request refused once may raise more parser errors as the rest of it arrives: one log line each.
  const refused = new WeakSet<Socket>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (refused.has(socket)) return void socket.destroy();
    refused.add(socket);
    const answer = clientErrorAnswer(error);
    report(socket.remoteAddress, answer.reason);
    // As Node's own default: answer unless a response to this request has begun (its body arrives
    // broken after its headers were read, say); then only closing is safe.
    const inFlight = (socket as { _httpMessage?: ServerResponse })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      socket.end(answer.response);
    } else socket.destroy();
  });
}

/** Builds the `Request`, or answers 400 when the client's request cannot be one (a bad Host header). */
function buildRequest(res: ServerResponse, build: () => Request): Request | null {
  try {
    return build();
  } catch (error) {
    res.writeHead(400, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(
      JSON.stringify({
        error: {
          message: `Bad request: ${(error as Error).message}`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      }),
    );
    return null;
  }
}
