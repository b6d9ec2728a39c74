/**
 * Property tests against an oracle: a deliberately naive, line-by-line transcription of the WHATWG
 * "interpreting an event stream" algorithm, written for obviousness rather than speed. Random
 * streams (every field, comments, bad values, NUL, BOMs, all three line endings, unterminated
 * endings) are parsed by the oracle in one go and by the real parser cut at random places; every
 * callback, error line number and the final last event ID must agree.
 *
 * Seeded; a failure message names its seed and round. Override with `SSE_PROPERTY_SEED=<n>`.
 */
import { describe, expect, it } from 'vitest';
import { createSseParser } from './parse.ts';
import { SseParserStream } from './stream.ts';
import { createRandom } from './test-corpus.ts';
import type { SseEvent } from './types.ts';

const SEED = Number(globalThis.process?.env.SSE_PROPERTY_SEED ?? 0x0ddba11);
const ROUNDS = 400;

type Call =
  | ['event', SseEvent]
  | ['comment', string]
  | ['retry', number]
  | ['id', string]
  | ['error', string, number, string | undefined];

/** The oracle: the spec's steps, literally (buffers as strings, the data buffer with its LFs). */
function oracle(input: string): { calls: Call[]; lastEventId: string | undefined } {
  const calls: Call[] = [];
  // UTF-8 decode strips one leading BOM.
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  // Lines end at CRLF, CR or LF; what follows the last terminator is never a line ("pending data
  // must be discarded" at end of file).
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' || text[i] === '\n') {
      lines.push(text.slice(start, i));
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  let dataBuffer = '';
  let eventTypeBuffer = '';
  let lastEventIdBuffer: string | undefined; // undefined: never set (the spec's "" at start)
  let lastEventId: string | undefined;
  let blockHadId = false;
  let blockRetry: number | undefined;
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    if (line === '') {
      lastEventId = lastEventIdBuffer;
      if (blockHadId) calls.push(['id', lastEventIdBuffer!]);
      if (dataBuffer !== '') {
        const event: SseEvent = {
          type: eventTypeBuffer === '' ? 'message' : eventTypeBuffer,
          data: dataBuffer.endsWith('\n') ? dataBuffer.slice(0, -1) : dataBuffer,
        };
        if (lastEventId !== undefined) event.id = lastEventId;
        if (blockRetry !== undefined) event.retry = blockRetry;
        calls.push(['event', event]);
      }
      dataBuffer = '';
      eventTypeBuffer = '';
      blockHadId = false;
      blockRetry = undefined;
      return;
    }
    if (line.startsWith(':')) {
      calls.push(['comment', line.slice(1).replace(/^ /, '')]);
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') eventTypeBuffer = value;
    else if (field === 'data') dataBuffer += value + '\n';
    else if (field === 'id') {
      if (value.includes('\0')) calls.push(['error', 'invalid-id', lineNumber, line]);
      else {
        lastEventIdBuffer = value;
        blockHadId = true;
      }
    } else if (field === 'retry') {
      if (/^[0-9]+$/.test(value)) {
        blockRetry = Number(value);
        calls.push(['retry', blockRetry]);
      } else calls.push(['error', 'invalid-retry', lineNumber, line]);
    } else calls.push(['error', 'unknown-field', lineNumber, line]);
  });
  return { calls, lastEventId };
}

// ---- Random streams. ----

const VALUE_PARTS = [
  'a',
  'Z',
  '0',
  '42',
  ' ',
  ':',
  ': ',
  '\0',
  '\uFEFF',
  '你好',
  '😀',
  'e\u0301',
  '\uD83D',
  '{"x":1}',
  'data',
  'id',
  '\t',
];
const FIELDS = [
  'data',
  'data',
  'data',
  'event',
  'id',
  'retry',
  'Data',
  ' data',
  'foo',
  'data ',
  '',
  'ïd',
];
const EOLS = ['\n', '\n', '\r\n', '\r'];

function randomStream(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const value = () => {
    let v = '';
    for (let n = Math.floor(random() * 5); n > 0; n--) v += pick(VALUE_PARTS);
    return v;
  };
  let text = random() < 0.2 ? '\uFEFF' : '';
  const lineCount = Math.floor(random() * 40);
  for (let i = 0; i < lineCount; i++) {
    const r = random();
    let line: string;
    if (r < 0.25) line = '';
    else if (r < 0.32) line = `:${value()}`;
    else if (r < 0.4)
      line = `retry:${pick([' ', '', '  '])}${pick(['100', '0', '7x', '', '-1', '00'])}`;
    else if (r < 0.45) line = pick(['data', 'id', 'event', 'retry']);
    else line = `${pick(FIELDS)}:${pick(['', ' ', '  '])}${value()}`;
    text += line + pick(EOLS);
  }
  // Sometimes the stream stops mid-line or mid-event, as a dropped connection does.
  if (random() < 0.3) text += `data: ${value()}`;
  return text;
}

function cuts(random: () => number, length: number): number[] {
  const out: number[] = [];
  for (let n = Math.floor(random() * 8); n > 0; n--) out.push(Math.floor(random() * (length + 1)));
  return out.sort((a, b) => a - b);
}

function pieces<T extends { slice(a: number, b?: number): T; length: number }>(
  whole: T,
  at: readonly number[],
): T[] {
  const out: T[] = [];
  let start = 0;
  for (const end of [...at, whole.length]) {
    out.push(whole.slice(start, end));
    start = end;
  }
  return out;
}

function parseCut(text: string, at: readonly number[]) {
  const calls: Call[] = [];
  const parser = createSseParser({
    onEvent: (e) => calls.push(['event', e]),
    onComment: (c) => calls.push(['comment', c]),
    onRetry: (ms) => calls.push(['retry', ms]),
    onId: (id) => calls.push(['id', id]),
    onError: (e) => calls.push(['error', e.type, e.lineNumber, e.line]),
  });
  for (const piece of pieces(text, at)) parser.feed(piece);
  parser.end();
  return { calls, lastEventId: parser.lastEventId, parser };
}

describe('SSE parser properties (oracle: a literal transcription of the spec)', () => {
  it('agrees with the oracle on random streams cut at random places', () => {
    const random = createRandom(SEED);
    for (let round = 0; round < ROUNDS; round++) {
      const text = randomStream(random);
      const at = cuts(random, text.length);
      const where = `seed ${SEED}, round ${round}, cuts ${JSON.stringify(at)}, text ${JSON.stringify(text)}`;
      const expected = oracle(text);
      const actual = parseCut(text, at);
      expect(actual.calls, where).toEqual(expected.calls);
      expect(actual.lastEventId, where).toBe(expected.lastEventId);
    }
  });

  it('gives the same result after reset() as a fresh parser', () => {
    const random = createRandom(SEED + 1);
    for (let round = 0; round < 50; round++) {
      const first = randomStream(random);
      const second = randomStream(random);
      const calls: unknown[] = [];
      const parser = createSseParser({
        onEvent: (e) => calls.push(e),
        onError: (e) => calls.push([e.type, e.lineNumber]),
      });
      // Abandon the first stream anywhere, then read the second from its start.
      parser.feed(first.slice(0, Math.floor(random() * (first.length + 1))));
      parser.reset();
      calls.length = 0;
      parser.feed(second);
      parser.end();
      const fresh = oracle(second)
        .calls.filter((c) => c[0] === 'event' || c[0] === 'error')
        .map((c) => (c[0] === 'event' ? c[1] : [c[1], c[2]]));
      expect(calls, `seed ${SEED + 1}, round ${round}`).toEqual(fresh);
    }
  });

  it('never throws for a maxBufferSize at least as long as the stream', () => {
    const random = createRandom(SEED + 2);
    for (let round = 0; round < 100; round++) {
      const text = randomStream(random);
      const parser = createSseParser({ onEvent() {} }, { maxBufferSize: text.length });
      expect(
        () => {
          for (const piece of pieces(text, cuts(random, text.length))) parser.feed(piece);
        },
        `seed ${SEED + 2}, round ${round}`,
      ).not.toThrow();
    }
  });

  it('decodes bytes cut at random places exactly as the oracle reads the decoded text', async () => {
    const random = createRandom(SEED + 3);
    const encoder = new TextEncoder();
    for (let round = 0; round < 100; round++) {
      // Lone surrogates do not survive UTF-8; compare against what the bytes really say.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
        encoder.encode(randomStream(random)),
      );
      const bytes = encoder.encode(text);
      const source = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const piece of pieces(bytes, cuts(random, bytes.length))) controller.enqueue(piece);
          controller.close();
        },
      });
      const reader = source.pipeThrough(new SseParserStream()).getReader();
      const events: SseEvent[] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read()) events.push(r.value);
      const expected = oracle(text)
        .calls.filter((c) => c[0] === 'event')
        .map((c) => c[1]);
      expect(events, `seed ${SEED + 3}, round ${round}, text ${JSON.stringify(text)}`).toEqual(
        expected,
      );
    }
  });
});
