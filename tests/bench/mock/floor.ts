/**
 * Child process for the mock bench's floor: a bare `node:net` server that answers every request with
 * the bytes of a response recorded from the mock (tests/bench/mock/recording.ts), on the mock's
 * schedule: the headers and the frames due at 0 ms in one write once the request has arrived, then
 * each frame in one write at its offset (timers drift-free from that moment), the terminator with the
 * last one, then it closes (the load generator asks `Connection: close`). No HTTP parsing beyond
 * finding the request's end, no per-event work: what the machine's sockets and timers cost.
 *
 * Its timers are shared as the mock's are: every connection's step due in the same millisecond runs
 * from one timer (a timer per connection per frame made this floor slower than the mock at 2,000
 * streams).
 *
 * Each connection sends a copy of its own, as the mock does (every reply has its own ids, so its own
 * bytes): replaying the one recording to every connection kept 25 KB hot in the cache where the mock's
 * thousand streams read 25 MB, and cost this floor about a third less CPU per event than sending the
 * same bytes from a copy per connection.
 *
 * Waits for `{ recording }` over IPC (buffers as base64), then prints `{"port":N}` on stdout and
 * answers the bench's IPC (tests/bench/mock/control.ts).
 */
import { createServer, type Socket } from 'node:net';
import { answerBench } from './control.ts';
import type { Recording } from './recording.ts';

interface WireRecording {
  head: string;
  frames: { dueMs: number; bytes: string }[];
  tail: string;
}

const recording = await new Promise<Recording>((resolve) => {
  process.once('message', (m) => {
    const r = (m as { recording: WireRecording }).recording;
    resolve({
      head: Buffer.from(r.head, 'base64'),
      frames: r.frames.map((f) => ({ dueMs: f.dueMs, bytes: Buffer.from(f.bytes, 'base64') })),
      tail: Buffer.from(r.tail, 'base64'),
    });
  });
});

/** The recording's frames copied into one buffer of this connection's own (views of it). */
function ownFrames(): { dueMs: number; bytes: Buffer }[] {
  const own = Buffer.allocUnsafeSlow(recording.frames.reduce((n, f) => n + f.bytes.length, 0));
  let at = 0;
  return recording.frames.map((f) => {
    own.set(f.bytes, at);
    at += f.bytes.length;
    return { dueMs: f.dueMs, bytes: own.subarray(at - f.bytes.length, at) };
  });
}

/** Steps due in the same millisecond, all connections': one timer each, as the mock's sleepers share. */
const dueAt = new Map<number, (() => void)[]>();

/** Runs `step` in the first millisecond boundary `ms` from now (never early). */
function after(ms: number, step: () => void): void {
  const now = performance.now();
  const at = Math.ceil(now + Math.max(0, ms));
  let steps = dueAt.get(at);
  if (!steps) {
    const own: (() => void)[] = [];
    steps = own;
    dueAt.set(at, own);
    setTimeout(() => {
      dueAt.delete(at);
      for (const s of own) s();
    }, at - now);
  }
  steps.push(step);
}

/** Writes the frames due by now in one write, then sleeps until the next one is due. */
function replay(socket: Socket, t0: number): void {
  const frames = ownFrames();
  let i = 0;
  const step = (): void => {
    if (socket.destroyed) return;
    const elapsed = performance.now() - t0;
    const due: Buffer[] = i === 0 ? [recording.head] : [];
    while (i < frames.length && frames[i]!.dueMs <= elapsed) due.push(frames[i++]!.bytes);
    if (i === frames.length) {
      due.push(recording.tail);
      socket.end(Buffer.concat(due));
      return;
    }
    if (due.length > 0) socket.write(due.length === 1 ? due[0]! : Buffer.concat(due));
    after(t0 + frames[i]!.dueMs - performance.now(), step);
  };
  step();
}

/** Calls `onRequest` once a whole request (headers and `content-length` body) has arrived. */
function awaitRequest(socket: Socket, onRequest: () => void): void {
  let seen = Buffer.alloc(0);
  const onData = (d: Buffer): void => {
    seen = Buffer.concat([seen, d]);
    const headEnd = seen.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const length = /^content-length:\s*(\d+)/im.exec(seen.subarray(0, headEnd).toString('latin1'));
    if (seen.length < headEnd + 4 + Number(length?.[1] ?? 0)) return;
    socket.off('data', onData);
    onRequest();
  };
  socket.on('data', onData);
}

const server = createServer((socket) => {
  socket.on('error', () => socket.destroy());
  // As the mock's sockets (a Node HTTP server's default): each write leaves at once rather than waiting,
  // under Nagle's algorithm, behind an unacknowledged one. An SSE server must not hold events back; and
  // without it this floor sent fewer, larger packets than the mock it is a floor for.
  socket.setNoDelay(true);
  awaitRequest(socket, () => replay(socket, performance.now()));
});
server.maxConnections = 10_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(JSON.stringify({ port }) + '\n');
});
answerBench(() => new Promise((r) => server.close(r)));
