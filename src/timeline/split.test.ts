import { describe, expect, it } from 'vitest';
import { describeBytes, fromBase64, previewBytes, toBase64 } from './bytes.ts';
import { eventBoundaries, ReadScanner, splitIntoReads } from './split.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (parts: Uint8Array[]): string => new TextDecoder().decode(Buffer.concat(parts));
const texts = (parts: Uint8Array[]): string[] => parts.map((p) => new TextDecoder().decode(p));

const stream = 'data: a\n\nevent: x\r\ndata: é€\r\n\r\n: ping\n\ndata: 😀\r\rdata: end\n\n';

describe('splitIntoReads', () => {
  it('cuts after each event with LF, CRLF and CR line ends', () => {
    expect(texts(splitIntoReads(enc(stream), 'events'))).toEqual([
      'data: a\n\n',
      'event: x\r\ndata: é€\r\n\r\n',
      ': ping\n\n',
      'data: 😀\r\r',
      'data: end\n\n',
    ]);
  });

  it('cuts one byte per read', () => {
    const reads = splitIntoReads(enc('data: é\n\n'), 'byte');
    expect(reads).toHaveLength(enc('data: é\n\n').length);
    expect(reads.every((r) => r.length === 1)).toBe(true);
  });

  it('cuts at random sizes, reproducibly from the seed, losing nothing', () => {
    const a = splitIntoReads(enc(stream), 'random', { seed: 7, maxRead: 5 });
    const b = splitIntoReads(enc(stream), 'random', { seed: 7, maxRead: 5 });
    const c = splitIntoReads(enc(stream), 'random', { seed: 8, maxRead: 5 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((r) => r.length >= 1 && r.length <= 5)).toBe(true);
    expect(dec(a)).toBe(stream);
  });

  it('cuts inside every multibyte character', () => {
    const reads = splitIntoReads(enc('data: é€\n\n'), 'inside-char');
    expect(reads.map((r) => r.length)).toEqual([7, 2, 4]);
    const scanner = new ReadScanner();
    expect(reads.map((r) => scanner.scan(r).endsInsideChar)).toEqual([true, true, false]);
    expect(dec(reads)).toBe('data: é€\n\n');
  });

  it('returns no reads for an empty stream', () => {
    expect(splitIntoReads(new Uint8Array(), 'events')).toEqual([]);
  });
});

describe('ReadScanner', () => {
  it('does not count the LF of a CRLF split across reads as a blank line', () => {
    const scanner = new ReadScanner();
    expect(scanner.scan(enc('data: a\r'))).toEqual({
      endsInsideEvent: true,
      endsInsideChar: false,
      eventEnds: [],
    });
    expect(scanner.scan(enc('\ndata: b\r\n'))).toMatchObject({
      endsInsideEvent: true,
      eventEnds: [],
    });
    expect(scanner.scan(enc('\r\n'))).toEqual({
      endsInsideEvent: false,
      endsInsideChar: false,
      eventEnds: [2],
    });
  });

  it('flags a read that stops mid-line', () => {
    const scanner = new ReadScanner();
    expect(scanner.scan(enc('data: {"a"')).endsInsideEvent).toBe(true);
    expect(scanner.scan(enc(':1}\n\n')).endsInsideEvent).toBe(false);
  });

  it('skips a leading BOM', () => {
    expect(eventBoundaries(enc('\uFEFFdata: a\n\n'))).toEqual([12]);
  });
});

describe('bytes display', () => {
  it('shows CR, LF, event boundaries and split characters', () => {
    const bytes = enc('€x\r\n\r\ndata: é');
    const cut = bytes.slice(1, bytes.length - 1); // starts and ends inside a character
    expect(describeBytes(cut, [7])).toEqual([
      { kind: 'partial', hex: '82 ac', where: 'start' },
      { kind: 'text', text: 'x' },
      { kind: 'cr' },
      { kind: 'lf' },
      { kind: 'cr' },
      { kind: 'lf' },
      { kind: 'boundary' },
      { kind: 'text', text: 'data: ' },
      { kind: 'partial', hex: 'c3', where: 'end' },
    ]);
    expect(previewBytes(enc('data: a\r\n\r\n'))).toBe('data: a\\r\\n\\r\\n');
    expect(previewBytes(enc('x'.repeat(100)), 10)).toBe('xxxxxxxxx…');
  });

  it('keeps whole characters and event ends inside a run of text', () => {
    // An event end with no line end at it (a read that starts mid-event), and multi-byte characters.
    expect(describeBytes(enc('é€😀ab'), [9])).toEqual([
      { kind: 'text', text: 'é€😀' },
      { kind: 'boundary' },
      { kind: 'text', text: 'ab' },
    ]);
    expect(describeBytes(enc('€€').subarray(0, 5))).toEqual([
      { kind: 'text', text: '€' },
      { kind: 'partial', hex: 'e2 82', where: 'end' },
    ]);
  });

  it('previews a long read from its start alone, as if read whole', () => {
    // Multi-byte characters across the prefix it looks at: no partial character shows.
    const long = enc('data: ' + '€'.repeat(2_000) + '\n\n');
    const preview = previewBytes(long);
    expect(preview).toBe('data: ' + '€'.repeat(73) + '…');
    expect(preview).not.toContain('‹');
  });

  it('round-trips base64', () => {
    const bytes = new Uint8Array(70_000).map((_, i) => i % 256);
    expect(fromBase64(toBase64(bytes))).toEqual(bytes);
  });
});
