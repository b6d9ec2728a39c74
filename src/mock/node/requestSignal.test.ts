import { once } from 'node:events';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { serveMock } from './serve.ts';

describe('serveMock: the request signal', () => {
  it('tells the handler the client left, even after a garbage collection mid-stream', async () => {
    // Node links a Request's signal to the one it was given only while that Request lives
    // (nodejs/node#55428): the host must keep the Request until its answer ends.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let heard: (reason: unknown) => void = () => {};
    const left = new Promise<unknown>((resolve) => (heard = resolve));
    const server = await serveMock(async (request) => {
      const { signal } = request;
      signal.addEventListener('abort', () => heard(signal.reason));
      const body = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new TextEncoder().encode('data: 1\n\n')),
        pull: () => new Promise<void>(() => {}),
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    try {
      const socket = connect(server.port, '127.0.0.1');
      socket.write('GET /stream HTTP/1.1\r\nhost: x\r\n\r\n');
      await once(socket, 'data');
      await new Promise((resolve) => setImmediate(resolve)); // a WeakRef holds its target until the task ends
      gc();
      socket.destroy();
      const reason = await Promise.race([
        left,
        new Promise((resolve) => setTimeout(() => resolve('never heard'), 2000)),
      ]);
      expect(String(reason)).toBe('Error: client disconnected');
    } finally {
      await server.close();
    }
  });
});
