/**
 * A dropped stream drops its connection, even when its request was pipelined behind another and its
 * response had no socket yet when the scenario dropped it (`drop.ts`).
 */
import { createConnection } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createMockHandler, createVirtualClock, type RequestLog } from '../core/index.ts';
import { serveMock, type MockServer } from './serve.ts';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const post = (path: string, content: string): string => {
  const body = JSON.stringify({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content }],
  });
  return (
    `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
};

it('closes the connection of a pipelined stream dropped while the response before it still streams', async () => {
  const clock = createVirtualClock();
  const logs: RequestLog[] = [];
  server = await serveMock(
    createMockHandler({ clock, epochMs: () => 0, onLog: (l) => logs.push(l) }),
  );
  const socket = createConnection(server.port, '127.0.0.1');
  let text = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (text += d));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  // The first answer's first token is due at 1 s; the second, pipelined behind it, drops after 30 ms,
  // before it has the socket; a third waits behind both.
  socket.write(
    post('/knobs/ttft_ms=1000,tps=1000,reply_tokens=3/v1/chat/completions', 'first') +
      post(
        '/scenarios/disconnect/knobs/ttft_ms=0,tps=1000,reply_tokens=3/v1/chat/completions',
        'second',
      ) +
      post('/knobs/ttft_ms=0,reply_tokens=3/v1/chat/completions', 'third'),
  );
  await expect.poll(() => server!.active()).toBe(3);
  await clock.advance(30);
  expect(logs.map((l) => l.outcome)).toContain('failed');
  await clock.advance(2000);
  await closed;
  const responses = text.split(/(?=HTTP\/1\.1 )/);
  expect(responses.map((r) => r.slice(0, 15))).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
  expect(responses[0]).toMatch(/\r\n0\r\n\r\n$/);
  // What the dropped stream wrote arrives, with no terminating chunk.
  expect(responses[1]).toMatch(/data: /);
  expect(responses[1]).not.toMatch(/\r\n0\r\n\r\n/);
}, 3000);
