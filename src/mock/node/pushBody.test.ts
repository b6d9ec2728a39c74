/**
 * The Node host pushes a plain stream's planned frames (`pushBody.ts`) instead of reading its body:
 * the client must get the very bytes, endings and log a read body gives, one socket write per frame.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createConnection, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMockHandler,
  createVirtualClock,
  frameBytes,
  takeBodySource,
  type RequestLog,
} from '../core/index.ts';
import { planFrames } from '../core/bodyPlan.ts';
import { frameInPlace, MAX_WRITE, pushBody } from './pushBody.ts';
import { serveMock, type MockServer } from './serve.ts';

const FAST = 'knobs/ttft_ms=0,tps=2000,reply_tokens=12';
const chat = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Why push frames?' }],
});
const anthropic = JSON.stringify({
  model: 'claude-sonnet-4-5',
  max_tokens: 64,
  stream: true,
  messages: [{ role: 'user', content: 'Why push frames?' }],
});

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Raw {
  head: string;
  /** The chunked body as sent: size lines, data, CRLFs, and the terminator if there was one. */
  wire: string;
  /** Socket writes the server made for the response (headers included). */
  writes: number;
}

/** Serves a fresh handler; each accepted socket counts its writes into `writes`. */
async function start(logs: RequestLog[] = []): Promise<{ writes: number[] }> {
  const counts: number[] = [];
  server = await serveMock(createMockHandler({ epochMs: () => 0, onLog: (l) => logs.push(l) }));
  server.server.on('connection', (socket: Socket & Record<string, unknown>) => {
    const k = counts.push(0) - 1;
    for (const method of ['_write', '_writev'] as const) {
      const original = (socket[method] as (...a: unknown[]) => void).bind(socket);
      socket[method] = (...args: unknown[]) => {
        counts[k]!++;
        original(...args);
      };
    }
  });
  return { writes: counts };
}

/** One raw HTTP/1.1 request; resolves with the response as received once the server closes. */
function request(path: string, body: string, onSocket?: (s: Socket) => void): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(server!.port, '127.0.0.1');
    onSocket?.(socket);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (text += d));
    socket.on('close', () => {
      const at = text.indexOf('\r\n\r\n');
      resolve({ head: text.slice(0, at), wire: text.slice(at + 4), writes: 0 });
    });
    socket.on('error', reject);
    socket.write(
      `POST ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

/**
 * The body a reader of the handler's own stream gets (the reference: no host, no push), up to where the
 * stream errors if it does.
 */
async function expected(path: string, body: string): Promise<string> {
  const handle = createMockHandler({ epochMs: () => 0 });
  const res = await handle(
    new Request(`http://x${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    }),
  );
  const reader = res.body!.getReader();
  let text = '';
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read())
      text += Buffer.from(r.value).toString('latin1');
  } catch {
    // A scenario that drops the connection errors the stream: what came before is the reference.
  }
  return text;
}

/** The data of a chunked body, and whether it ended with the terminating chunk. */
function unchunk(wire: string): { data: string; chunks: number; terminated: boolean } {
  let data = '';
  let chunks = 0;
  for (let at = 0; at < wire.length;) {
    const eol = wire.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(wire.slice(at, eol), 16);
    if (size === 0) return { data, chunks, terminated: wire.slice(eol) === '\r\n\r\n' };
    data += wire.slice(eol + 2, eol + 2 + size);
    chunks++;
    at = eol + 2 + size + 2;
  }
  return { data, chunks, terminated: false };
}

/**
 * Pushes the plan of a request for `knobs`, made on a virtual clock, to a stand-in socket of
 * `highWaterMark` bytes whose writes stay pending (the socket full) until the test calls their `done`.
 */
async function pushToStandIn(knobs: string, highWaterMark: number) {
  const clock = createVirtualClock();
  const handle = createMockHandler({ clock, epochMs: () => 0 });
  const response = await handle(
    new Request(`http://x/knobs/${knobs}/v1/chat/completions`, { method: 'POST', body: chat }),
  );
  const plan = takeBodySource(response.body)!.plan!;
  const writes: Buffer[] = [];
  const pending: (() => void)[] = [];
  const socket = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk);
      pending.push(done);
    },
  });
  const state = { ended: false };
  const res = Object.assign(new EventEmitter(), {
    flushHeaders() {},
    end() {
      state.ended = true;
    },
  });
  /** Starts the push (call it once the clock is where the test wants it). */
  const push = () =>
    pushBody(
      res as unknown as ServerResponse,
      socket as unknown as Socket,
      plan,
      new AbortController().signal,
    );
  return { clock, plan, writes, pending, state, push };
}

describe('pushBody', () => {
  it('frames every frame as an HTTP/1.1 chunk, back to back, in the buffer the plan held', () => {
    const frames = planFrames(
      [
        { data: 'a', tokens: 0 },
        { data: 'é', tokens: 1 },
        { data: 'x'.repeat(300), tokens: 1 },
      ],
      [0, 5, 9],
      { trace: 0, heartbeat: 0, crlf: 0 },
    );
    const { wire, offsets } = frameInPlace(frames);
    expect(wire.toString('utf8')).toBe(
      `9\r\ndata: a\n\n\r\na\r\ndata: é\n\n\r\n134\r\ndata: ${'x'.repeat(300)}\n\n\r\n`,
    );
    expect([...offsets]).toEqual([0, 14, 29, wire.length]);
    // Taken over, not copied: the plan no longer holds the bytes (its columns stay).
    expect(frames.bytes.byteLength).toBe(0);
    expect(frames.ends[2]).toBe(9 + 10 + 308);
  });

  for (const [path, body] of [
    [`/${FAST},trace=1/v1/chat/completions`, chat],
    [`/${FAST},crlf=1/v1/responses`, chat.replace('"messages"', '"input"')],
    [`/${FAST}/v1/messages`, anthropic],
  ] as const) {
    it(`sends the bytes the handler's stream holds, one write per frame (${path})`, async () => {
      const logs: RequestLog[] = [];
      const { writes } = await start(logs);
      const raw = await request(path, body);
      const { data, chunks, terminated } = unchunk(raw.wire);
      expect(raw.head).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*transfer-encoding: chunked/i);
      expect(data).toBe(await expected(path, body));
      expect(terminated).toBe(true);
      // The headers leave with the frames due at once; then a write per frame, and the terminator.
      expect(writes[0]).toBeLessThanOrEqual(chunks + 1);
      expect(logs.map((l) => [l.outcome, l.events])).toEqual([['complete', expect.any(Number)]]);
      expect(logs[0]!.events).toBeGreaterThan(10);
    });
  }

  it('drops the connection with no terminator when the scenario disconnects, and logs it failed', async () => {
    const logs: RequestLog[] = [];
    await start(logs);
    const path = `/scenarios/disconnect/${FAST}/v1/chat/completions`;
    const raw = await request(path, chat);
    const { data, terminated } = unchunk(raw.wire);
    expect(terminated).toBe(false);
    expect(data).toMatch(/^data: /);
    expect(data).toBe(await expected(path, chat));
    expect(logs.map((l) => [l.outcome, l.reason])).toEqual([
      ['failed', 'connection dropped mid-stream (scenario disconnect)'],
    ]);
  });

  it('stalls, then drops, when the scenario stalls', async () => {
    const logs: RequestLog[] = [];
    await start(logs);
    const raw = await request(`/scenarios/stall/${FAST},stall_ms=30/v1/chat/completions`, chat);
    expect(unchunk(raw.wire).terminated).toBe(false);
    expect(logs.map((l) => [l.outcome, l.reason])).toEqual([
      ['failed', 'connection dropped after a 30 ms stall (scenario stall)'],
    ]);
  });

  it('stops at once and logs the stream aborted when the client leaves mid-stream', async () => {
    const logs: RequestLog[] = [];
    await start(logs);
    await request('/knobs/ttft_ms=60000/v1/chat/completions', chat, (socket) =>
      socket.once('data', () => socket.destroy()),
    );
    await expect.poll(() => logs.map((l) => l.outcome)).toEqual(['aborted']);
    expect(server!.active()).toBe(0);
  });

  it('holds the frames that fall due while the socket is full, and sends them in one write after its drain', async () => {
    // A socket that takes one write and is then full until the test lets the kernel "send" it.
    const { clock, plan, writes, pending, state, push } = await pushToStandIn(
      'ttft_ms=0,tps=100,reply_tokens=6',
      1,
    );
    const sent = push();
    expect(writes).toHaveLength(1); // the frames due at once (role and first token)
    await clock.advance(35); // three more frames fall due: the socket is still full
    expect(writes).toHaveLength(1);
    pending.shift()!(); // drained
    await clock.advance(0);
    expect(writes).toHaveLength(2);
    expect(unchunk(writes[1]!.toString('latin1')).chunks).toBe(3);
    while (!state.ended) {
      pending.shift()?.();
      await clock.advance(10);
    }
    await sent;
    const all = unchunk(writes.map((w) => w.toString('latin1')).join('') + '0\r\n\r\n');
    expect(all.terminated).toBe(true);
    expect(all.chunks).toBe(plan.frames.count);
  });

  it('a reader slower than the schedule: what falls due waits in the plan, not in the socket buffer (writes of at most MAX_WRITE after each drain)', async () => {
    const { clock, plan, writes, pending, state, push } = await pushToStandIn(
      'ttft_ms=0,tps=10000,reply_tokens=2000',
      MAX_WRITE,
    );
    await clock.advance(1000); // every frame is due before the reader has taken anything
    const sizes0 = Array.from(
      { length: plan.frames.count },
      (_, k) => frameBytes(plan.frames, k).length,
    );
    const sent = push();
    while (!state.ended || pending.length) {
      pending.shift()?.();
      await clock.advance(0);
    }
    await sent;
    const sizes = writes.map((w) => w.length);
    const largestFrame = Math.max(...sizes0);
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_WRITE + largestFrame + 16);
    // Every frame as a chunk (size in hex, CRLF, bytes, CRLF), then the terminator.
    const chunked = sizes0.reduce((sum, n) => sum + n.toString(16).length + 4 + n, 0);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(chunked);
  });
});
