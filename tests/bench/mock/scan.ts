/**
 * The mock bench's response scanner: reads one raw HTTP/1.1 response as its bytes arrive and records,
 * for every `: sched <ms>` trace comment line in the body, how late it is (`now - t0 - <ms>`, where
 * `now` is the arrival time of the read that completed the line and `t0` that of the read that
 * completed the headers). Works on Buffers without decoding the body: it finds line ends with
 * `indexOf` and turns only the comment lines (those starting with `:`) into text. It checks the status
 * line (200), the chunked framing (hex sizes, the CRLF after each chunk, the terminating chunk), and
 * handles every split: headers, size lines, trace lines and multi-byte characters cut across reads,
 * lines running across chunks. Anything it cannot read ends the scan with `error` set.
 */

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const HEAD_END = Buffer.from('\r\n\r\n');
const SCHED = ': sched ';
/** A response head longer than this is not the mock's. */
const MAX_HEAD = 16 * 1024;

type Phase = 'head' | 'size' | 'data' | 'dataEnd' | 'trailer' | 'done' | 'failed';

export class ResponseScanner {
  /** Lateness of each trace line, in ms, in arrival order. */
  readonly lateness: number[] = [];
  /** Body bytes (chunk data) received. */
  bytes = 0;
  /** The status code, once the head has arrived. */
  status = 0;
  /** What made the response unreadable, if anything. */
  error: string | undefined;

  private phase: Phase = 'head';
  private head: Buffer | undefined;
  private t0 = 0;
  /** The chunk size being parsed, or the chunk's bytes still to come. */
  private size = 0;
  private sizeDigits = 0;
  private inExtension = false;
  /** CRLF bytes still expected after a chunk's data or in the trailer. */
  private crlfSeen = 0;
  private atLineStart = true;
  /** The comment line being read, while its end has not arrived. */
  private comment: string | undefined;

  /** The whole response arrived, status 200, framing intact. */
  get ok(): boolean {
    return this.phase === 'done' && this.status === 200;
  }

  /** Feeds one read, `buf[0, length)`, which arrived at `now` (ms). */
  push(buf: Buffer, now: number, length = buf.length): void {
    if (length < buf.length) buf = buf.subarray(0, length);
    let i = 0;
    while (i < buf.length) {
      switch (this.phase) {
        case 'head':
          i = this.readHead(buf, now);
          break;
        case 'size':
          i = this.readSize(buf, i);
          break;
        case 'data': {
          const end = Math.min(buf.length, i + this.size);
          this.scanLines(buf, i, end, now);
          this.bytes += end - i;
          this.size -= end - i;
          if (this.size === 0) this.phase = 'dataEnd';
          i = end;
          break;
        }
        case 'dataEnd':
        case 'trailer':
          i = this.readCrlf(buf, i);
          break;
        case 'done':
          return this.fail(`bytes after the end of the response`);
        case 'failed':
          return;
      }
    }
  }

  private fail(why: string): void {
    this.error ??= why;
    this.phase = 'failed';
  }

  private readHead(buf: Buffer, now: number): number {
    const seen = this.head ? Buffer.concat([this.head, buf]) : buf;
    const before = this.head?.length ?? 0;
    const end = seen.indexOf(HEAD_END, Math.max(0, before - 3));
    if (end < 0) {
      this.head = Buffer.from(seen);
      if (seen.length > MAX_HEAD) this.fail(`no end of headers in ${MAX_HEAD} bytes`);
      return buf.length;
    }
    this.head = undefined;
    const text = seen.toString('latin1', 0, end);
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
    if (!status) {
      this.fail(`bad status line: ${JSON.stringify(text.slice(0, 40))}`);
      return buf.length;
    }
    this.status = Number(status[1]);
    if (!/^transfer-encoding:[ \t]*chunked[ \t]*$/im.test(text)) {
      this.fail(`status ${this.status}, not a chunked body`);
      return buf.length;
    }
    this.t0 = now;
    this.phase = 'size';
    return end + 4 - before;
  }

  /** Parses a chunk size line (`<hex>[;ext]\r\n`), possibly over several reads. */
  private readSize(buf: Buffer, i: number): number {
    for (; i < buf.length; i++) {
      const c = buf[i]!;
      if (c === LF) {
        if (this.sizeDigits === 0) {
          this.fail('empty chunk size line');
          return buf.length;
        }
        this.phase = this.size === 0 ? 'trailer' : 'data';
        this.sizeDigits = 0;
        this.inExtension = false;
        this.crlfSeen = 0;
        return i + 1;
      }
      if (this.inExtension || c === CR) continue;
      if (c === 0x3b) {
        this.inExtension = true;
        continue;
      }
      const d = hexDigit(c);
      if (d < 0 || this.sizeDigits >= 8) {
        this.fail(`bad chunk size byte 0x${c.toString(16)}`);
        return buf.length;
      }
      this.size = this.size * 16 + d;
      this.sizeDigits++;
    }
    return i;
  }

  /** Reads the CRLF after a chunk's data, or the terminating chunk's closing CRLF (no trailers). */
  private readCrlf(buf: Buffer, i: number): number {
    const want = this.crlfSeen === 0 ? CR : LF;
    if (buf[i] !== want) {
      this.fail(`expected CRLF after a chunk, got 0x${buf[i]!.toString(16)}`);
      return buf.length;
    }
    if (++this.crlfSeen === 2) this.phase = this.phase === 'trailer' ? 'done' : 'size';
    return i + 1;
  }

  /** Finds the body's lines in `buf[from, to)`; records the trace lines. */
  private scanLines(buf: Buffer, from: number, to: number, now: number): void {
    let i = from;
    while (i < to) {
      if (this.comment === undefined && this.atLineStart) {
        if (buf[i] === COLON) this.comment = '';
        this.atLineStart = false;
      }
      const lf = buf.indexOf(LF, i);
      const end = lf < 0 || lf >= to ? to : lf;
      if (this.comment !== undefined) this.comment += buf.toString('latin1', i, end);
      if (end === to) return;
      if (this.comment !== undefined) this.endComment(now);
      this.atLineStart = true;
      i = end + 1;
    }
  }

  private endComment(now: number): void {
    const line = this.comment!;
    this.comment = undefined;
    if (!line.startsWith(SCHED)) return;
    const due = Number(line.slice(SCHED.length));
    if (Number.isFinite(due)) this.lateness.push(now - this.t0 - due);
    else this.fail(`bad trace line: ${JSON.stringify(line.slice(0, 40))}`);
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
