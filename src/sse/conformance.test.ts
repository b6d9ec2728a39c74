/**
 * Conformance against eventsource-parser (v4): every stream of the corpus — the hand-built fixtures
 * and every scenario the mock server has, for all three providers — is cut at random boundaries,
 * and our parser must report exactly what eventsource-parser reports for the same pieces.
 *
 * The two differ by design in three ways, normalized here and pinned down in the last block:
 * `type` defaults to "message" (theirs: undefined), `id` is the spec's persistent last event ID
 * (theirs: the block's own id; we rebuild the persistent one from their `onId`), and our events
 * carry the block's `retry` (compared through `onRetry` instead).
 *
 * Random cuts use a seeded PRNG. The seed is printed, and every failure message names it; rerun a
 * failure with `SSE_CONFORMANCE_SEED=<seed>`.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createMockHandler, SCENARIO_NAMES, type Clock } from '../mock/core/index.ts';
import { SseParseError } from './errors.ts';
import { createSseParser } from './parse.ts';
import { SseParserStream } from './stream.ts';
import { corpusStreams, createRandom } from './test-corpus.ts';
import type { SseEvent } from './types.ts';

const SEED = Number(globalThis.process?.env.SSE_CONFORMANCE_SEED ?? 0x5eed5e);
console.log(`SSE conformance seed: ${SEED} (set SSE_CONFORMANCE_SEED to change it)`);

type Entry =
  | ['event', { type: string; data: string; id?: string }]
  | ['id', string]
  | ['retry', number]
  | ['comment', string];

interface Corpus {
  name: string;
  /** The stream as a server wrote it (for the mock: in the reads it actually produced). */
  chunks: Uint8Array[];
}

const utf8 = new TextEncoder();

// ---- Reference: eventsource-parser, normalized to our event shape. ----

function theirs(): { feed(text: string): void; log: Entry[] } {
  const log: Entry[] = [];
  let lastId: string | undefined;
  const parser = createParser({
    onEvent(e: EventSourceMessage) {
      const event: { type: string; data: string; id?: string } = {
        type: e.event ?? 'message',
        data: e.data,
      };
      if (lastId !== undefined) event.id = lastId;
      log.push(['event', event]);
    },
    // Called before onEvent with the block's id: the persistent ID, as the spec keeps it.
    onId(id) {
      lastId = id;
      log.push(['id', id]);
    },
    onRetry: (ms) => log.push(['retry', ms]),
    onComment: (text) => log.push(['comment', text]),
  });
  return { feed: (text) => parser.feed(text), log };
}

// ---- Ours, logged the same way (retry is compared through onRetry). ----

const stripRetry = ({ type, data, id }: SseEvent): Entry =>
  id === undefined ? ['event', { type, data }] : ['event', { type, data, id }];

function ours(): { feed(text: string): void; log: Entry[] } {
  const log: Entry[] = [];
  const parser = createSseParser({
    onEvent: (e) => log.push(stripRetry(e)),
    onId: (id) => log.push(['id', id]),
    onRetry: (ms) => log.push(['retry', ms]),
    onComment: (text) => log.push(['comment', text]),
  });
  return {
    feed: (text) => parser.feed(text),
    log,
  };
}

/** Ours through the byte-level stream wrapper; events and side callbacks are logged separately. */
async function oursStream(
  chunks: readonly Uint8Array[],
): Promise<{ events: Entry[]; side: Entry[] }> {
  const side: Entry[] = [];
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  const reader = source
    .pipeThrough(
      new SseParserStream({
        onId: (id) => side.push(['id', id]),
        onRetry: (ms) => side.push(['retry', ms]),
        onComment: (text) => side.push(['comment', text]),
      }),
    )
    .getReader();
  const events: Entry[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { events, side };
    events.push(stripRetry(value));
  }
}

// ---- Random cutting. ----

/** Cut points for `length` units: mostly network-sized pieces, sometimes tiny ones. */
function randomCuts(random: () => number, length: number, maxPieces = Infinity): number[] {
  const style = random();
  const maxSize = style < 0.3 ? 8 : style < 0.7 ? 64 : 4096;
  const cuts: number[] = [];
  let at = 0;
  while (cuts.length < maxPieces) {
    at += 1 + Math.floor(random() * maxSize);
    if (at >= length) break;
    cuts.push(at);
    // Now and then an empty piece, which must change nothing.
    if (random() < 0.02) cuts.push(at);
  }
  return cuts;
}

function cutAt<T extends { slice(a: number, b?: number): T; length: number }>(
  whole: T,
  cuts: readonly number[],
): T[] {
  const pieces: T[] = [];
  let start = 0;
  for (const end of [...cuts, whole.length]) {
    pieces.push(whole.slice(start, end));
    start = end;
  }
  return pieces;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Decodes byte pieces the way a careful client does: one streaming decoder, BOM kept for the parser. */
function decodePieces(pieces: readonly Uint8Array[]): string[] {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  return [...pieces.map((p) => decoder.decode(p, { stream: true })), decoder.decode()];
}

async function expectConformance(corpus: Corpus, rounds: number, random: () => number) {
  const bytes = concat(corpus.chunks);
  const text = decodePieces([bytes]).join('');
  const where = (how: string, round: number) =>
    `${corpus.name}: ${how}, round ${round}, seed ${SEED} (SSE_CONFORMANCE_SEED)`;

  // The stream as it was written, and as it arrived, through both parsers.
  const reference = theirs();
  reference.feed(text);
  expect(reference.log.length, `${corpus.name} yields something`).toBeGreaterThan(0);
  const asSent = await oursStream(corpus.chunks);
  expect(asSent.events, where('original reads, stream', 0)).toEqual(
    reference.log.filter((e) => e[0] === 'event'),
  );
  expect(asSent.side, where('original reads, stream', 0)).toEqual(
    reference.log.filter((e) => e[0] !== 'event'),
  );

  for (let round = 0; round < rounds; round++) {
    // Text cut anywhere (even between the halves of a surrogate pair or of a CRLF): both parsers
    // get the very same pieces and must make the very same calls.
    const textPieces = cutAt(text, randomCuts(random, text.length));
    const a = theirs();
    const b = ours();
    for (const piece of textPieces) {
      a.feed(piece);
      b.feed(piece);
    }
    expect(b.log, where('text pieces', round)).toEqual(a.log);

    // Bytes cut anywhere (through multi-byte characters): our stream wrapper against
    // eventsource-parser behind a streaming TextDecoder. At most 2,000 reads (the rest is one more),
    // since each read costs a few promise hops in the stream machinery.
    const bytePieces = cutAt(bytes, randomCuts(random, bytes.length, 2_000));
    const c = theirs();
    for (const piece of decodePieces(bytePieces)) c.feed(piece);
    const d = await oursStream(bytePieces);
    expect(d.events, where('byte pieces, stream', round)).toEqual(
      c.log.filter((e) => e[0] === 'event'),
    );
    expect(d.side, where('byte pieces, stream', round)).toEqual(
      c.log.filter((e) => e[0] !== 'event'),
    );
  }
}

// ---- The mock server's streams. ----

/**
 * A clock on which every sleep ends at once (time jumps ahead by the delay): the mock's paced streams
 * come out byte for byte as on a real clock, without a macrotask per event.
 */
function instantClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      now += Math.max(0, ms);
      return Promise.resolve();
    },
    alarm(due, aborted, signal) {
      return { set: (ms) => void this.sleep(ms, signal).then(due, aborted) };
    },
  };
}

const ROUTES = {
  'openai-chat': [
    '/v1/chat/completions',
    {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Explain streaming.' }],
      stream: true,
      stream_options: { include_usage: true },
    },
  ],
  'openai-responses': [
    '/v1/responses',
    { model: 'gpt-4o-mini', input: 'Explain streaming.', stream: true },
  ],
  anthropic: [
    '/v1/messages',
    {
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Explain streaming.' }],
      stream: true,
    },
  ],
} as const;

/** Every scenario × provider, as the bytes the mock sent (up to a drop, for the faulty ones). */
async function mockCorpus(): Promise<Corpus[]> {
  const handler = createMockHandler({ clock: instantClock(), epochMs: () => 1_700_000_000_000 });
  const corpus: Corpus[] = [];
  for (const scenario of SCENARIO_NAMES) {
    for (const [provider, [path, body]] of Object.entries(ROUTES)) {
      let response: Response | undefined;
      // Fail-then-succeed scenarios answer 429/5xx first; the same run id then streams.
      for (let attempt = 0; attempt < 5 && response?.status !== 200; attempt++) {
        response = await handler(
          new Request(`http://mock.test/scenarios/${scenario}${path}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-streamlab-run': `sse-${scenario}-${provider}`,
            },
            body: JSON.stringify(body),
          }),
        );
      }
      expect(response?.headers.get('content-type'), `${scenario} ${provider}`).toMatch(
        /^text\/event-stream/,
      );
      const chunks: Uint8Array[] = [];
      const reader = response!.body!.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
        }
      } catch {
        // `disconnect` and `stall` drop the connection: keep what arrived, as a client would.
      }
      corpus.push({ name: `mock ${scenario} ${provider}`, chunks });
    }
  }
  return corpus;
}

describe('conformance with eventsource-parser', () => {
  const random = createRandom(SEED);

  for (const stream of corpusStreams()) {
    it(`fixture ${stream.name}`, async () => {
      const bytes = utf8.encode(stream.text);
      await expectConformance({ name: stream.name, chunks: [bytes] }, 12, random);
    });
  }

  it('every mock scenario for every provider', { timeout: 120_000 }, async () => {
    const corpus = await mockCorpus();
    expect(corpus).toHaveLength(SCENARIO_NAMES.length * 3);
    // The instant clock must not cut streams short: complete ones end with their terminators.
    const decoded = (name: string) =>
      new TextDecoder().decode(concat(corpus.find((c) => c.name === name)!.chunks));
    expect(decoded('mock default openai-chat')).toMatch(/data: \[DONE\]\n\n$/);
    expect(decoded('mock long openai-responses')).toMatch(/response\.completed/);
    expect(decoded('mock heartbeats anthropic')).toMatch(/^: /m);
    expect(decoded('mock crlf anthropic')).toMatch(/event: message_stop\r\n/);
    for (const stream of corpus) await expectConformance(stream, 4, random);
  });
});

describe('differences from eventsource-parser, by design', () => {
  function both(...pieces: string[]) {
    const theirEvents: EventSourceMessage[] = [];
    const ourEvents: SseEvent[] = [];
    const theirErrors: string[] = [];
    const ourErrors: string[] = [];
    const t = createParser({
      onEvent: (e) => theirEvents.push(e),
      onError: (e) => theirErrors.push(e.type),
    });
    const o = createSseParser({
      onEvent: (e) => ourEvents.push(e),
      onError: (e) => ourErrors.push(e.type),
    });
    for (const piece of pieces) {
      t.feed(piece);
      o.feed(piece);
    }
    return { theirEvents, ourEvents, theirErrors, ourErrors };
  }

  it('an unnamed event has type "message" (as EventSource names it), not undefined', () => {
    const { theirEvents, ourEvents } = both('data: x\n\n');
    expect(theirEvents[0]?.event).toBeUndefined();
    expect(ourEvents[0]?.type).toBe('message');
  });

  it('id is the persistent last event ID, not only the id of the event’s own block', () => {
    const { theirEvents, ourEvents } = both('id: 1\ndata: a\n\ndata: b\n\n');
    expect(theirEvents.map((e) => e.id)).toEqual(['1', undefined]);
    expect(ourEvents.map((e) => e.id)).toEqual(['1', '1']);
  });

  it('an event carries the retry of its own block', () => {
    const { theirEvents, ourEvents } = both('retry: 500\ndata: a\n\ndata: b\n\n');
    expect(theirEvents).toEqual([
      { id: undefined, event: undefined, data: 'a' },
      { id: undefined, event: undefined, data: 'b' },
    ]);
    expect(ourEvents).toEqual([
      { type: 'message', data: 'a', retry: 500 },
      { type: 'message', data: 'b' },
    ]);
  });

  it('only a decoded U+FEFF counts as a BOM, not the three BOM bytes mis-decoded as Latin-1', () => {
    // "ï»¿" is what the BOM looks like when UTF-8 is decoded as Latin-1; a UTF-8 stream cannot hold it
    // as a BOM, so the spec makes it part of the field name (an unknown field).
    const { theirEvents, ourEvents, ourErrors } = both('\xEF\xBB\xBFdata: x\n\n');
    expect(theirEvents.map((e) => e.data)).toEqual(['x']);
    expect(ourEvents).toEqual([]);
    expect(ourErrors).toEqual(['unknown-field']);
  });

  it('an unknown field is reported however the line is cut (theirs drops split ones silently)', () => {
    const split = both('bogus', ' line\n');
    expect(split.theirErrors).toEqual([]);
    expect(split.ourErrors).toEqual(['unknown-field']);
    const whole = both('bogus line\n');
    expect(whole.theirErrors).toEqual(['unknown-field']);
    expect(whole.ourErrors).toEqual(['unknown-field']);
  });

  it('an id containing NUL is reported as invalid-id (theirs ignores it silently)', () => {
    const { theirErrors, ourErrors, ourEvents } = both('id: 1\0\ndata: x\n\n');
    expect(theirErrors).toEqual([]);
    expect(ourErrors).toEqual(['invalid-id']);
    expect(ourEvents).toEqual([{ type: 'message', data: 'x' }]);
  });

  it('a buffer overflow throws from the feed that caused it (theirs: onError, then throws later)', () => {
    const theirErrors: string[] = [];
    const t = createParser({
      onEvent() {},
      onError: (e) => theirErrors.push(e.type),
      maxBufferSize: 4,
    });
    const o = createSseParser({ onEvent() {} }, { maxBufferSize: 4 });
    expect(() => t.feed('data: 123456')).not.toThrow();
    expect(theirErrors).toEqual(['max-buffer-size-exceeded']);
    expect(() => t.feed('\n')).toThrow();
    expect(() => o.feed('data: 123456')).toThrow(SseParseError);
  });
});
