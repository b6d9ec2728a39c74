/**
 * Checks for the SSE events lab. `readEvents` is checked against streamlab's own spec-conformant parser on
 * real Anthropic streams from the mock, and on small hand-written streams for the rules a provider rarely
 * exercises (multi-line data, no space after the colon, comments, ids, the event type resetting).
 * `streamMessage` is checked on Anthropic streams, whole, hostile, failing and cut short.
 */
import {
  CheckFailure,
  defineChecks,
  fail,
  readSseEvents,
  rechunk,
} from '../../src/lab/checks/index.ts';
import type { CheckContext, ReferenceEvent } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;
type SseEvent = Solution.SseEvent;

const PATH = '/v1/messages';
/** The scenario's shape without its human-speed pacing: a check pass stays fast. */
const FAST = { 'x-streamlab-knobs': 'ttft_ms=0,tps=2000,read_gap_ms=0,heartbeat_ms=5' };
const BODY = {
  model: 'claude-sonnet-4-6',
  max_tokens: 300,
  stream: true,
  messages: [{ role: 'user', content: 'What does the event: field of an SSE event do?' }],
};

/** A tool the model calls when it is offered: its answer is a tool_use block, without text. */
const LOOKUP_TOOL = {
  name: 'lookup',
  description: 'Looks a term up in the SSE spec.',
  input_schema: { type: 'object', properties: { term: { type: 'string' } }, required: ['term'] },
};

const show = (value: unknown, max = 60): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/** A response whose body is `text`, delivered in reads of `size` bytes (whole when omitted). */
function handWritten(text: string, size?: number): Response {
  const response = new Response(text, { headers: { 'content-type': 'text/event-stream' } });
  return size ? rechunk(response, size) : response;
}

/** Runs `readEvents`, failing with a clear message if it hangs or passes something that is not an event. */
async function collect(ctx: Ctx, response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  await ctx.within(
    2_500,
    ctx.learner.readEvents(response, (event) => events.push(event)),
    'readEvents did not return after the stream ended: return when reader.read() says done',
  );
  for (const event of events) {
    if (!event || typeof event.type !== 'string' || typeof event.data !== 'string') {
      fail(
        `onEvent got ${show(event)}: pass objects { type, data, id? } with string type and data`,
      );
    }
  }
  return events;
}

/** Explains the first difference between what `readEvents` reported and the reference events. */
function compareEvents(got: SseEvent[], expected: ReferenceEvent[], where: string): void {
  for (let i = 0; i < Math.max(got.length, expected.length); i++) {
    const g = got[i];
    const e = expected[i];
    if (!e) {
      fail(
        `${where}: onEvent was called ${got.length} times for ${expected.length} events; extra event ${i + 1} is ${show(g)}${
          g && (g.data.startsWith(':') || g.data.includes('heartbeat'))
            ? ' (a comment line is not an event: skip lines that start with ":")'
            : ''
        }`,
      );
    }
    if (!g && got.length === 0) {
      fail(
        `${where}: onEvent was never called for the ${expected.length} events in the stream: a blank line ends each event, call onEvent there`,
      );
    }
    if (!g) {
      fail(
        `${where}: only ${got.length} of ${expected.length} events were reported; event ${i + 1} (${e.type}) is missing: an event split across two reads was dropped, or the last one was never dispatched`,
      );
    }
    if (g.type !== e.type) {
      fail(
        g.type === 'message' && e.type !== 'message'
          ? `${where}: event ${i + 1} came with the line "event: ${e.type}", but its type was reported as "message": read the event: field and use it as the type`
          : `${where}: event ${i + 1} should have type ${show(e.type)}, got ${show(g.type)}`,
      );
    }
    if (g.data !== e.data) {
      fail(
        g.data.includes('\uFFFD') && !e.data.includes('\uFFFD')
          ? `${where}: a character split across two reads came out as \uFFFD in event ${i + 1}: decode with one TextDecoder and { stream: true }`
          : `${where}: event ${i + 1} (${e.type}) should have data ${show(e.data)}, got ${show(g.data)}`,
      );
    }
  }
}

/**
 * The reference events and the learner's for one mock response (scenario of the check). When the scenario
 * splits reads and the learner's reader fails on it, the same stream in whole events tells whether the
 * split is what broke it, so the message can say so.
 */
async function expectSameEvents(ctx: Ctx, where: string, splitReads = false): Promise<void> {
  const reference = await ctx.request(PATH, BODY, { record: false, headers: FAST });
  const expected = await readSseEvents(reference);
  const got = await collect(ctx, await ctx.request(PATH, BODY, { headers: FAST }));
  try {
    compareEvents(got, expected, where);
  } catch (error) {
    if (!splitReads || !(error instanceof CheckFailure)) throw error;
    const whole = await ctx.request(PATH, BODY, {
      record: false,
      scenario: 'default',
      headers: FAST,
    });
    try {
      compareEvents(await collect(ctx, whole), expected, where);
    } catch {
      throw error; // broken on whole events too: the first message says what is wrong
    }
    const lf = await ctx.request(PATH, BODY, {
      record: false,
      headers: { 'x-streamlab-knobs': `${FAST['x-streamlab-knobs']},crlf=0` },
    });
    const lfOk = await collect(ctx, lf)
      .then((events) => (compareEvents(events, expected, where), true))
      .catch(() => false);
    if (lfOk)
      fail(
        `${where} reads this stream split across reads with LF line endings, but not with CRLF (${error.message}). Likely cause: a CRLF split across two reads (\\r ending one read, \\n starting the next) is taken as two line ends, which makes a blank line in the middle of an event; keep a \\r at the end of a read until the next read says whether \\n follows`,
      );
    fail(
      `${where} reads this stream right when every read holds whole events, but not when lines are split across two reads (${error.message}). Likely cause: each read is split into lines on its own; keep the unfinished end of each read in a buffer until the next read completes it`,
    );
  }
}

/** The text and stop reason the Anthropic stream carries, from the reference parser. */
async function expectedMessage(
  ctx: Ctx,
  body: object = BODY,
): Promise<{ text: string; stopReason: string | null }> {
  const events = await readSseEvents(
    await ctx.request(PATH, body, { record: false, headers: FAST }),
  );
  let text = '';
  let stopReason: string | null = null;
  for (const event of events) {
    const payload = JSON.parse(event.data) as {
      delta?: { type?: string; text?: string; stop_reason?: string };
    };
    if (event.type === 'content_block_delta' && payload.delta?.type === 'text_delta')
      text += payload.delta.text ?? '';
    if (event.type === 'message_delta') stopReason = payload.delta?.stop_reason ?? null;
  }
  return { text, stopReason };
}

async function runMessage(ctx: Ctx, response: Response) {
  const pieces: string[] = [];
  const message = await ctx.within(
    2_500,
    ctx.learner.streamMessage(response, (piece) => pieces.push(piece)),
    'streamMessage did not return after message_stop',
  );
  if (!message || typeof message !== 'object')
    fail('streamMessage must return { text, stopReason }');
  return { message, pieces };
}

/** `streamMessage` on the check's scenario must return exactly the text the stream carried. */
async function expectWholeMessage(ctx: Ctx, size?: number): Promise<void> {
  const expected = await expectedMessage(ctx);
  let response = await ctx.request(PATH, BODY, { headers: FAST });
  if (size) response = rechunk(response, size);
  const { message, pieces } = await runMessage(ctx, response);
  const joined = pieces.join('');
  if (message.text !== expected.text) {
    if (message.text === '')
      fail(
        'streamMessage returned no text: the text is in the events with "event: content_block_delta", in delta.text (delta.type "text_delta")',
      );
    if (message.text.includes('\uFFFD') && !expected.text.includes('\uFFFD'))
      fail(
        'a character split across two reads came out as \uFFFD: decode with one TextDecoder and { stream: true }',
      );
    fail(
      `the returned text differs from the text that was sent (${expected.text.length} characters): expected ${show(expected.text)}, got ${show(message.text)}`,
    );
  }
  if (joined !== expected.text)
    fail(
      `the pieces passed to onText do not add up to the text: call onText with each delta.text as it arrives (got ${show(joined)})`,
    );
}

/** Two text deltas of one Anthropic message, with multi-byte text, as SSE. */
const DELTAS = ['Grüße, ', 'naïve café ', '👋 done'].map(
  (text) =>
    `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })}\n\n`,
);

/**
 * A body of `bytes` that stops after `at` bytes: closed cleanly, or failed as a dropped connection
 * (`reader.read()` rejects) when `fail` is set.
 */
function cutBody(bytes: Uint8Array, at: number, fail: boolean): Response {
  let sent = false;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!sent) {
          sent = true;
          controller.enqueue(bytes.slice(0, at));
          return;
        }
        if (fail) controller.error(new TypeError('network error: the connection was reset'));
        else controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

/** Two whole events, then a third cut inside its emoji (after the 2nd of its 4 bytes). */
function cutInsideCharacter(fail: boolean): Response {
  const bytes = new TextEncoder().encode(DELTAS.join(''));
  const whole = new TextEncoder().encode(DELTAS[0]! + DELTAS[1]!).length;
  const emoji = new TextEncoder().encode(
    DELTAS.join('').slice(0, DELTAS.join('').indexOf('👋')),
  ).length;
  if (emoji <= whole) throw new Error('cutInsideCharacter: the emoji must be in the third event');
  return cutBody(bytes, emoji + 2, fail);
}

/** Throws unless `work` rejects; returns the error's message. */
async function expectThrow(ctx: Ctx, work: Promise<unknown>, message: string): Promise<string> {
  const outcome = await ctx.within(
    2_500,
    work.then(
      () => undefined,
      (error: unknown) => ({ error }),
    ),
    `${message}; instead streamMessage never returned`,
  );
  if (!outcome) fail(message);
  return outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
}

export default defineChecks<typeof Solution>([
  {
    id: 'named-events',
    name: 'Reports each event with its event: type',
    async run(ctx) {
      await expectSameEvents(ctx, 'an Anthropic stream');
    },
  },
  {
    id: 'multi-line-data',
    name: 'Joins multi-line data with a newline',
    async run(ctx) {
      const events = await collect(
        ctx,
        handWritten('data: first line\ndata: second line\ndata:\ndata: fourth\n\n'),
      );
      const expected = 'first line\nsecond line\n\nfourth';
      if (events.length !== 1)
        fail(
          `one event with four data: lines was reported as ${events.length} events: the data lines of one event belong together until the blank line`,
        );
      if (events[0]!.data !== expected)
        fail(
          `the four data: lines of one event must be joined with "\\n" (${show(expected)}), got ${show(events[0]!.data)}`,
        );
      if (events[0]!.type !== 'message')
        fail(
          `the stream's first event has no event: line, so its type is "message", got ${show(events[0]!.type)}. Likely cause: the event type starts out as something other than empty before the first event; start it empty, as after each blank line`,
        );
    },
  },
  {
    id: 'field-values',
    name: 'Reads field values with and without a space after the colon',
    async run(ctx) {
      const events = await collect(
        ctx,
        handWritten('event:update\ndata:{"n":1}\n\nevent: update\ndata:  indented\n\n'),
      );
      if (events[0]?.data !== '{"n":1}' || events[0]?.type !== 'update')
        fail(
          `"event:update" and "data:{"n":1}" have no space after the colon, which is allowed: expected type "update" and data ${show('{"n":1}')}, got ${show(events[0])}`,
        );
      if (events[1]?.data !== ' indented')
        fail(
          `"data:  indented" has two spaces: only one space after the colon is removed, so the data is " indented"; got ${show(events[1]?.data)}`,
        );
    },
  },
  {
    id: 'field-without-colon',
    name: 'Reads a field line without a colon',
    hidden: true,
    condition: 'a data line with no colon in the middle of an event',
    async run(ctx) {
      const events = await collect(ctx, handWritten('data: first\ndata\ndata: third\n\n'));
      const expected = 'first\n\nthird';
      if (events.length !== 1 || events[0]!.data !== expected)
        fail(
          `the event "data: first", "data", "data: third" (its middle line has no colon) should be one event with data ${show(expected)}, got ${show(events)}. Likely cause: a line without a colon is skipped or read as something else; the spec reads it as a field whose name is the whole line and whose value is empty, so "data" adds an empty data line`,
        );
    },
  },
  {
    id: 'comments-and-ids',
    name: 'Skips comments and keeps the last id',
    async run(ctx) {
      const events = await collect(
        ctx,
        handWritten(
          ': connected\n\nid: 41\ndata: a\n\n: keep-alive\ndata: b\nretry: 3000\nunknown: x\n\nid: 42\ndata: c\n\n',
        ),
      );
      const expected = [
        { type: 'message', data: 'a', id: '41' },
        { type: 'message', data: 'b', id: '41' },
        { type: 'message', data: 'c', id: '42' },
      ];
      compareEvents(events, expected, 'a stream with comments, ids and a retry: field');
      for (const [i, e] of expected.entries()) {
        if (events[i]?.id !== e.id)
          fail(
            `event ${i + 1} should carry id ${show(e.id)} (the last id: seen, which stays until another id: line), got ${show(events[i]?.id)}`,
          );
      }
    },
  },
  {
    id: 'event-type-resets',
    name: 'Resets the event type after each event',
    async run(ctx) {
      const events = await collect(ctx, handWritten('event: ping\ndata: {}\n\ndata: plain\n\n'));
      if (events[1]?.type !== 'message')
        fail(
          `an event without an event: line has type "message", even right after "event: ping": reset the type after each event (got ${show(events[1]?.type)})`,
        );
    },
  },
  {
    id: 'anthropic-text',
    name: 'Streams the text of an Anthropic message',
    run: (ctx) => expectWholeMessage(ctx),
  },
  {
    id: 'stop-reason',
    name: 'Returns the stop reason',
    async run(ctx) {
      const short = { ...BODY, max_tokens: 5 };
      const expected = await expectedMessage(ctx, short);
      const { message } = await runMessage(ctx, await ctx.request(PATH, short, { headers: FAST }));
      if (message.stopReason !== expected.stopReason)
        fail(
          `with max_tokens 5 the stop reason is ${show(expected.stopReason)} (in the message_delta event's delta.stop_reason), got ${show(message.stopReason)}`,
        );
    },
  },
  {
    id: 'tool-use-text',
    name: 'Takes text only from text deltas',
    hidden: true,
    condition: 'a tool_use answer, whose deltas are input_json_delta',
    async run(ctx) {
      const body = { ...BODY, tools: [LOOKUP_TOOL] };
      const expected = await expectedMessage(ctx, body);
      const { message, pieces } = await runMessage(
        ctx,
        await ctx.request(PATH, body, { headers: FAST }),
      );
      if (message.text !== expected.text || pieces.join('') !== expected.text)
        fail(
          `with a tool offered, the answer is a tool_use block: its content_block_delta events carry delta.type "input_json_delta" and delta.partial_json, and no text (expected text ${show(expected.text)}); streamMessage returned text ${show(message.text)} and passed onText ${show(pieces)}. Likely cause: every content_block_delta is taken as text; take delta.text only when delta.type is "text_delta"`,
        );
      if (message.stopReason !== expected.stopReason)
        fail(
          `the tool_use answer's stop reason is ${show(expected.stopReason)}, got ${show(message.stopReason)}`,
        );
    },
  },
  {
    id: 'fragmented',
    name: 'Handles events split across reads (and CRLF)',
    hidden: true,
    scenario: 'fragmented',
    condition: 'events split across reads, CRLF line endings',
    async run(ctx) {
      await expectSameEvents(ctx, 'readEvents', true);
      await expectWholeMessage(ctx);
    },
  },
  {
    id: 'one-byte-reads',
    name: 'Handles one-byte reads',
    hidden: true,
    scenario: 'one-byte-reads',
    condition: 'one-byte reads',
    run: (ctx) => expectSameEvents(ctx, 'readEvents', true),
  },
  {
    id: 'line-endings',
    name: 'Accepts CRLF and CR line endings',
    hidden: true,
    scenario: 'crlf',
    condition: 'CRLF and lone CR line endings',
    async run(ctx) {
      await expectSameEvents(ctx, 'readEvents');
      const events = await collect(ctx, handWritten('event: a\rdata: 1\r\rdata: 2\r\n\r\n', 3));
      compareEvents(
        events,
        [
          { type: 'a', data: '1' },
          { type: 'message', data: '2' },
        ],
        'lines ending in a lone \\r',
      );
    },
  },
  {
    id: 'heartbeats',
    name: 'Skips heartbeat comments between events',
    hidden: true,
    scenario: 'heartbeats',
    condition: 'heartbeat comments between events',
    async run(ctx) {
      await expectSameEvents(ctx, 'readEvents');
      await expectWholeMessage(ctx);
    },
  },
  {
    id: 'unicode',
    name: 'Keeps multi-byte characters intact',
    hidden: true,
    scenario: 'unicode',
    condition: 'multi-byte characters split across reads',
    run: (ctx) => expectWholeMessage(ctx, 5),
  },
  {
    id: 'error-event',
    name: 'Throws on an error event',
    hidden: true,
    scenario: 'overloaded',
    condition: 'an overloaded_error event half-way through',
    async run(ctx) {
      const message = await expectThrow(
        ctx,
        ctx.learner.streamMessage(await ctx.request(PATH, BODY, { headers: FAST }), () => {}),
        'the stream sent "event: error" (overloaded_error) half-way, but streamMessage returned as if the answer were complete: throw on an error event',
      );
      if (!/overloaded/i.test(message))
        fail(
          `streamMessage threw "${message}"; say what the error event said (its error.type is overloaded_error) so the caller can decide to retry`,
        );
    },
  },
  {
    id: 'cut-short',
    name: 'Notices a stream cut before message_stop',
    hidden: true,
    condition: 'a stream that ends before message_stop',
    async run(ctx) {
      const events = await readSseEvents(
        await ctx.request(PATH, BODY, { record: false, headers: FAST }),
      );
      const kept = events.filter((e) => e.type !== 'message_stop' && e.type !== 'message_delta');
      const text = kept.map((e) => `event: ${e.type}\ndata: ${e.data}\n\n`).join('');
      await expectThrow(
        ctx,
        ctx.learner.streamMessage(handWritten(text), () => {}),
        'the stream ended without message_stop, but streamMessage returned as if the answer were complete: throw when the stream ends before message_stop',
      );
    },
  },
  {
    id: 'cut-after-stop-reason',
    name: 'Needs message_stop even after the stop reason came',
    hidden: true,
    condition: 'a stream that ends cleanly after message_delta, without message_stop',
    async run(ctx) {
      const events = await readSseEvents(
        await ctx.request(PATH, BODY, { record: false, headers: FAST }),
      );
      const kept = events.filter((e) => e.type !== 'message_stop');
      const text = kept.map((e) => `event: ${e.type}\ndata: ${e.data}\n\n`).join('');
      await expectThrow(
        ctx,
        ctx.learner.streamMessage(handWritten(text), () => {}),
        'the stream sent message_delta with its stop_reason, then ended cleanly without message_stop, and streamMessage returned as if the answer were complete. Likely cause: the end is decided by the stop reason; only message_stop says the message is complete, so throw when the stream ends before message_stop',
      );
    },
  },
  {
    id: 'cut-mid-line',
    name: 'Drops an event cut inside a line or a character',
    hidden: true,
    condition:
      'a connection closed, or dropped, in the middle of a line and of a multi-byte character',
    async run(ctx) {
      const events = await collect(ctx, cutInsideCharacter(false));
      const expected = DELTAS.slice(0, 2).map((e) => ({
        type: 'content_block_delta',
        data: e.split('\n')[1]!.slice('data: '.length),
      }));
      if (events.length > 2)
        fail(
          `the stream closed in the middle of the third event's data: line (inside a 4-byte emoji), and readEvents reported ${events.length} events, the last one's data ending in ${show(events[events.length - 1]!.data.slice(-24))}. Likely cause: the unfinished line or event left in the buffer is dispatched when the stream ends; an event counts only once its blank line arrives, so drop what is left at the end`,
        );
      compareEvents(events, expected, 'a stream closed in the middle of a line');
      const outcome = await ctx.within(
        2_500,
        ctx.learner
          .readEvents(cutInsideCharacter(true), () => {})
          .then(
            () => 'returned',
            () => 'threw',
          ),
        'readEvents never returned when the connection dropped in the middle of a line',
      );
      if (outcome === 'returned')
        fail(
          'the connection dropped in the middle of a line (reader.read() rejected with a network error), and readEvents returned normally, as if the stream had ended. Likely cause: the error from reader.read() is caught and ignored; let it propagate (or rethrow it), so the caller can tell a failure from an end',
        );
    },
  },
]);
