/**
 * Checks for the Responses API lab. Each check builds the client itself, aimed at the mock under the
 * check's scenario through the recorded `ctx.fetch`, with fast knobs and no automatic retries, and compares
 * what the learner returns with the same request made without streaming.
 */
import OpenAI from 'openai';
import { defineChecks, fail, sseResponse } from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;

const PROMPT = 'How does the Responses API end a stream?';
const FAST = 'ttft_ms=0,tps=2000,read_gap_ms=0,heartbeat_ms=5';

const show = (value: unknown, max = 60): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

const client = (ctx: Ctx): OpenAI =>
  new OpenAI({
    baseURL: `${ctx.mockOrigin}/v1`,
    apiKey: 'sk-streamlab-mock',
    fetch: ctx.fetch,
    maxRetries: 0,
    defaultHeaders: { 'x-streamlab-knobs': FAST },
  });

interface ResponseJson {
  status: string;
  output: Array<{ type: string; content?: Array<{ type: string; text?: string }> }>;
  usage: { input_tokens: number; output_tokens: number; total_tokens: number };
}

/** Runs `streamResponse` and fetches the reference reply for the request it made. */
async function run(ctx: Ctx, maxOutputTokens?: number) {
  const pieces: string[] = [];
  const result = await ctx.within(
    2_500,
    ctx.learner.streamResponse(client(ctx), PROMPT, (p) => pieces.push(p), maxOutputTokens),
    'streamResponse did not return after the stream ended',
  );
  if (!result || typeof result !== 'object')
    fail('streamResponse must return { text, usage, status }');
  const attempt = ctx
    .attempts()
    .filter((a) => a.url.includes('/responses'))
    .at(-1);
  if (!attempt) fail('no request to /v1/responses was made: use the client you are given');
  const body: Record<string, unknown> = { ...(attempt.request as Record<string, unknown>) };
  delete body.stream;
  const response = await ctx.request('/v1/responses', body, {
    record: false,
    headers: { 'x-streamlab-knobs': 'ttft_ms=0,tps=5000' },
  });
  const expected = (await response.json()) as ResponseJson;
  const text = expected.output
    .flatMap((item) => item.content ?? [])
    .map((part) => (part.type === 'output_text' ? (part.text ?? '') : ''))
    .join('');
  return { result, pieces, expected, text };
}

async function expectText(ctx: Ctx): Promise<void> {
  const { result, pieces, text } = await run(ctx);
  if (result.text !== text) {
    if (typeof result.text === 'string' && result.text.length === text.length * 2)
      fail(
        'the text came out twice: response.output_text.done repeats the whole text at the end; take the pieces from response.output_text.delta only',
      );
    if (!result.text)
      fail(
        'streamResponse returned no text: the pieces are in response.output_text.delta, in event.delta',
      );
    fail(`the text differs from the reply: expected ${show(text)}, got ${show(result.text)}`);
  }
  if (pieces.length < 2 || pieces.join('') !== text)
    fail(
      `onText was called ${pieces.length} times with ${show(pieces.join(''))}: call it with each delta as it arrives`,
    );
}

async function expectRejects(ctx: Ctx, message: string): Promise<void> {
  let resolved = false;
  try {
    await ctx.within(
      2_500,
      ctx.learner.streamResponse(client(ctx), PROMPT, () => {}),
      `${message}; instead it never returned`,
    );
    resolved = true;
  } catch (error) {
    if (error instanceof Error && error.name === 'CheckFailure') throw error;
  }
  if (resolved) fail(message);
}

/**
 * A client whose stream is the mock's real one with its events (blocks ending in a blank line) rewritten
 * by `edit` before the learner reads them: a terminal event taken out, a failure put in.
 */
const editedClient = (ctx: Ctx, edit: (blocks: string[]) => string[]): OpenAI =>
  new OpenAI({
    baseURL: `${ctx.mockOrigin}/v1`,
    apiKey: 'sk-streamlab-mock',
    maxRetries: 0,
    defaultHeaders: { 'x-streamlab-knobs': FAST },
    fetch: async (input, init) => {
      const response = await ctx.fetch(input, init);
      if (!response.ok || !response.headers.get('content-type')?.includes('event-stream'))
        return response;
      const blocks = (await response.text()).split('\n\n').filter((b) => b.trim() !== '');
      return sseResponse(
        edit(blocks)
          .map((b) => `${b}\n\n`)
          .join(''),
        512,
      );
    },
  });

const isEvent = (block: string, type: string): boolean => block.startsWith(`event: ${type}\n`);

/** The stream up to its third text delta, then `response.failed` for a rate limit (a 429 mid-stream). */
function rateLimitedHalfWay(blocks: string[]): string[] {
  const created = blocks.find((b) => isEvent(b, 'response.created'));
  const deltas = blocks.map((b, i) => (isEvent(b, 'response.output_text.delta') ? i : -1));
  const third = deltas.filter((i) => i >= 0)[2];
  if (!created || third === undefined)
    throw new Error('rateLimitedHalfWay: the reply has no response.created or too few deltas');
  const data = JSON.parse(created.slice(created.indexOf('data: ') + 6)) as {
    response: Record<string, unknown>;
  };
  const failed = {
    type: 'response.failed',
    response: {
      ...data.response,
      status: 'failed',
      error: {
        code: 'rate_limit_exceeded',
        message: 'Rate limit reached for gpt-4.1 on tokens per min (TPM). Please try again in 2s.',
      },
    },
  };
  return [...blocks.slice(0, third + 1), `event: response.failed\ndata: ${JSON.stringify(failed)}`];
}

/** Runs `streamResponse` with `client`; returns the error it threw, or fails with `message` if it returned. */
async function expectRejectsWith(ctx: Ctx, client: OpenAI, message: string): Promise<unknown> {
  const outcome = await ctx.within(
    2_500,
    ctx.learner
      .streamResponse(client, PROMPT, () => {})
      .then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
    `${message}; instead streamResponse never returned`,
  );
  if ('result' in outcome)
    fail(
      message.replace('{returned}', show(outcome.result && { ...outcome.result, text: '…' }, 140)),
    );
  return outcome.error;
}

export default defineChecks<typeof Solution>([
  {
    id: 'text',
    name: 'Streams the text of a response',
    run: expectText,
  },
  {
    id: 'usage',
    name: 'Returns the usage from the terminal event',
    async run(ctx) {
      const { result, expected } = await run(ctx);
      const want = expected.usage;
      const got = result.usage;
      if (
        !got ||
        got.input_tokens !== want.input_tokens ||
        got.output_tokens !== want.output_tokens ||
        got.total_tokens !== want.total_tokens
      ) {
        fail(
          `usage should be ${show(want, 120)}, got ${show(got, 120)}: response.created is sent before any output and has no usage yet; take it from the response in response.completed`,
        );
      }
    },
  },
  {
    id: 'status',
    name: 'Reports a reply cut by max_output_tokens as incomplete',
    async run(ctx) {
      const full = await run(ctx);
      if (full.result.status !== 'completed')
        fail(
          `a whole reply should have status "completed", got ${show(full.result.status)}${full.result.status === 'in_progress' ? ': that is the status in response.created, sent before any output' : ''}; take the status from the terminal event (response.completed or response.incomplete)`,
        );
      const cut = await run(ctx, 5);
      if (cut.result.status !== 'incomplete')
        fail(
          `with max_output_tokens 5 the reply ends with response.incomplete (status "incomplete"), got ${show(cut.result.status)}: take the status from the terminal event, so a cut reply is not shown as complete`,
        );
    },
  },
  {
    id: 'fragmented',
    name: 'Streams the text under split reads',
    hidden: true,
    scenario: 'fragmented',
    condition: 'events split across reads, CRLF line endings',
    run: expectText,
  },
  {
    id: 'heartbeats',
    name: 'Streams the text with heartbeat comments',
    hidden: true,
    scenario: 'heartbeats',
    condition: 'heartbeat comments between events',
    run: expectText,
  },
  {
    id: 'unicode',
    name: 'Keeps multi-byte characters intact',
    hidden: true,
    scenario: 'unicode',
    condition: 'multi-byte characters split across reads',
    run: expectText,
  },
  {
    id: 'disconnect',
    name: 'Does not return a dropped stream as complete',
    hidden: true,
    scenario: 'disconnect',
    condition: 'a connection that drops half-way',
    run: (ctx) =>
      expectRejects(
        ctx,
        'the connection dropped half-way, but streamResponse returned as if the reply were complete: let the error propagate so the caller can retry or label the text incomplete',
      ),
  },
  {
    id: 'error-event',
    name: 'Does not return a failed stream as complete',
    hidden: true,
    scenario: 'overloaded',
    condition: 'an error event half-way through',
    run: (ctx) =>
      expectRejects(
        ctx,
        'the stream sent an error event half-way, but streamResponse returned as if the reply were complete: let the error propagate so the caller can retry or label the text incomplete',
      ),
  },
  {
    id: 'no-terminal-event',
    name: 'Does not return a stream without its terminal event as complete',
    hidden: true,
    scenario: 'default',
    condition: 'a stream that ends cleanly after all its text, without response.completed',
    async run(ctx) {
      await expectRejectsWith(
        ctx,
        editedClient(ctx, (blocks) => blocks.filter((b) => !isEvent(b, 'response.completed'))),
        'the stream sent every text delta, then ended cleanly without response.completed (or response.incomplete), and streamResponse returned {returned}. Likely cause: the end of the stream is taken as the end of the reply (the SDK helper\'s finalResponse() also resolves then, with status "in_progress"); only a terminal event says the reply is whole, so throw when the stream ends without one',
      );
    },
  },
  {
    id: 'failed-mid-stream',
    name: 'Rejects a reply that fails with a rate limit half-way',
    hidden: true,
    scenario: 'default',
    condition: 'response.failed (rate_limit_exceeded, a 429 mid-stream) after part of the text',
    async run(ctx) {
      const error = await expectRejectsWith(
        ctx,
        editedClient(ctx, rateLimitedHalfWay),
        'after three text deltas the stream sent response.failed with error.code "rate_limit_exceeded", and streamResponse returned {returned}. Likely cause: response.failed is handled as a terminal event like response.completed (the SDK helper\'s finalResponse() also resolves then, with status "failed"); it means the reply failed, so throw (with its error message, which says to retry later)',
      );
      const said = error instanceof Error ? error.message : String(error);
      if (!/rate limit|rate_limit|try again/i.test(said))
        fail(
          `after three text deltas the stream sent response.failed with error.code "rate_limit_exceeded", and streamResponse threw ${show(said, 100)}, which does not say what failed. Likely cause: the error thrown does not carry event.response.error.message; put it in the error, so the caller can tell a rate limit (retry later) from other failures`,
        );
    },
  },
]);
