/**
 * A mock response recorded byte for byte, for the floor server of the mock bench
 * (tests/bench/mock/floor.ts): the status line and headers, then each HTTP/1.1 chunk as the mock
 * framed it (one chunk per tick), with the offset it was scheduled at (its first `: sched <ms>`
 * trace comment) relative to the headers. Replaying those bytes on that schedule costs what the
 * machine's sockets and timers cost, and nothing of the mock's.
 */
import { connect } from 'node:net';

export interface RecordedFrame {
  /** Scheduled offset from the headers, in ms (the `: sched` comment of its first event). */
  dueMs: number;
  /** The whole chunk as it went on the wire: size line, data, CRLF. */
  bytes: Buffer;
}

export interface Recording {
  /** Status line and headers, through the blank line. */
  head: Buffer;
  frames: RecordedFrame[];
  /** The terminating chunk (`0\r\n\r\n`). */
  tail: Buffer;
}

const CRLF = Buffer.from('\r\n');

/** Splits a raw chunked HTTP/1.1 response into head, frames and terminator; throws on anything else. */
export function splitChunked(raw: Buffer): Recording {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) throw new Error('recorded response: no end of headers');
  const head = raw.subarray(0, headEnd + 4);
  if (!/^transfer-encoding: chunked$/im.test(head.toString('latin1'))) {
    throw new Error('recorded response: not chunked');
  }
  const frames: RecordedFrame[] = [];
  let at = headEnd + 4;
  let lastDue = 0;
  for (;;) {
    const lineEnd = raw.indexOf(CRLF, at);
    if (lineEnd < 0) throw new Error(`recorded response: chunk size line cut at byte ${at}`);
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) throw new Error(`recorded response: bad chunk size at byte ${at}`);
    const end = lineEnd + 2 + size + 2;
    if (end > raw.length) throw new Error(`recorded response: chunk at byte ${at} cut short`);
    if (size === 0) return { head, frames, tail: raw.subarray(at, end) };
    const data = raw.subarray(lineEnd + 2, lineEnd + 2 + size).toString('utf8');
    const sched = /^: sched ([\d.]+)$/m.exec(data);
    lastDue = sched ? Number(sched[1]) : lastDue;
    frames.push({ dueMs: lastDue, bytes: raw.subarray(at, end) });
    at = end;
  }
}

/** Sends one raw HTTP/1.1 request (with `Connection: close`) and resolves to the whole response. */
export function recordRaw(port: number, path: string, body: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('end', () => resolve(Buffer.concat(parts)));
    socket.on('error', reject);
    socket.setTimeout(15_000, () => socket.destroy(new Error(`recording ${path}: no answer in 15 s`)));
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
