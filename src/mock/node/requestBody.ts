/**
 * The body of a Node request as the `Request` the handler gets: a small body with a declared length
 * (every SDK call: a few hundred bytes of JSON) is read whole into one buffer first, since wrapping
 * `req` in a Web `ReadableStream` (`Readable.toWeb`) and reading it back through undici costs more CPU
 * per request than the rest of the path to the first event. A chunked, unknown or larger body is passed
 * as a stream, as before, so the handler's size limit still reads no further than it needs. A request
 * whose body breaks off (the client went away) gives a body stream that errors with the same error,
 * as the stream would have.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** Bodies declared at most this long are read into memory before the handler runs. */
export const MAX_BUFFERED_BODY = 64 * 1024;

export interface NodeRequestBody {
  /** None for a GET or HEAD. */
  body?: Uint8Array | ReadableStream<Uint8Array>;
  /** Whether `body` is a stream (a `Request` then needs `duplex: 'half'`). */
  streaming: boolean;
}

export async function requestBody(
  req: IncomingMessage,
  maxBuffered = MAX_BUFFERED_BODY,
): Promise<NodeRequestBody> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const small = req.headers['transfer-encoding'] === undefined && declared <= maxBuffered;
  if (!small) return { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, streaming: true };
  try {
    return { body: await collect(req), streaming: false };
  } catch (error) {
    const failed = new ReadableStream<Uint8Array>({ start: (c) => c.error(error) });
    return { body: failed, streaming: true };
  }
}

function collect(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete)
        reject(new Error('aborted: the client closed the request before its body ended'));
    });
  });
}
