import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../tests/unit/gc.ts';
import { createMockFetch } from '../core/index.ts';
import { serveMock } from './serve.ts';

/** A handler whose stream never ends, and a promise of the reason its request's signal heard. */
function listeningHandler() {
  let heard: (reason: unknown) => void = () => {};
  const left = new Promise<unknown>((resolve) => (heard = resolve));
  const handler = async (request: Request): Promise<Response> => {
    const { signal } = request;
    signal.addEventListener('abort', () => heard(signal.reason));
    const body = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('data: 1\n\n')),
      pull: () => new Promise<void>(() => {}),
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  const heardWithin = (ms: number) =>
    Promise.race([left, new Promise((resolve) => setTimeout(() => resolve('never heard'), ms))]);
  return { handler, heardWithin };
}

describe('the request signal, after a garbage collection mid-stream', () => {
  it("createMockFetch: the caller's abort reaches the handler", async () => {
    const { handler, heardWithin } = listeningHandler();
    const f = createMockFetch(handler, { baseUrl: 'http://mock.test' });
    const controller = new AbortController();
    const response = await f('http://mock.test/stream', { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    await collectGarbage();
    controller.abort(new Error('the reader let go'));
    expect(String(await heardWithin(2000))).toBe('Error: the reader let go');
    await reader.cancel();
  });

  it('serveMock: the handler hears the client leave', async () => {
    // Node links a Request's signal to the one it was given only while that Request lives
    // (nodejs/node#55428): the host must keep the Request until its answer ends.
    const { handler, heardWithin } = listeningHandler();
    const server = await serveMock(handler);
    try {
      const socket = connect(server.port, '127.0.0.1');
      socket.write('GET /stream HTTP/1.1\r\nhost: x\r\n\r\n');
      await once(socket, 'data');
      await collectGarbage();
      socket.destroy();
      expect(String(await heardWithin(2000))).toBe('Error: client disconnected');
    } finally {
      await server.close();
    }
  });
});
