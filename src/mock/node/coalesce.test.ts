import { createServer, type ServerResponse } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bodyWriter, frameChunk, type BodyWriter } from './coalesce.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A server whose one response is written by `script` through `bodyWriter`; returns the raw bytes the
 * client received, the writer's mode and how many times the response's socket was written to.
 */
async function serve(
  script: (out: BodyWriter, res: ServerResponse) => Promise<void>,
  httpVersion: '1.1' | '1.0' = '1.1',
): Promise<{ raw: string; mode: string; socketWrites: number }> {
  let mode = '';
  let socketWrites = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    const socket = res.socket!;
    const write = socket.write.bind(socket) as (...a: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      socketWrites++;
      return write(...args);
    }) as typeof socket.write;
    const out = bodyWriter(res);
    mode = out.mode;
    // From a promise job, as the host's read loop writes.
    void Promise.resolve()
      .then(() => script(out, res))
      .then(() => {
        out.flush();
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.write(`GET / HTTP/${httpVersion}\r\nhost: x\r\nconnection: close\r\n\r\n`);
  });
  await new Promise((resolve) => server.close(resolve));
  return { raw, mode, socketWrites };
}

const bodyOf = (raw: string): string => raw.slice(raw.indexOf('\r\n\r\n') + 4);

describe('frameChunk', () => {
  it('frames pieces as one HTTP/1.1 chunk: hex length, CRLF, the bytes, CRLF', () => {
    const chunk = frameChunk([bytes(': sched 250\n'), bytes('data: é\n\n')], 12 + 10);
    expect(Buffer.from(chunk).toString('utf8')).toBe('16\r\n: sched 250\ndata: é\n\n\r\n');
  });
});

describe('bodyWriter', () => {
  it('sends what one tick writes, promise jobs included, as one framed chunk in one socket write', async () => {
    const { raw, mode, socketWrites } = await serve(async (out) => {
      out.write(bytes(': sched 250\n'));
      await Promise.resolve();
      out.write(bytes('data: {"a":1}\n\n'));
      await tick();
      out.write(bytes('data: {"a":2}\n\n'));
      await tick();
    });
    expect(mode).toBe('direct');
    expect(bodyOf(raw)).toBe(
      '1b\r\n: sched 250\ndata: {"a":1}\n\n\r\n' + 'f\r\ndata: {"a":2}\n\n\r\n' + '0\r\n\r\n',
    );
    // Two ticks, two writes; then the response's own terminator.
    expect(socketWrites).toBe(3);
  });

  it('flush() sends at once what the tick has written so far', async () => {
    const { raw } = await serve(async (out) => {
      out.write(bytes('data: one\n\n'));
      out.flush();
      out.write(bytes('data: two\n\n'));
    });
    expect(bodyOf(raw)).toBe('b\r\ndata: one\n\n\r\nb\r\ndata: two\n\n\r\n0\r\n\r\n');
  });

  it('falls back to res.write() when the response is not chunked (an HTTP/1.0 client)', async () => {
    const { raw, mode } = await serve(async (out) => {
      out.write(bytes('data: one\n\n'));
      await tick();
      out.write(bytes('data: two\n\n'));
    }, '1.0');
    expect(mode).toBe('response');
    expect(bodyOf(raw)).toBe('data: one\n\ndata: two\n\n');
  });

  it('reports a full socket and resolves drained() once the client reads', async () => {
    const big = new Uint8Array(1 << 20).fill(0x61);
    let sawFull = false;
    const { raw } = await serve(async (out) => {
      for (let i = 0; i < 4; i++) {
        if (!out.write(big)) {
          out.flush();
          if (out.needsDrain()) {
            sawFull = true;
            await out.drained();
          }
        }
      }
    });
    expect(sawFull).toBe(true);
    // Chunk sizes are whole MiB (hex 100000 to 400000, no letter a): every 'a' is the body's.
    const body = Buffer.from(bodyOf(raw), 'latin1');
    let count = 0;
    for (const byte of body) if (byte === 0x61) count++;
    expect(count).toBe(4 << 20);
  });
});
