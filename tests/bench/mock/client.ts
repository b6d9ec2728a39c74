/**
 * The mock bench's load generator for one stream: a raw `node:net` socket, a hand-written HTTP/1.1
 * request (`Connection: close`, a `content-length` body), and the response read by ResponseScanner
 * (tests/bench/mock/scan.ts) straight from the socket's reads, each timed as it is taken (`onread`,
 * where a `data` event would have been emitted).
 *
 * Why not `node:http`: with 1,000 streams at some 50,000 events a second the load generator shares the
 * machine's two cores with the server it measures, and `node:http` (its parser, a `res` stream per
 * response, decoding every byte to a string and splitting it into lines) cost it several times this
 * client's CPU per event (README, "The mock at 1,000 streams"). `MOCK_BENCH_CLIENT=http` runs the bench
 * with the `node:http` client instead, to compare.
 */
import { connect } from 'node:net';
import { request, type Agent } from 'node:http';
import { ResponseScanner } from './scan.ts';

export interface StreamResult {
  lateness: number[];
  bytes: number;
  ok: boolean;
  error?: string;
}

export interface StreamTarget {
  port: number;
  path: string;
  body: string;
  signal: AbortSignal;
}

/**
 * Every raw stream's reads land in this one buffer (`onread`: no Buffer allocated and no stream
 * machinery per read); the scanner is done with a read before the next one is taken, and keeps no
 * reference to it.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** One streaming request on a raw socket. */
export function rawStream({ port, path, body, signal }: StreamTarget): Promise<StreamResult> {
  return new Promise((resolve) => {
    const scanner = new ResponseScanner();
    const socket = connect({
      port,
      host: '127.0.0.1',
      onread: {
        buffer: READ_BUFFER,
        callback: (n: number) => {
          scanner.push(READ_BUFFER, performance.now(), n);
          return true; // false would pause the socket
        },
      },
    });
    const onAbort = (): void => void socket.destroy(new Error('deadline passed'));
    signal.addEventListener('abort', onAbort, { once: true });
    let error: string | undefined;
    socket.on('error', (e) => (error ??= e.message));
    socket.on('close', () => {
      signal.removeEventListener('abort', onAbort);
      const { lateness, bytes, ok, status } = scanner;
      error = scanner.error ?? error ?? (status === 0 ? 'no response head' : status !== 200 ? `status ${status}` : ok ? undefined : 'cut short');
      resolve({ lateness, bytes, ok: ok && !error, error });
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

/** The same measurement through `node:http` (the bench's client before the raw one), to compare. */
export function httpStream({ port, path, body, signal }: StreamTarget, agent: Agent): Promise<StreamResult> {
  return new Promise((resolve) => {
    const lateness: number[] = [];
    let bytes = 0;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        signal,
      },
      (res) => {
        const t0 = performance.now();
        let carry = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.now();
          bytes += Buffer.byteLength(chunk);
          const lines = (carry + chunk).split('\n');
          carry = lines.pop() ?? '';
          for (const line of lines) {
            if (line.startsWith(': sched ')) lateness.push(now - t0 - Number(line.slice(8)));
          }
        });
        res.on('end', () => resolve({ lateness, bytes, ok: res.statusCode === 200 }));
        res.on('error', (e) => resolve({ lateness, bytes, ok: false, error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ lateness, bytes, ok: false, error: e.message }));
    req.end(body);
  });
}
