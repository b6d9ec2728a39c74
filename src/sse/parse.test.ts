import { describe, expect, it } from 'vitest';
import { SseParseError, SseParserStateError } from './errors.ts';
import { createSseParser } from './parse.ts';
import type { SseParserOptions } from './types.ts';

/** Every callback, in the order the parser made it. */
type Call =
  | ['event', { type: string; data: string; id?: string; retry?: number }]
  | ['comment', string]
  | ['retry', number]
  | ['id', string]
  | ['error', string, number, string | undefined];

function recorder(options?: SseParserOptions) {
  const calls: Call[] = [];
  const parser = createSseParser(
    {
      onEvent: (e) => calls.push(['event', e]),
      onComment: (text) => calls.push(['comment', text]),
      onRetry: (ms) => calls.push(['retry', ms]),
      onId: (id) => calls.push(['id', id]),
      onError: (err) => calls.push(['error', err.type, err.lineNumber, err.line]),
    },
    options,
  );
  return { parser, calls };
}

/** Parses `pieces` as one stream (then ends it) and returns every callback. */
function parse(...pieces: string[]): Call[] {
  const { parser, calls } = recorder();
  for (const piece of pieces) parser.feed(piece);
  parser.end();
  return calls;
}

const events = (calls: Call[]) => calls.filter((c) => c[0] === 'event').map((c) => c[1]);

/**
 * Asserts that every way of cutting `text` into two pieces, and into single characters, gives the
 * same callbacks as feeding it whole: the parser must not care where reads end.
 */
function expectSliceInvariant(text: string): Call[] {
  const whole = parse(text);
  for (let i = 0; i <= text.length; i++) {
    expect(parse(text.slice(0, i), text.slice(i)), `cut at ${i}`).toEqual(whole);
  }
  expect(parse(...text), 'one character per feed').toEqual(whole);
  return whole;
}

describe('createSseParser', () => {
  it('(1) dispatches unnamed and named events, however the input is cut', () => {
    const calls = expectSliceInvariant('data: hello\n\nevent: greet\ndata: hi there\n\n');
    expect(events(calls)).toEqual([
      { type: 'message', data: 'hello' },
      { type: 'greet', data: 'hi there' },
    ]);
    // Uneven pieces, cutting through field names, values and terminators.
    expect(
      events(parse('da', 'ta: hel', 'lo\n', '\nev', 'ent: gr', 'eet\ndata: hi there\n', '\n')),
    ).toEqual(events(calls));
  });

  it('(2) reports id and retry together; retry applies at once, id at dispatch', () => {
    expect(parse('retry: 3000\nid: 42\ndata: x\n\n')).toEqual([
      ['retry', 3000],
      ['id', '42'],
      ['event', { type: 'message', data: 'x', id: '42', retry: 3000 }],
    ]);
  });

  it('(3) reports heartbeat comments without dispatching anything', () => {
    const calls = expectSliceInvariant(': keep-alive\n\n:\n:  two\ndata: a\n\n');
    expect(calls).toEqual([
      ['comment', 'keep-alive'],
      ['comment', ''],
      ['comment', ' two'],
      ['event', { type: 'message', data: 'a' }],
    ]);
  });

  it('(4) joins multi-line data with LF and strips only one leading space', () => {
    const calls = expectSliceInvariant('data: one\ndata:two\ndata:  three\ndata: \n\n');
    expect(events(calls)).toEqual([{ type: 'message', data: 'one\ntwo\n three\n' }]);
  });

  it('(5) keeps multi-byte text intact, with extra blank lines around', () => {
    const calls = expectSliceInvariant('\n\ndata: 你好，世界\n\n\n\ndata: 😀👩‍👩‍👧 e\u0301\n\n\n');
    expect(events(calls)).toEqual([
      { type: 'message', data: '你好，世界' },
      { type: 'message', data: '😀👩‍👩‍👧 e\u0301' },
    ]);
  });

  it('(6) strips one decoded BOM at the very start only; a later U+FEFF is content', () => {
    expect(events(expectSliceInvariant('\uFEFFdata: a\n\n'))).toEqual([
      { type: 'message', data: 'a' },
    ]);
    // Empty pieces before the BOM do not end the "very start".
    expect(events(parse('', '\uFEFF', 'data: a\n\n'))).toEqual([{ type: 'message', data: 'a' }]);
    // A second BOM makes its line an unknown field `\uFEFFdata`, which is ignored.
    const calls = parse('\uFEFF\uFEFFdata: a\n\ndata: \uFEFFb\n\n');
    expect(calls).toEqual([
      ['error', 'unknown-field', 1, '\uFEFFdata: a'],
      ['event', { type: 'message', data: '\uFEFFb' }],
    ]);
    // Not at the start of the stream: content, even at the start of a later piece.
    expect(parse('data: a\n\n', '\uFEFFdata: b\n\n')[1]).toEqual([
      'error',
      'unknown-field',
      3,
      '\uFEFFdata: b',
    ]);
  });

  it('(7) accepts CR, LF and CRLF line endings, mixed, and a CRLF split across pieces', () => {
    const expected = [
      { type: 'message', data: 'a\nb' },
      { type: 'x', data: 'c' },
    ];
    for (const eol of ['\n', '\r', '\r\n']) {
      const text = `data: a${eol}data: b${eol}${eol}event: x${eol}data: c${eol}${eol}`;
      expect(events(expectSliceInvariant(text)), JSON.stringify(eol)).toEqual(expected);
    }
    // Issue #17 of eventsource-parser: CR at the end of one read, LF at the start of the next must be
    // one terminator, not a terminator plus a blank line (which would dispatch early).
    expect(events(parse('data: a\r', '\ndata: b\r\n\r\n'))).toEqual([
      { type: 'message', data: 'a\nb' },
    ]);
    expect(events(parse('data: a\r\n\r', '\n', 'data: b\r\n\r\n'))).toEqual([
      { type: 'message', data: 'a' },
      { type: 'message', data: 'b' },
    ]);
    // A blank CR line at the end of a piece dispatches exactly once, even if LF never follows.
    const { parser, calls } = recorder();
    parser.feed('data: a\r\r');
    expect(events(calls)).toEqual([{ type: 'message', data: 'a' }]);
    parser.feed('data: b\r\r');
    expect(events(calls)).toHaveLength(2);
    // Only one LF is swallowed after a trailing CR: the next LF is a blank line.
    expect(events(parse('data: a\r', '\n\n'))).toEqual([{ type: 'message', data: 'a' }]);
    expectSliceInvariant('data: a\r\ndata: b\rdata: c\n\r\nid: 9\r\revent: e\ndata: d\r\n\r\n');
  });

  it('(8) handles odd comments and never emits an unterminated final event', () => {
    const long = 'x'.repeat(2100);
    const calls = expectSliceInvariant(`${':'.repeat(300)}\n:\0\n: ${long}\ndata: 1\n\ndata:5`);
    expect(calls).toEqual([
      ['comment', ':'.repeat(299)],
      ['comment', '\0'],
      ['comment', long],
      ['event', { type: 'message', data: '1' }],
    ]);
    expect(parse('data: 1\n\nevent: x\ndata: 2\n')).toEqual([
      ['event', { type: 'message', data: '1' }],
    ]);
  });

  it('(9) falls back to "message" for an empty event field, and resets the type after dispatch', () => {
    expect(
      events(parse('event: a\nevent:\ndata: x\n\ndata: y\n\nevent: b\nevent: c\ndata: z\n\n')),
    ).toEqual([
      { type: 'message', data: 'x' },
      { type: 'message', data: 'y' },
      { type: 'c', data: 'z' },
    ]);
    // A type without data dispatches nothing and does not leak into the next event.
    expect(events(parse('event: lost\n\ndata: x\n\n'))).toEqual([{ type: 'message', data: 'x' }]);
  });

  it('(10) ignores retry values that are not all ASCII digits, reporting invalid-retry', () => {
    const calls = parse(
      'retry:\nretry: 2000x\nretry: 50x\nretry: -1\nretry: 1.5\nretry:  7\nretry: 007\ndata: x\n\n',
    );
    expect(calls).toEqual([
      ['error', 'invalid-retry', 1, 'retry:'],
      ['error', 'invalid-retry', 2, 'retry: 2000x'],
      ['error', 'invalid-retry', 3, 'retry: 50x'],
      ['error', 'invalid-retry', 4, 'retry: -1'],
      ['error', 'invalid-retry', 5, 'retry: 1.5'],
      ['error', 'invalid-retry', 6, 'retry:  7'],
      ['retry', 7],
      ['event', { type: 'message', data: 'x', retry: 7 }],
    ]);
  });

  it('(11) gives "" for a bare data line and "\\n" for two', () => {
    expect(events(parse('data\n\ndata:\n\ndata\ndata\n\n'))).toEqual([
      { type: 'message', data: '' },
      { type: 'message', data: '' },
      { type: 'message', data: '\n' },
    ]);
  });

  it('(12) keeps the last event ID across events, ignores an id with NUL, allows ""', () => {
    const calls = expectSliceInvariant(
      'id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid: 2\n\ndata: d\n\nid:\ndata: e\n\nid\ndata: f\n\n',
    );
    expect(calls).toEqual([
      ['id', '1'],
      ['event', { type: 'message', data: 'a', id: '1' }],
      ['event', { type: 'message', data: 'b', id: '1' }],
      ['error', 'invalid-id', 6, 'id: x\0y'],
      ['event', { type: 'message', data: 'c', id: '1' }],
      ['id', '2'], // an id-only block still reports its id...
      ['event', { type: 'message', data: 'd', id: '2' }], // ...and it applies to the next event
      ['id', ''],
      ['event', { type: 'message', data: 'e', id: '' }],
      ['id', ''],
      ['event', { type: 'message', data: 'f', id: '' }],
    ]);
    const { parser } = recorder();
    expect(parser.lastEventId).toBeUndefined();
    parser.feed('id: 7\ndata: x\n');
    expect(parser.lastEventId, 'not before the block is dispatched').toBeUndefined();
    parser.feed('\n');
    expect(parser.lastEventId).toBe('7');
    // The id of an event that never completes is discarded with it.
    parser.feed('id: 8\ndata: y\n');
    parser.end();
    expect(parser.lastEventId).toBe('7');
  });

  it('(13) ignores unknown fields, reporting each with its line', () => {
    const calls = parse(
      'foobar: xxx\njustsometext\n data: leading space\nData: caps\ndata : x\ndata: kept\n\n',
    );
    expect(calls).toEqual([
      ['error', 'unknown-field', 1, 'foobar: xxx'],
      ['error', 'unknown-field', 2, 'justsometext'],
      ['error', 'unknown-field', 3, ' data: leading space'],
      ['error', 'unknown-field', 4, 'Data: caps'],
      ['error', 'unknown-field', 5, 'data : x'],
      ['event', { type: 'message', data: 'kept' }],
    ]);
    const errors: SseParseError[] = [];
    const p = createSseParser({ onEvent() {}, onError: (e) => errors.push(e) });
    p.feed('foo: bar\n');
    expect(errors[0]).toBeInstanceOf(SseParseError);
    expect(errors[0]).toMatchObject({
      type: 'unknown-field',
      field: 'foo',
      value: 'bar',
      lineNumber: 1,
    });
    expect(errors[0]!.message).toContain('"foo"');
  });

  it('(14) parses a ~4.8 MB event split into network-sized pieces, byte for byte', async () => {
    const line = 'The quick brown fox jumps over the lazy dog 你好 😀 '.repeat(95_000);
    const text = `data: ${line}\ndata: ${line}\n\n`;
    const seen: string[] = [];
    const parser = createSseParser({ onEvent: (e) => seen.push(e.data) });
    for (let i = 0; i < text.length; i += 1500) parser.feed(text.slice(i, i + 1500));
    parser.end();
    expect(seen).toHaveLength(1);
    const digest = async (s: string) =>
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
    expect(seen[0]!.length).toBeGreaterThan(4_800_000);
    expect(await digest(seen[0]!)).toEqual(await digest(`${line}\n${line}`));
  });

  it('(15) end() discards the unterminated event and locks the parser; reset() starts a new stream', () => {
    const { parser, calls } = recorder();
    parser.feed('id: 1\ndata: a\n\nevent: x\ndata: pending');
    parser.end();
    expect(calls).toEqual([
      ['id', '1'],
      ['event', { type: 'message', data: 'a', id: '1' }],
    ]);
    expect(() => parser.feed('\n\n')).toThrow(SseParserStateError);
    parser.reset();
    expect(parser.lastEventId).toBeUndefined();
    // A new stream: fresh buffers, a BOM is allowed again, the old id is gone.
    parser.feed('\uFEFFdata: b\n\n');
    expect(calls.at(-1)).toEqual(['event', { type: 'message', data: 'b' }]);
    // reset() mid-event discards that event too.
    parser.feed('data: half');
    parser.reset();
    parser.feed('\n\n');
    expect(calls).toHaveLength(3);
  });

  it('(16) throws max-buffer-size-exceeded when too much is held, until reset()', () => {
    const { parser, calls } = recorder({ maxBufferSize: 10 });
    parser.feed('data: 12345\n\n'); // a whole line within one piece is never held
    parser.feed('data: ab');
    let thrown: unknown;
    try {
      parser.feed('cdef');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SseParseError);
    expect(thrown).toMatchObject({ type: 'max-buffer-size-exceeded', lineNumber: 3 });
    expect(() => parser.feed('\n\n')).toThrow(thrown as Error);
    parser.reset();
    parser.feed('data: ok\n\n');
    expect(events(calls)).toEqual([
      { type: 'message', data: '12345' },
      { type: 'message', data: 'ok' },
    ]);
    // The data of an event being assembled counts too.
    const second = recorder({ maxBufferSize: 10 });
    second.parser.feed('data: 1234567\n');
    expect(() => second.parser.feed('data: 789\n')).toThrow(/maxBufferSize \(10\)/);
    expect(() => createSseParser({ onEvent() {} }, { maxBufferSize: -1 })).toThrow(RangeError);
  });

  it('(17) rejects a function or an object without onEvent', () => {
    // @ts-expect-error -- the v1/v2 eventsource-parser calling style
    expect(() => createSseParser(() => {})).toThrow(TypeError);
    // @ts-expect-error -- onEvent is required
    expect(() => createSseParser({})).toThrow(/onEvent/);
    const parser = createSseParser({ onEvent() {} });
    // @ts-expect-error -- bytes must be decoded first (SseParserStream does that)
    expect(() => parser.feed(new Uint8Array([100]))).toThrow(/expected a string/);
  });

  it('numbers lines across pieces and all three line endings', () => {
    const { parser, calls } = recorder();
    parser.feed('data: a\r\n\r\n: c\rda');
    parser.feed('ta: b\n\nnope\r');
    parser.feed('\nnope2\n');
    expect(calls.filter((c) => c[0] === 'error')).toEqual([
      ['error', 'unknown-field', 6, 'nope'],
      ['error', 'unknown-field', 7, 'nope2'],
    ]);
  });

  it('calls callbacks as methods, so `this` works', () => {
    const sink = {
      seen: [] as string[],
      onEvent(this: { seen: string[] }, e: { data: string }) {
        this.seen.push(e.data);
      },
    };
    createSseParser(sink).feed('data: a\n\n');
    expect(sink.seen).toEqual(['a']);
  });

  it('holds a line split into many tiny pieces in linear time (fragments, not concatenation)', () => {
    const seen: string[] = [];
    const parser = createSseParser({ onEvent: (e) => seen.push(e.data) });
    parser.feed('data: ');
    for (let i = 0; i < 200_000; i++) parser.feed('ab');
    parser.feed('\n\n');
    expect(seen[0]).toHaveLength(400_000);
  });
});
