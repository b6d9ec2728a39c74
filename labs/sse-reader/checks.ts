/**
 * Checks for the SSE reader lab. Visible checks run on every Run under the scenario the learner picked;
 * hidden checks feed the learner's `streamText` the same answer under hostile conditions and say which
 * condition broke it.
 */
import {
  assert,
  chatChunkEvent,
  chatTextOf,
  defineChecks,
  fail,
  holdOpen,
  readChatText,
  readSseEvents,
  rechunk,
  sseResponse,
  writeSse,
} from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;

const PATH = '/v1/chat/completions';
/**
 * Checks do not need the scenario's human-speed pacing, only its shape: no wait for the first token and a
 * fast token rate keep a full check pass well inside the time limit (the mock's knob override header).
 */
const FAST = { 'x-streamlab-knobs': 'ttft_ms=0,tps=2000,read_gap_ms=0' };
const BODY = {
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Explain Server-Sent Events in two sentences.' }],
};

/** The text the stream carries, from streamlab's own parser over an unrecorded copy of the response. */
async function expectedText(ctx: Ctx, scenario?: string): Promise<string> {
  const response = await ctx.request(PATH, BODY, {
    record: false,
    scenario: scenario ?? ctx.scenario,
    headers: FAST,
  });
  return readChatText(response);
}

/** The reference stream's events under `default`, from an unrecorded request (checks rewrite them). */
async function referenceEvents(ctx: Ctx) {
  return readSseEvents(
    await ctx.request(PATH, BODY, { headers: FAST, record: false, scenario: 'default' }),
  );
}

/** Calls the learner's `streamText`, collecting the pieces and when each arrived. */
async function collect(ctx: Ctx, response: Response) {
  const pieces: Array<{ t: number; text: string }> = [];
  const returned = await ctx.within(
    2_500,
    ctx.learner.streamText(response, (text) => pieces.push({ t: ctx.now(), text })),
    'streamText did not return: it is still waiting after the last event. Return once you have read data: [DONE].',
  );
  return { returned, pieces, joined: pieces.map((p) => p.text).join('') };
}

const show = (text: string, max = 40): string =>
  JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * The likely cause of a wrong text under each scenario (the condition the stream was sent under), worded
 * as likely: the message first says what came back, then this.
 */
const LIKELY_CAUSE: Record<string, string> = {
  crlf: 'lines are split on "\\n" alone. Each line then keeps its "\\r", so the blank line that ends an event reads as "\\r", never as empty, and no event is dispatched; split lines on "\\r\\n", "\\r" and "\\n"',
  fragmented:
    'an event split across two reads was dropped or parsed in halves (keep the unfinished end of each read in a buffer until the next read completes it), or, as this scenario also ends lines with CRLF, "\\r\\n" line endings were not recognised',
  'one-byte-reads':
    'each read is parsed on its own, so a line that arrives one byte at a time is never whole; keep the unfinished end of each read in a buffer',
  heartbeats:
    'comment lines (": keep-alive", starting with a colon) were taken for data or ended the reading; skip lines that start with ":"',
  unicode:
    'a read that ends inside an event, or inside a character, lost its end; buffer partial lines and decode with one TextDecoder and { stream: true }',
};
const DEFAULT_CAUSE =
  'the reader does not follow the SSE format: one event is "data: <json>" lines ended by a blank line';

/** Compares what the learner produced with the expected text: what came back first, then the likely cause. */
function explain(
  expected: string,
  got: string,
  what: string,
  scenario: string,
): string | undefined {
  if (got === expected) return undefined;
  if (got.includes('\uFFFD') && !expected.includes('\uFFFD')) {
    return `a character the stream sent came out as U+FFFD (\uFFFD) in ${what} (got ${show(got)}). Likely cause: a character split across two reads was decoded in halves; decode with one TextDecoder and { stream: true }`;
  }
  const cause = LIKELY_CAUSE[scenario] ?? DEFAULT_CAUSE;
  if (got === '') {
    return `${what} held no text; the stream carried ${expected.length} characters. Likely cause: ${cause}`;
  }
  if (got.length < expected.length) {
    return `${what} held ${got.length} of the ${expected.length} characters sent (got ${show(got)}, expected ${show(expected)}). Likely cause: ${cause}`;
  }
  return `${what} differs from the text that was sent: expected ${show(expected)}, got ${show(got)}. Likely cause: ${cause}`;
}

/** What `explain` calls the pieces: one name whether onText was called once or many times. */
const PIECES = 'the text passed to onText';

/**
 * A failure message when onText was given the running total instead of each new piece: every piece a
 * prefix of the text, each at least as long as the one before ("Good", "Good questi", …).
 */
function cumulative(expected: string, pieces: readonly { text: string }[]): string | undefined {
  const texts = pieces.map((p) => String(p.text)).filter((text) => text !== '');
  if (texts.length < 2 || texts.join('') === expected) return undefined;
  const grows = texts.every(
    (text, i) => expected.startsWith(text) && (i === 0 || text.startsWith(texts[i - 1]!)),
  );
  if (!grows || texts.at(-1) === texts[0]) return undefined;
  return `onText was called with the text so far each time (${show(texts[0]!, 20)}, then ${show(texts[1]!, 20)}, …), not with each new piece, so whoever joins the pieces gets the text many times over. Likely cause: onText is called with the running total (text += piece; onText(text)); call it with the new piece alone (onText(piece))`;
}

/** A reply with pieces that are only whitespace, as models send between words and paragraphs. */
// It ends with a line break: a reader that trims what it returns loses it.
const SPACED = ['Two', ' ', 'lines', ':', '\n', 'one', ',', '\n\n', 'then', ' ', 'two', '.', '\n'];
const BLANK_CAUSE =
  'a piece is skipped when it is blank (if (piece.trim()) …) or is trimmed; a space or a line break is text too: skip only content that is missing or empty (null, undefined or "")';
const MULTI_LINE_CAUSE =
  'each data: line is parsed on its own (as it arrives, or only the last one is kept); collect the data: lines of an event and, at the blank line that ends it, join them with "\\n" and parse that';

/** Rethrows a check's own failure; anything else thrown (even a value whose every trap throws) is the learner's. */
function rethrowFailure(error: unknown): void {
  let ours = false;
  try {
    ours = error instanceof Error && error.name === 'CheckFailure';
  } catch {
    // A value whose prototype or name cannot be read is not a CheckFailure.
  }
  if (ours) throw error;
}

/** The message of what the learner's code threw, as text; never throws. */
function thrownText(error: unknown): string {
  try {
    return String((error as Error)?.message ?? error);
  } catch {
    return 'a value that cannot be shown';
  }
}

/** Calls `streamText` on a hand-written stream, failing with `cause` if it throws. */
async function collectOrExplain(ctx: Ctx, response: Response, input: string, cause: string) {
  try {
    return await collect(ctx, response);
  } catch (error) {
    rethrowFailure(error);
    return fail(
      `streamText threw ${show(thrownText(error), 100)} on ${input}. Likely cause: ${cause}`,
    );
  }
}

/**
 * Fails if onText got the running total; else names what differs first: the pieces joined, or (when
 * they are right) the text `streamText` returned, with that text (`got`).
 */
function firstDifference(
  expected: string,
  { returned, joined, pieces }: Awaited<ReturnType<typeof collect>>,
): { what: string; got: string } {
  const total = cumulative(expected, pieces);
  if (total) fail(total);
  return joined === expected
    ? { what: 'the returned text', got: String(returned) }
    : { what: PIECES, got: joined };
}

/** Runs `streamText` on a response and fails with a teaching message unless all the text came back. */
async function expectWhole(ctx: Ctx, response: Response): Promise<void> {
  const expected = await expectedText(ctx);
  const { returned, joined, pieces } = await collect(ctx, response);
  const problem =
    cumulative(expected, pieces) ??
    explain(expected, joined, PIECES, ctx.scenario) ??
    explain(
      expected,
      typeof returned === 'string' ? returned : String(returned),
      'the returned text',
      ctx.scenario,
    );
  if (problem) fail(problem);
}

export default defineChecks<typeof Solution>([
  {
    id: 'whole-text',
    name: 'Returns the whole answer',
    async run(ctx) {
      const expected = await expectedText(ctx);
      const { returned } = await collect(ctx, await ctx.request(PATH, BODY, { headers: FAST }));
      assert(typeof returned === 'string', 'streamText must return the text (a string)');
      assert(
        returned !== '',
        'streamText returned an empty string: no text was read from the stream',
      );
      const problem = explain(expected, returned, 'the returned text', ctx.scenario);
      if (problem) fail(problem);
    },
  },
  {
    id: 'pieces-in-order',
    name: 'Calls onText with each piece, in order',
    async run(ctx) {
      const expected = await expectedText(ctx);
      const { pieces, joined } = await collect(
        ctx,
        await ctx.request(PATH, BODY, { headers: FAST }),
      );
      assert(pieces.length > 0, 'onText was never called: call it with each piece of text');
      assert(
        pieces.length > 1,
        'onText was called once with everything: call it once per event, as each piece arrives',
      );
      const problem =
        cumulative(expected, pieces) ?? explain(expected, joined, PIECES, ctx.scenario);
      if (problem) fail(problem);
    },
  },
  {
    id: 'incremental',
    name: 'Shows text before the stream ends',
    async run(ctx) {
      const { pieces } = await collect(ctx, await ctx.request(PATH, BODY, { headers: FAST }));
      const attempt = ctx.attempts()[0];
      assert(attempt && pieces[0], 'onText was never called');
      const lastRead = attempt.reads.at(-1);
      assert(lastRead, 'the response body was never read');
      assert(
        attempt.reads.length < 2 || pieces[0].t < lastRead.t,
        'the first piece of text was delivered only after the whole body was read: handle each read as it arrives instead of waiting for response.text()',
      );
    },
  },
  {
    id: 'split-event',
    name: 'Handles an event split across two reads',
    hidden: true,
    scenario: 'fragmented',
    condition: 'events split across reads (LF line endings)',
    // The scenario also uses CRLF; that has a check of its own, so a CRLF bug is not blamed on splits.
    run: async (ctx) =>
      expectWhole(
        ctx,
        await ctx.request(PATH, BODY, {
          headers: { 'x-streamlab-knobs': `${FAST['x-streamlab-knobs']},crlf=0` },
        }),
      ),
  },
  {
    id: 'one-byte-reads',
    name: 'Handles one-byte reads',
    hidden: true,
    scenario: 'one-byte-reads',
    condition: 'one-byte reads',
    run: async (ctx) => expectWhole(ctx, await ctx.request(PATH, BODY, { headers: FAST })),
  },
  {
    id: 'split-character',
    name: 'Keeps characters split across reads intact',
    hidden: true,
    scenario: 'unicode',
    condition: 'multi-byte characters split across reads',
    // The scenario's reads of 1-7 bytes split characters; re-slicing into 5-byte reads makes sure of it.
    run: async (ctx) =>
      expectWhole(ctx, rechunk(await ctx.request(PATH, BODY, { headers: FAST }), 5)),
  },
  {
    id: 'crlf',
    name: 'Accepts CRLF line endings',
    hidden: true,
    scenario: 'crlf',
    condition: 'CRLF line endings',
    run: async (ctx) => expectWhole(ctx, await ctx.request(PATH, BODY, { headers: FAST })),
  },
  {
    id: 'heartbeats',
    name: 'Skips heartbeat comments',
    hidden: true,
    scenario: 'heartbeats',
    condition: 'heartbeat comments between events, each a block of its own ended by a blank line',
    async run(ctx) {
      await expectWhole(ctx, await ctx.request(PATH, BODY, { headers: FAST }));
      // A heartbeat as many servers send it: a comment and a blank line, an event with no data.
      const events = await referenceEvents(ctx);
      const text = events.map((e) => `: keep-alive\n\n${writeSse([e])}`).join('');
      await expectWhole(ctx, sseResponse(text, 7));
    },
  },
  {
    id: 'cr-line-endings',
    name: 'Accepts a lone CR as a line ending',
    hidden: true,
    scenario: 'default',
    condition: 'every line ended by a lone CR ("\\r"), as the format allows, in 7-byte reads',
    async run(ctx) {
      const events = await referenceEvents(ctx);
      const expected = chatTextOf(events);
      const collected = await collect(ctx, sseResponse(writeSse(events, { eol: '\r' }), 7));
      const { what, got } = firstDifference(expected, collected);
      if (collected.joined !== expected || collected.returned !== expected)
        fail(
          `with every line ended by a lone "\\r", ${what} held ${got.length} of the ${expected.length} characters sent (got ${show(got)}). Likely cause: lines are split on "\\n" and "\\r\\n" only; the format also ends a line with a lone "\\r" (split on /\\r\\n|\\r|\\n/, keeping a "\\r" at the end of a read until the next read shows whether "\\n" follows)`,
        );
    },
  },
  {
    id: 'stops-at-done',
    name: 'Stops at data: [DONE]',
    hidden: true,
    condition: 'a connection left open after [DONE]',
    async run(ctx) {
      const held = holdOpen(await ctx.request(PATH, BODY, { headers: FAST }));
      await ctx.within(
        1_500,
        ctx.learner.streamText(held.response, () => {}),
        'streamText kept reading after data: [DONE] and never returned; a server may keep the connection open, so stop at [DONE]',
      );
      if (!held.cancelled())
        fail(
          'the server kept the connection open after data: [DONE]; streamText returned but left the response body open. Likely cause: the reader is not cancelled at [DONE]; call reader.cancel() (or leave the for await loop) so the connection is released',
        );
    },
  },
  {
    id: 'format-edges',
    name: 'Reads data: without its space, and lines it does not know',
    hidden: true,
    scenario: 'default',
    condition:
      'every event written "data:{…}" without the space, after a line "id" with no colon, a comment and an unknown field, in 7-byte reads',
    async run(ctx) {
      const events = await referenceEvents(ctx);
      const text = writeSse(events, { noSpace: true, extraLines: ['id', ': note', 'model: x'] });
      const expected = chatTextOf(events);
      const { what, got } = firstDifference(expected, await collect(ctx, sseResponse(text, 7)));
      if (got === expected) return;
      fail(
        `${what} held ${got.length} of the ${expected.length} characters sent (got ${show(got)}). Likely cause: data lines are matched as "data: " with the space. The space after the colon is optional: take what follows "data:", minus one leading space if there is one. A line without a colon ("id") is a field with an empty value, and unknown fields are ignored`,
      );
    },
  },
  {
    id: 'whitespace-pieces',
    name: 'Keeps pieces that are only whitespace',
    hidden: true,
    scenario: 'default',
    condition:
      'pieces that are only a space, a line break or a blank line ("\\n\\n"), as models send between words and paragraphs',
    async run(ctx) {
      const text = [{ role: 'assistant', content: '' }, ...SPACED.map((content) => ({ content }))]
        .map((delta) => chatChunkEvent(delta))
        .concat('data: [DONE]\n\n')
        .join('');
      const expected = SPACED.join('');
      const input = 'a stream whose pieces include " ", "\\n" and "\\n\\n"';
      const collected = await collectOrExplain(ctx, sseResponse(text), input, BLANK_CAUSE);
      const { what, got } = firstDifference(expected, collected);
      if (got === expected) {
        // The stream begins with the role chunk, whose content is "": no text, so no piece.
        if (collected.pieces.some((p) => p.text === ''))
          fail(
            `onText was called with an empty piece (""): the first chunk, which carries the role, has content "". Likely cause: the piece is passed on whenever it is not null or undefined; skip content that is missing or empty, but keep a space or a line break`,
          );
        return;
      }
      if (got === expected.trim())
        return fail(
          `${what} was trimmed: it was ${show(got, 60)}, without the line break the stream ended with (expected ${show(expected, 60)}). Likely cause: the text is trimmed (text.trim()) before it is returned or passed on; a reply can begin or end with a space or a line break, and those are part of it`,
        );
      const lost = [SPACED.filter((p) => p.trim()).join(''), SPACED.map((p) => p.trim()).join('')];
      if (!lost.includes(got)) return fail(explain(expected, got, what, 'default')!);
      fail(
        `${what} was ${show(got, 60)}, expected ${show(expected, 60)}: the pieces that are only whitespace were lost. Likely cause: ${BLANK_CAUSE}`,
      );
    },
  },
  {
    id: 'multi-line-data',
    name: "Joins an event's data: lines",
    hidden: true,
    scenario: 'default',
    condition:
      'every event\'s JSON written over several data: lines, which the format joins with "\\n" (as a server that pretty-prints its JSON sends it)',
    async run(ctx) {
      const events = (await referenceEvents(ctx)).map((e) =>
        e.data === '[DONE]' ? e : { ...e, data: JSON.stringify(JSON.parse(e.data), null, 1) },
      );
      const expected = chatTextOf(events);
      const input = 'events whose JSON is spread over several data: lines, a line per field';
      const { what, got } = firstDifference(
        expected,
        await collectOrExplain(ctx, sseResponse(writeSse(events)), input, MULTI_LINE_CAUSE),
      );
      if (got !== expected)
        fail(
          `${what} held ${got.length} of the ${expected.length} characters sent (got ${show(got)}). Likely cause: ${MULTI_LINE_CAUSE}`,
        );
    },
  },
  {
    id: 'usage-chunk',
    name: 'Skips the usage chunk, which has no choices',
    hidden: true,
    scenario: 'default',
    condition: 'stream_options.include_usage: a last chunk with "choices": [] and the usage',
    run: async (ctx) =>
      expectWhole(
        ctx,
        await ctx.request(
          PATH,
          { ...BODY, stream_options: { include_usage: true } },
          { headers: FAST },
        ),
      ).catch((error: unknown) => {
        rethrowFailure(error);
        fail(
          `streamText threw ${JSON.stringify(thrownText(error).slice(0, 100))} on a stream whose last chunk, before [DONE], is the usage with "choices": []. Likely cause: choices[0] is read without checking that it exists; use chunk.choices?.[0]?.delta?.content`,
        );
      }),
  },
  {
    id: 'http-error',
    name: 'Rejects an HTTP error, naming it',
    hidden: true,
    scenario: 'default',
    condition: 'a 429 rate-limit answer (a JSON error body, no stream)',
    async run(ctx) {
      const limited = new Response(
        JSON.stringify({
          error: {
            message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.',
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
        }),
        { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '20' } },
      );
      let message: string;
      try {
        const returned = await ctx.within(
          1_500,
          ctx.learner.streamText(limited, () => {}),
          'streamText never settled on a 429 answer',
        );
        return fail(
          `the API answered 429 with a JSON error body, and streamText returned ${show(String(returned))}: expected it to reject, naming the status. Likely cause: response.ok is not checked, so the error body is read as an event stream that holds no events`,
        );
      } catch (error) {
        rethrowFailure(error);
        message = thrownText(error);
      }
      if (!/429|rate.?limit/i.test(message))
        fail(
          `the API answered 429 (rate limit), and streamText rejected with ${show(message, 100)}, which names neither the status nor the rate limit. Likely cause: the error is thrown without the response's status; say it (HTTP 429) so whoever reads the error knows what happened`,
        );
    },
  },
  {
    id: 'ends-without-done',
    name: 'Returns or rejects when the stream ends without data: [DONE]',
    hidden: true,
    scenario: 'default',
    condition: 'a body that closes cleanly after the last text event, without data: [DONE]',
    async run(ctx) {
      const events = await referenceEvents(ctx);
      const expected = chatTextOf(events);
      const text = writeSse(events.filter((e) => e.data !== '[DONE]'));
      let returned: unknown;
      try {
        returned = await ctx.within(
          1_500,
          ctx.learner.streamText(sseResponse(text, 64), () => {}),
          'the body closed cleanly without data: [DONE], and streamText was still waiting 1.5 s later. Likely cause: the end of the body (done from reader.read()) is not checked, so the loop reads an ended stream forever; stop when done is true',
        );
      } catch (error) {
        rethrowFailure(error);
        return; // rejecting a stream without its terminator is right too
      }
      if (returned !== expected)
        fail(
          `the body closed cleanly without data: [DONE], and streamText returned ${show(String(returned))}, expected the ${expected.length} characters sent (${show(expected)}) or an error`,
        );
    },
  },
]);
