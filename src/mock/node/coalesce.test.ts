import { createServer, get, type ServerResponse } from 'node:http';
import { createConnection, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bodyWriter, frameChunk, type BodyWriter } from './coalesce.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A server whose one response is written by `script` through `bodyWriter` (then `end()`); returns the
 * raw bytes the client received, the writer's mode and the socket's writes as the kernel saw them (one
 * `_write` or `_writev` each: what corking merged counts once).
 */
async function serve(
  script: (out: BodyWriter, res: ServerResponse) => Promise<void>,
  httpVersion: '1.1' | '1.0' = '1.1',
): Promise<{ raw: string; mode: string; socketWrites: number }> {
  let mode = '';
  let socketWrites = 0;
  const server = createServer((_req, res) => {
    const socket = res.socket! as Socket & {
      _write: (...a: unknown[]) => void;
      _writev: (...a: unknown[]) => void;
    };
    for (const method of ['_write', '_writev'] as const) {
      const original = socket[method].bind(socket);
      socket[method] = (...args: unknown[]) => {
        socketWrites++;
        original(...args);
      };
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    // From a promise job, as the host's read loop writes (after `await handler(request)`).
    void Promise.resolve().then(async () => {
      const out = bodyWriter(res);
      mode = out.mode;
      await script(out, res);
      out.end();
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
  it('sends the headers with the first tick, each tick as one framed chunk in one write, the last with the end', async () => {
    const { raw, mode, socketWrites } = await serve(async (out) => {
      out.write(bytes(': sched 250\n'));
      await Promise.resolve();
      out.write(bytes('data: {"a":1}\n\n'));
      await tick();
      out.write(bytes('data: {"a":2}\n\n'));
      await tick();
      out.write(bytes('data: [DONE]\n\n'));
    });
    expect(mode).toBe('direct');
    expect(bodyOf(raw)).toBe(
      '1b\r\n: sched 250\ndata: {"a":1}\n\n\r\n' +
        'f\r\ndata: {"a":2}\n\n\r\n' +
        'e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n',
    );
    // Headers and the first tick; the second tick; the third tick and the terminator.
    expect(socketWrites).toBe(3);
  });

  it('sends the headers at the end of the first tick even when no bytes are ready yet', async () => {
    let seen: () => void = () => {};
    const headersSeen = new Promise<void>((resolve) => (seen = resolve));
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      void Promise.resolve().then(async () => {
        const out = bodyWriter(res);
        await headersSeen; // the client has the headers before any byte of the body exists
        out.write(bytes('data: late\n\n'));
        out.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const text = await new Promise<string>((resolve) => {
      get({ host: '127.0.0.1', port, agent: false }, (res) => {
        seen();
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      });
    });
    await new Promise((resolve) => server.close(resolve));
    expect(text).toBe('data: late\n\n');
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
