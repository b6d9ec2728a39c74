/**
 * Writes a streaming response's body with one socket write per tick: what the response writes within a
 * tick (a comment and the event after it, the several reads a slow reader's turn releases) is gathered
 * and leaves as one HTTP/1.1 chunk, framed here (`<hex length>\r\n<bytes>\r\n`) and written straight to
 * the response's socket, one `write` syscall for it all.
 *
 * Why not `res.cork()` + `res.write()`: Node's `OutgoingMessage.uncork()` uncorks the socket first and
 * then sends the chunk's length, CRLF, data and CRLF as four separate socket writes (four syscalls), and
 * even with the socket corked, `res.write()` costs four buffered writes and a `writev` per event. At a
 * thousand concurrent streams these writes are most of the server's time.
 *
 * The direct path is taken only when it is the same bytes Node would send: the response owns its socket
 * (not a pipelined request still waiting its turn) and frames its body as chunks (an HTTP/1.1 client,
 * no `content-length`). Otherwise the writer falls back to `res.write()` with the socket corked per
 * tick. Either way, backpressure is the socket's (or response's) `drain`.
 *
 * The writer also sends the headers (call it after `res.writeHead()`): in the direct path they wait,
 * corked, for the first tick's bytes and leave in the same write; `end()` sends the last bytes and the
 * terminating zero-length chunk together too.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';

export interface BodyWriter {
  /**
   * Queues `chunk` for this tick's write; false when the tick's queue or the socket is full: call
   * `flush()`, then await `drained()` if `needsDrain()`.
   */
  write(chunk: Uint8Array): boolean;
  /** Sends what this tick has queued now. */
  flush(): void;
  /** Sends what is queued and ends the response (`res.end()`), in one write where it can. */
  end(): void;
  /** Whether the last write filled the socket's buffer. */
  needsDrain(): boolean;
  /** Resolves when the socket can take more (its `drain`), or when the response closes. */
  drained(): Promise<void>;
  /** `direct`: framed here, written to the socket; `response`: through `res.write()`. */
  readonly mode: 'direct' | 'response';
}

const CRLF = Buffer.from('\r\n');

/** One HTTP/1.1 chunk holding `pieces`, as one buffer. */
export function frameChunk(pieces: readonly Uint8Array[], length: number): Buffer {
  const head = `${length.toString(16)}\r\n`;
  const out = Buffer.allocUnsafe(head.length + length + 2);
  let at = out.write(head, 0, 'latin1');
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  CRLF.copy(out, at);
  return out;
}

/**
 * The response's socket, when its body may be framed here and written straight to it: the response owns
 * the socket (not a pipelined request still waiting its turn) and frames its body as chunks.
 */
export function directSocket(res: ServerResponse): Socket | undefined {
  const socket = res.socket;
  return socket && socket.writable && res.chunkedEncoding ? socket : undefined;
}

/** The writer for `res`'s body; call it after `res.writeHead()`: it sends the headers. */
export function bodyWriter(res: ServerResponse): BodyWriter {
  const socket = directSocket(res);
  if (socket) return directWriter(res, socket);
  res.flushHeaders();
  return responseWriter(res, res.socket ?? res);
}

function directWriter(res: ServerResponse, socket: Writable): BodyWriter {
  let pieces: Uint8Array[] = [];
  let length = 0;
  // The headers wait in the corked socket for the first tick's bytes (at the latest, the tick's end).
  let corked = true;
  socket.cork();
  res.flushHeaders();
  let scheduled = true;
  const writeQueued = (): void => {
    if (length === 0) return;
    const chunk = frameChunk(pieces, length);
    pieces = [];
    length = 0;
    if (!socket.destroyed) socket.write(chunk);
  };
  const flush = (): void => {
    scheduled = false;
    writeQueued();
    if (corked) {
      corked = false;
      socket.uncork();
    }
  };
  process.nextTick(flush);
  return {
    mode: 'direct',
    write(chunk) {
      if (chunk.length === 0) return !socket.writableNeedDrain;
      pieces.push(chunk);
      length += chunk.length;
      if (!scheduled) {
        scheduled = true;
        // After this tick's promise jobs too: the read loop's next chunks arrive as microtasks.
        process.nextTick(flush);
      }
      // As a corked stream would: a tick's worth past the high-water mark means "flush now".
      return length < socket.writableHighWaterMark && !socket.writableNeedDrain;
    },
    flush,
    end() {
      // res.end() fully uncorks the socket itself: the last bytes and the terminator share one write.
      if (!corked) socket.cork();
      corked = false;
      writeQueued();
      res.end();
    },
    needsDrain: () => socket.writableNeedDrain,
    drained: () => waitForDrain(socket, res),
  };
}

function responseWriter(res: ServerResponse, corkable: Writable): BodyWriter {
  let corked = false;
  const flush = (): void => {
    if (!corked) return;
    corked = false;
    corkable.uncork();
  };
  return {
    mode: 'response',
    write(chunk) {
      if (!corked) {
        corked = true;
        corkable.cork();
        process.nextTick(flush);
      }
      return res.write(chunk);
    },
    flush,
    end() {
      flush();
      res.end();
    },
    needsDrain: () => res.writableNeedDrain,
    drained: () => waitForDrain(res, res),
  };
}

/** Resolves on `drain` from `stream`, or on `close` from `res` (a drain that will never come). */
export function waitForDrain(stream: Writable, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const settle = (): void => {
      stream.off('drain', settle);
      res.off('close', settle);
      resolve();
    };
    stream.on('drain', settle);
    res.on('close', settle);
  });
}
