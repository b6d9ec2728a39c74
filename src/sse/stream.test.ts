import { describe, expect, it } from 'vitest';
import { SseParseError } from './errors.ts';
import { SseParserStream, type SseParserStreamOptions } from './stream.ts';
import type { SseEvent } from './types.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function readAll(stream: ReadableStream<SseEvent>): Promise<SseEvent[]> {
  const reader = stream.getReader();
  const events: SseEvent[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return events;
    events.push(value);
  }
}

/** Pipes `chunks` through a new SseParserStream and collects what comes out. */
function run(
  chunks: readonly (Uint8Array | string)[],
  options?: SseParserStreamOptions,
): Promise<SseEvent[]> {
  const source = new ReadableStream<Uint8Array | string>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return readAll(source.pipeThrough(new SseParserStream(options)));
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Uint8Array, ...at: number[]): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const end of [...at, bytes.length]) {
    pieces.push(bytes.subarray(start, end));
    start = end;
  }
  return pieces;
}

describe('SseParserStream', () => {
  it('decodes characters split across reads at every byte boundary', async () => {
    const text = 'event: 多字节\ndata: 你好 😀 e\u0301 👩‍👩‍👧\n\n';
    const bytes = utf8(text);
    const expected = [{ type: '多字节', data: '你好 😀 e\u0301 👩‍👩‍👧' }];
    for (let i = 0; i <= bytes.length; i++) {
      expect(await run(cut(bytes, i)), `cut at byte ${i}`).toEqual(expected);
    }
    // One byte per read: every multi-byte character is split.
    expect(await run(Array.from(bytes, (b) => new Uint8Array([b])))).toEqual(expected);
  });

  it('strips one BOM sent as bytes, even split, and keeps a second one as content', async () => {
    const bom = [0xef, 0xbb, 0xbf];
    const bytes = new Uint8Array([...bom, ...utf8('data: a\n\n')]);
    for (let i = 0; i <= 4; i++) {
      expect(await run(cut(bytes, i))).toEqual([{ type: 'message', data: 'a' }]);
    }
    // Two BOMs: the decoder must not eat one and the parser another.
    const errors: SseParseError[] = [];
    const twice = new Uint8Array([...bom, ...bom, ...utf8('data: a\n\ndata: b\n\n')]);
    expect(await run([twice], { onError: (e) => errors.push(e) })).toEqual([
      { type: 'message', data: 'b' },
    ]);
    expect(errors.map((e) => e.line)).toEqual(['\uFEFFdata: a']);
  });

  it('accepts strings, and bytes followed by strings', async () => {
    expect(await run(['data: a\n', '\n'])).toEqual([{ type: 'message', data: 'a' }]);
    expect(await run([utf8('data: é'), 'x\n\n'])).toEqual([{ type: 'message', data: 'éx' }]);
    // A character cut short by a switch to strings can never complete: it becomes U+FFFD.
    expect(await run([utf8('data: é').subarray(0, 7), 'x\n\n'])).toEqual([
      { type: 'message', data: '\uFFFDx' },
    ]);
  });

  it('replaces malformed UTF-8 with U+FFFD, as UTF-8 decode requires', async () => {
    const bytes = new Uint8Array([...utf8('data: '), 0xff, 0xc3, ...utf8('\n\n')]);
    expect(await run([bytes])).toEqual([{ type: 'message', data: '\uFFFD\uFFFD' }]);
  });

  it('discards an unterminated event when the input ends', async () => {
    expect(await run([utf8('data: 1\n\ndata: 2\n'), utf8('data: 3')])).toEqual([
      { type: 'message', data: '1' },
    ]);
    // Even when the last bytes are half a character.
    expect(await run([utf8('data: 1\n\ndata: 😀').subarray(0, -2)])).toEqual([
      { type: 'message', data: '1' },
    ]);
  });

  it('reports comments, retry and ids on side callbacks and exposes lastEventId', async () => {
    const side: unknown[] = [];
    const stream = new SseParserStream({
      onComment: (text) => side.push(['comment', text]),
      onRetry: (ms) => side.push(['retry', ms]),
      onId: (id) => side.push(['id', id]),
    });
    const writer = stream.writable.getWriter();
    const done = readAll(stream.readable);
    void writer.write(utf8(': hi\nretry: 500\nid: e1\ndata: x\n\ndata: y\n\n'));
    void writer.close();
    expect(await done).toEqual([
      { type: 'message', data: 'x', id: 'e1', retry: 500 },
      { type: 'message', data: 'y', id: 'e1' },
    ]);
    expect(side).toEqual([
      ['comment', 'hi'],
      ['retry', 500],
      ['id', 'e1'],
    ]);
    expect(stream.lastEventId).toBe('e1');
  });

  it('ignores recoverable errors by default, reports them to a function, or terminates', async () => {
    const text = 'data: a\n\nbogus\ndata: b\n\n';
    expect(await run([text])).toEqual([
      { type: 'message', data: 'a' },
      { type: 'message', data: 'b' },
    ]);
    const seen: string[] = [];
    await run([text], { onError: (e) => seen.push(e.type) });
    expect(seen).toEqual(['unknown-field']);
    await expect(run([text], { onError: 'terminate' })).rejects.toMatchObject({
      name: 'SseParseError',
      type: 'unknown-field',
      line: 'bogus',
    });
  });

  it('errors the stream when maxBufferSize is exceeded', async () => {
    await expect(run(['data: 0123456789', 'abc'], { maxBufferSize: 12 })).rejects.toBeInstanceOf(
      SseParseError,
    );
  });

  it('errors the stream with a clear TypeError for a chunk that is neither bytes nor text', async () => {
    await expect(run([42 as unknown as string])).rejects.toThrow(
      /expected Uint8Array or string chunks, got number/,
    );
  });

  it('reads a fetch Response body', async () => {
    const body = new Response('event: ping\ndata: {}\r\n\r\n').body!;
    expect(await readAll(body.pipeThrough(new SseParserStream()))).toEqual([
      { type: 'ping', data: '{}' },
    ]);
  });
});
