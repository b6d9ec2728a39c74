import { createServer, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requestBody, type NodeRequestBody } from './requestBody.ts';

/** Sends `raw` to a fresh server (closing the socket after when `cut`), resolves to what requestBody gave. */
async function bodyOf(raw: string, cut = false): Promise<NodeRequestBody> {
  let got!: (b: NodeRequestBody) => void;
  const result = new Promise<NodeRequestBody>((r) => (got = r));
  const server = createServer((req: IncomingMessage, res) => {
    void requestBody(req, 16).then((b) => {
      got(b);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write(raw, () => {
    if (cut) setImmediate(() => socket.destroy());
  });
  const body = await result;
  socket.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  return body;
}

const post = (headers: string, body: string): string =>
  `POST / HTTP/1.1\r\nHost: x\r\n${headers}\r\n\r\n${body}`;

describe('requestBody', () => {
  it('reads a small body with a declared length whole, as bytes', async () => {
    const b = await bodyOf(post('content-length: 11', '{"a":"bcd"}'));
    expect(b.streaming).toBe(false);
    expect(Buffer.from(b.body as Uint8Array).toString()).toBe('{"a":"bcd"}');
  });

  it('streams a chunked body or one larger than the cap', async () => {
    const chunked = await bodyOf(post('transfer-encoding: chunked', '3\r\nabc\r\n0\r\n\r\n'));
    expect(chunked.streaming).toBe(true);
    expect(await new Response(chunked.body as ReadableStream).text()).toBe('abc');
    const large = await bodyOf(post('content-length: 20', 'x'.repeat(20)));
    expect(large.streaming).toBe(true);
    expect(await new Response(large.body as ReadableStream).text()).toBe('x'.repeat(20));
  });

  it('gives a body that errors when the client leaves before its body ends', async () => {
    const b = await bodyOf(post('content-length: 10', 'abc'), true);
    expect(b.streaming).toBe(true);
    await expect(new Response(b.body as ReadableStream).text()).rejects.toThrow();
  });
});
