/**
 * Checks for the SSE reader lab. Visible checks run on every Run under the scenario the learner picked;
 * hidden checks feed the learner's `streamText` the same answer under hostile conditions and say which
 * condition broke it.
 */
import {
  assert,
  defineChecks,
  fail,
  holdOpen,
  readChatText,
  rechunk,
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

/** Compares what the learner produced with the expected text and explains the difference. */
function explain(expected: string, got: string, what: string): string | undefined {
  if (got === expected) return undefined;
  if (got.includes('\uFFFD') && !expected.includes('\uFFFD')) {
    return `a character split across two reads came out as \uFFFD in ${what}: decode with one TextDecoder and { stream: true }`;
  }
  if (got === '') {
    return `none of the ${expected.length} characters reached ${what}: events split across reads were dropped, or never read`;
  }
  if (got.length < expected.length) {
    const lost = expected.length - got.length;
    return `${lost} of ${expected.length} characters are missing from ${what}: an event split across two reads was dropped (got ${show(got)})`;
  }
  return `${what} differs from the text that was sent: expected ${show(expected)}, got ${show(got)}`;
}

/** Runs `streamText` on a response and fails with a teaching message unless all the text came back. */
async function expectWhole(ctx: Ctx, response: Response): Promise<void> {
  const expected = await expectedText(ctx);
  const { returned, joined } = await collect(ctx, response);
  const problem =
    explain(expected, joined, 'the pieces passed to onText') ??
    explain(
      expected,
      typeof returned === 'string' ? returned : String(returned),
      'the returned text',
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
      const problem = explain(expected, returned, 'the returned text');
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
      const problem = explain(expected, joined, 'the pieces passed to onText');
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
    condition: 'events split across reads',
    run: async (ctx) => expectWhole(ctx, await ctx.request(PATH, BODY, { headers: FAST })),
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
    condition: 'heartbeat comments between events',
    run: async (ctx) => expectWhole(ctx, await ctx.request(PATH, BODY, { headers: FAST })),
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
    },
  },
]);
