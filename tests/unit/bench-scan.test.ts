import { describe, expect, it } from 'vitest';
import { ResponseScanner } from '../bench/mock/scan.ts';

const chunk = (data: string): string => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
const HEAD =
  'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
const BODY = [
  ': sched 0.0\ndata: {"a":"é€😀"}\n\n',
  ': sched 250.5\ndata: 1\n\n: keep-alive\n\n',
  'data: no trace here, but a colon: sched 9\n\n',
  // A line running across two chunks, and a trace line cut between them.
  ': sched 270\ndata: {"b":"ü',
  'ü"}\n\n: sch',
  'ed 290\ndata: [DONE]\n\n',
];
const RAW = Buffer.from(HEAD + BODY.map(chunk).join('') + '0\r\n\r\n');
const BODY_BYTES = Buffer.byteLength(BODY.join(''));

/** Feeds `raw` cut at `cuts`; read k arrives at time 1000 + k. */
function scan(raw: Buffer, cuts: number[]): ResponseScanner {
  const s = new ResponseScanner();
  const at = [0, ...cuts, raw.length];
  for (let k = 0; k + 1 < at.length; k++) s.push(raw.subarray(at[k], at[k + 1]), 1000 + k);
  return s;
}

describe('ResponseScanner (the mock bench’s load generator)', () => {
  it('reads the trace lines of a response in one read', () => {
    const s = scan(RAW, []);
    expect(s.ok).toBe(true);
    expect(s.error).toBeUndefined();
    expect(s.lateness).toEqual([0, -250.5, -270, -290]);
    expect(s.bytes).toBe(BODY_BYTES);
  });

  it('gives the same lines and bytes however the response is cut (every single and double cut)', () => {
    const due = [0, 250.5, 270, 290];
    for (let a = 1; a < RAW.length; a++) {
      for (let b = a; b < RAW.length; b += 11) {
        const cuts = b === a ? [a] : [a, b];
        const s = scan(RAW, cuts);
        expect(s.error, `cut at ${cuts}`).toBeUndefined();
        expect(s.ok).toBe(true);
        expect(s.bytes).toBe(BODY_BYTES);
        expect(s.lateness.length).toBe(4);
        // Each line is timed by the read that completed it, from the read that completed the head.
        const headRead = cuts.filter((c) => c < HEAD.length).length;
        const lineEnds = due.map((_, k) => lineEnd(k));
        s.lateness.forEach((late, k) => {
          const read = cuts.filter((c) => c <= lineEnds[k]!).length;
          expect(late, `line ${k}, cut at ${cuts}`).toBe(read - headRead - due[k]!);
        });
      }
    }
  });

  it('reads a response arriving a byte at a time', () => {
    const s = new ResponseScanner();
    for (let i = 0; i < RAW.length; i++) s.push(RAW.subarray(i, i + 1), 0);
    expect(s.ok).toBe(true);
    expect(s.lateness).toEqual([0, -250.5, -270, -290]);
  });

  it('takes upper-case hex sizes and chunk extensions', () => {
    const data = ': sched 5\n' + 'x'.repeat(300) + '\n\n';
    const raw = Buffer.from(
      `${HEAD}${(300 + 12).toString(16).toUpperCase()};ext=1\r\n${data}\r\n0\r\n\r\n`,
    );
    const s = scan(raw, []);
    expect(s.error).toBeUndefined();
    expect(s.lateness).toEqual([-5]);
  });

  it('fails, saying why, on a response it cannot measure', () => {
    const bad = (raw: string): ResponseScanner => scan(Buffer.from(raw), []);
    expect(bad('HTTP/1.1 500 Internal\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n').ok).toBe(
      false,
    );
    expect(bad('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi').error).toMatch(
      /not a chunked body/,
    );
    expect(bad('SMTP ready\r\n\r\n').error).toMatch(/bad status line/);
    expect(bad(HEAD + 'zz\r\n').error).toMatch(/bad chunk size byte 0x7a/);
    expect(bad(HEAD + '\r\n').error).toMatch(/empty chunk size line/);
    expect(bad(HEAD + '2\r\nhiXY').error).toMatch(/expected CRLF/);
    expect(bad(HEAD + chunk(': sched soon\n')).error).toMatch(/bad trace line/);
    expect(bad(HEAD + '0\r\n\r\nmore').error).toMatch(/after the end/);
    // Cut short: no error, but not ok either.
    const cut = scan(RAW.subarray(0, RAW.length - 3), []);
    expect(cut.error).toBeUndefined();
    expect(cut.ok).toBe(false);
  });
});

/** Byte offset in RAW of the newline ending trace line `k`. */
function lineEnd(k: number): number {
  const text = RAW.toString('latin1');
  return text.indexOf('\n', text.indexOf(['sched 0.0', 'sched 250.5', 'sched 270', 'ed 290'][k]!));
}
