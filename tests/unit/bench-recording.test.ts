import { describe, expect, it } from 'vitest';
import { splitChunked } from '../bench/mock/recording.ts';

const chunk = (data: string): string => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
const HEAD =
  'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';

describe('splitChunked (the mock bench floor’s recording)', () => {
  it('keeps every byte, one frame per chunk, due at its first trace comment', () => {
    const frames = [
      chunk(': sched 0.0\ndata: {"a":"é"}\n\n'),
      chunk(': sched 250.0\ndata: 1\n\n'),
      chunk('data: no trace here\n\n'),
      chunk(': sched 270.0\ndata: 2\n\n: sched 270.0\ndata: [DONE]\n\n'),
    ];
    const raw = Buffer.from(HEAD + frames.join('') + '0\r\n\r\n');
    const r = splitChunked(raw);
    expect(r.head.toString()).toBe(HEAD);
    expect(r.frames.map((f) => f.dueMs)).toEqual([0, 250, 250, 270]);
    expect(r.frames.map((f) => f.bytes.toString())).toEqual(frames);
    expect(r.tail.toString()).toBe('0\r\n\r\n');
    expect(Buffer.concat([r.head, ...r.frames.map((f) => f.bytes), r.tail]).equals(raw)).toBe(true);
  });

  it('says what is wrong with a response it cannot replay', () => {
    expect(() => splitChunked(Buffer.from('HTTP/1.1 200 OK\r\n'))).toThrow(/no end of headers/);
    expect(() =>
      splitChunked(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi')),
    ).toThrow(/not chunked/);
    expect(() => splitChunked(Buffer.from(HEAD + 'zz\r\n'))).toThrow(/bad chunk size at byte/);
    expect(() => splitChunked(Buffer.from(HEAD + '10\r\nshort'))).toThrow(/cut short/);
    expect(() => splitChunked(Buffer.from(HEAD + chunk('data: 1\n\n')))).toThrow(/size line cut/);
  });
});
