import { describe, expect, it } from 'vitest';
import { encodeSseComment, encodeSseEvent, type SseEventInit } from './encode.ts';
import { SseEncodeError } from './errors.ts';
import { createSseParser } from './parse.ts';
import { createRandom } from './test-corpus.ts';
import type { SseEvent } from './types.ts';

function parseAll(text: string, cuts: readonly number[] = []): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser({ onEvent: (e) => events.push(e) });
  let start = 0;
  for (const end of [...cuts, text.length]) {
    parser.feed(text.slice(start, end));
    start = end;
  }
  parser.end();
  return events;
}

describe('encodeSseEvent', () => {
  it('writes the provider shapes exactly', () => {
    expect(encodeSseEvent({ data: '{"a":1}' })).toBe('data: {"a":1}\n\n');
    expect(encodeSseEvent({ type: 'message_stop', data: '{"type":"message_stop"}' })).toBe(
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    );
    expect(encodeSseEvent({ data: '[DONE]' })).toBe('data: [DONE]\n\n');
  });

  it('writes id, retry and multi-line data, with each line ending', () => {
    const event = { type: 't', id: '7', retry: 1500, data: 'a\nb' };
    expect(encodeSseEvent(event)).toBe('event: t\nid: 7\nretry: 1500\ndata: a\ndata: b\n\n');
    expect(encodeSseEvent(event, { lineEnding: '\r\n' })).toBe(
      'event: t\r\nid: 7\r\nretry: 1500\r\ndata: a\r\ndata: b\r\n\r\n',
    );
    expect(encodeSseEvent(event, { lineEnding: '\r' })).toBe(
      'event: t\rid: 7\rretry: 1500\rdata: a\rdata: b\r\r',
    );
  });

  it('keeps empty values and leading spaces meaningful', () => {
    expect(encodeSseEvent({ data: '' })).toBe('data:\n\n');
    expect(encodeSseEvent({ data: '\n' })).toBe('data:\ndata:\n\n');
    expect(encodeSseEvent({ data: ' x', id: '' })).toBe('id:\ndata:  x\n\n');
    expect(encodeSseEvent({ type: '', data: 'x' })).toBe('data: x\n\n');
  });

  it('splits data at CR and CRLF too, since receivers treat them as line ends', () => {
    expect(encodeSseEvent({ data: 'a\rb\r\nc' })).toBe('data: a\ndata: b\ndata: c\n\n');
  });

  it('refuses values that would corrupt the stream, with typed errors', () => {
    const attempt = (event: SseEventInit, lineEnding?: string) => {
      try {
        encodeSseEvent(event, { lineEnding: lineEnding as '\n' });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const [event, type, field] of [
      [{ type: 'a\nb', data: '' }, 'invalid-field-value', 'event'],
      [{ type: 'a\rb', data: '' }, 'invalid-field-value', 'event'],
      [{ id: '1\n', data: '' }, 'invalid-field-value', 'id'],
      [{ id: 'a\0b', data: '' }, 'invalid-field-value', 'id'],
      [{ retry: -1, data: '' }, 'invalid-retry', 'retry'],
      [{ retry: 1.5, data: '' }, 'invalid-retry', 'retry'],
      [{ retry: Number.NaN, data: '' }, 'invalid-retry', 'retry'],
    ] as const) {
      const error = attempt(event);
      expect(error, JSON.stringify(event)).toBeInstanceOf(SseEncodeError);
      expect(error).toMatchObject({ type, field });
    }
    expect(attempt({ data: 'x' }, '\n\n')).toMatchObject({
      type: 'invalid-line-ending',
      field: 'lineEnding',
    });
    expect(() => encodeSseEvent({ data: 5 as unknown as string })).toThrow(/data must be a string/);
  });
});

describe('encodeSseComment', () => {
  it('writes one comment line per line of text, dispatching nothing', () => {
    expect(encodeSseComment('keep-alive')).toBe(': keep-alive\n');
    expect(encodeSseComment()).toBe(':\n');
    expect(encodeSseComment('a\nb', { lineEnding: '\r\n' })).toBe(': a\r\n: b\r\n');
    const comments: string[] = [];
    const parser = createSseParser({
      onEvent: () => expect.unreachable('a comment must not dispatch'),
      onComment: (c) => comments.push(c),
    });
    parser.feed(encodeSseComment(' spaced\nline') + '\n');
    expect(comments).toEqual([' spaced', 'line']);
  });
});

describe('encoder/parser round trip (property)', () => {
  // Characters chosen to hit every rule: line breaks of all kinds, colons, spaces at the start,
  // NUL, BOM, surrogate pairs, combining marks, field-name look-alikes.
  const alphabet = [
    'a',
    'Z',
    '0',
    ' ',
    ':',
    '\n',
    '\r',
    '\r\n',
    '\0',
    '\uFEFF',
    '你',
    '😀',
    'e\u0301',
    'data:',
    'event:',
    'id:',
    '\t',
    '"',
    '{',
    '}',
  ];
  const randomText = (random: () => number, max: number) => {
    let s = '';
    const n = Math.floor(random() * max);
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(random() * alphabet.length)];
    return s;
  };
  const singleLine = (s: string) => s.replace(/[\r\n]/g, '');

  it('parses back exactly what was encoded, cut anywhere, with every line ending', () => {
    const seed = 20261124;
    const random = createRandom(seed);
    for (let round = 0; round < 300; round++) {
      const lineEnding = (['\n', '\r\n', '\r'] as const)[round % 3];
      const inputs: SseEventInit[] = [];
      let text = '';
      const count = 1 + Math.floor(random() * 6);
      for (let i = 0; i < count; i++) {
        const event: SseEventInit = { data: randomText(random, 30) };
        if (random() < 0.5) event.type = singleLine(randomText(random, 8));
        if (random() < 0.3) event.id = singleLine(randomText(random, 6)).replaceAll('\0', '');
        if (random() < 0.2) event.retry = Math.floor(random() * 100_000);
        inputs.push(event);
        text += encodeSseEvent(event, { lineEnding });
        if (random() < 0.3) text += encodeSseComment(randomText(random, 10), { lineEnding });
      }
      const cuts = Array.from({ length: 4 }, () => Math.floor(random() * text.length)).sort(
        (a, b) => a - b,
      );
      // What the receiver must see: CR and CRLF in data arrive as LF, the type defaults to
      // "message", the id persists to later events.
      let lastId: string | undefined;
      const expected = inputs.map((input) => {
        if (input.id !== undefined) lastId = input.id;
        const event: SseEvent = {
          type: input.type || 'message',
          data: input.data.replace(/\r\n|\r/g, '\n'),
        };
        if (lastId !== undefined) event.id = lastId;
        if (input.retry !== undefined) event.retry = input.retry;
        return event;
      });
      expect(
        parseAll(text, cuts),
        `seed ${seed}, round ${round}, text ${JSON.stringify(text)}`,
      ).toEqual(expected);
    }
  });
});
