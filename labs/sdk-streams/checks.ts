/**
 * Checks for the SDK lab. Each check builds the SDK clients itself, aimed at the mock under the check's
 * scenario through the recorded `ctx.fetch` (so every request is on the timeline) with fast knobs and no
 * automatic retries, and compares what the learner returns with the same reply fetched without streaming:
 * the text, the usage and the stop reason do not depend on `stream`.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { cutAfterEvents, defineChecks, fail } from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;

const PROMPT = 'What does stream_options.include_usage change?';
const FAST = 'ttft_ms=0,tps=2000,read_gap_ms=0,heartbeat_ms=5';

const show = (value: unknown, max = 60): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/** How a check changes the learner's requests or the answers: a body rewrite, a stream cut short. */
interface Shape {
  /** Fields merged into the JSON request body (the learner's request, as a test harness would alter it). */
  body?: Record<string, unknown>;
  /** Ends the answer cleanly after this many events: no error, no terminator. */
  cutAfter?: number;
}

/** `ctx.fetch` with `shape` applied (still recorded: the timeline shows what the mock really saw). */
function shapedFetch(ctx: Ctx, shape: Shape = {}): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    let next = init;
    if (shape.body && typeof init?.body === 'string') {
      next = { ...init, body: JSON.stringify({ ...JSON.parse(init.body), ...shape.body }) };
    }
    const response = await ctx.fetch(input, next);
    return shape.cutAfter === undefined ? response : cutAfterEvents(response, shape.cutAfter);
  }) as typeof fetch;
}

function openai(ctx: Ctx, shape?: Shape): OpenAI {
  return new OpenAI({
    baseURL: `${ctx.mockOrigin}/v1`,
    apiKey: 'sk-streamlab-mock',
    fetch: shapedFetch(ctx, shape),
    maxRetries: 0,
    defaultHeaders: { 'x-streamlab-knobs': FAST },
  });
}

function anthropic(ctx: Ctx, shape?: Shape): Anthropic {
  return new Anthropic({
    baseURL: ctx.mockOrigin,
    apiKey: 'sk-ant-streamlab-mock',
    fetch: shapedFetch(ctx, shape),
    maxRetries: 0,
    defaultHeaders: { 'x-streamlab-knobs': FAST },
  });
}

/** The body of the one request the learner's function made in this check (the last one). */
function lastRequest(ctx: Ctx, path: string): Record<string, unknown> {
  const attempt = ctx
    .attempts()
    .filter((a) => a.url.includes(path))
    .at(-1);
  if (!attempt) fail(`no request to ${path} was made: use the client you are given`);
  return (attempt.request ?? {}) as Record<string, unknown>;
}

/** The same request without streaming, unrecorded: the reference reply. */
async function reference<T>(ctx: Ctx, path: string, body: Record<string, unknown>): Promise<T> {
  const copy: Record<string, unknown> = { ...body };
  delete copy.stream;
  delete copy.stream_options;
  const response = await ctx.request(path, copy, {
    record: false,
    headers: { 'x-streamlab-knobs': 'ttft_ms=0,tps=5000' },
  });
  return (await response.json()) as T;
}

/** Explains a wrong text in terms of the classic bugs. */
function expectText(got: unknown, expected: string, pieces: string[], what: string): void {
  if (typeof got !== 'string') fail(`${what} returned text ${show(got)}: return a string`);
  for (const word of ['undefined', 'null']) {
    if (got.includes(word) && !expected.includes(word)) {
      fail(
        `${what}'s text contains the word "${word}": a chunk without text was appended (the first chunk has only the role, the last ones have no content). Append only when delta.content is a non-empty string`,
      );
    }
  }
  if (got !== expected) {
    if (got === '') fail(`${what} returned no text: append each piece of text as it arrives`);
    fail(
      `${what} returned text that differs from the reply (${expected.length} characters): expected ${show(expected)}, got ${show(got)}`,
    );
  }
  if (pieces.length < 2)
    fail(`${what} called onText ${pieces.length} times: call it with each piece as it arrives`);
  if (pieces.join('') !== expected)
    fail(
      `the pieces ${what} passed to onText do not add up to the text (got ${show(pieces.join(''))})`,
    );
}

interface ChatJson {
  choices: Array<{ message: { content: string | null }; finish_reason: string }>;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Runs `streamOpenAI`, turning the classic usage-chunk crash into a message that explains it. */
async function runOpenAI(ctx: Ctx, shape?: Shape) {
  const pieces: string[] = [];
  let result: Solution.OpenAIResult;
  try {
    result = await ctx.within(
      2_500,
      ctx.learner.streamOpenAI(openai(ctx, shape), PROMPT, (p) => pieces.push(p)),
      'streamOpenAI did not return after the stream ended',
    );
  } catch (error) {
    if (error instanceof TypeError && /delta|reading '0'|undefined/.test(error.message)) {
      fail(
        `streamOpenAI threw "${error.message}" after the text was done: with include_usage the last chunk has "choices: []" and only usage, so chunk.choices[0] is undefined there. Read it with chunk.choices[0]?.delta`,
      );
    }
    throw error;
  }
  if (!result || typeof result !== 'object') fail('streamOpenAI must return { text, usage }');
  const body = lastRequest(ctx, '/chat/completions');
  const expected = await reference<ChatJson>(ctx, '/v1/chat/completions', body);
  return { result, pieces, body, expected };
}

interface MessageJson {
  content: Array<{ type: string; text?: string }>;
  usage: { input_tokens: number; output_tokens: number };
  stop_reason: string | null;
}

async function runAnthropic(ctx: Ctx, maxTokens?: number) {
  const pieces: string[] = [];
  const result = await ctx.within(
    2_500,
    ctx.learner.streamAnthropic(anthropic(ctx), PROMPT, (p) => pieces.push(p), maxTokens),
    'streamAnthropic did not return after the stream ended',
  );
  if (!result || typeof result !== 'object')
    fail('streamAnthropic must return { text, usage, stopReason }');
  const body = lastRequest(ctx, '/messages');
  const expected = await reference<MessageJson>(ctx, '/v1/messages', body);
  return { result, pieces, body, expected };
}

async function expectOpenAIText(ctx: Ctx): Promise<void> {
  const { result, pieces, expected } = await runOpenAI(ctx);
  expectText(result.text, expected.choices[0]?.message.content ?? '', pieces, 'streamOpenAI');
}

async function expectAnthropicText(ctx: Ctx): Promise<void> {
  const { result, pieces, expected } = await runAnthropic(ctx);
  const text = expected.content.map((b) => b.text ?? '').join('');
  expectText(result.text, text, pieces, 'streamAnthropic');
}

/** Fails unless `work` rejects: a failed stream must not come back as a complete answer. */
async function expectRejects(ctx: Ctx, work: () => Promise<unknown>, message: string) {
  let settled: 'resolved' | 'rejected';
  try {
    await ctx.within(2_500, work(), `${message}; instead it never returned`);
    settled = 'resolved';
  } catch (error) {
    if (error instanceof Error && error.name === 'CheckFailure') throw error;
    settled = 'rejected';
  }
  if (settled === 'resolved') fail(message);
}

export default defineChecks<typeof Solution>([
  {
    id: 'openai-text',
    name: 'Streams the text with openai',
    run: expectOpenAIText,
  },
  {
    id: 'openai-usage',
    name: 'Returns the usage of an openai stream',
    async run(ctx) {
      const { result, body, expected } = await runOpenAI(ctx);
      const options = body.stream_options as { include_usage?: boolean } | undefined;
      if (!options?.include_usage) {
        fail(
          `usage is ${show(result.usage)}: a Chat Completions stream carries usage only when the request asks for it with stream_options: { include_usage: true }`,
        );
      }
      const usage = result.usage;
      const want = expected.usage;
      if (
        !usage ||
        usage.prompt_tokens !== want.prompt_tokens ||
        usage.completion_tokens !== want.completion_tokens ||
        usage.total_tokens !== want.total_tokens
      ) {
        fail(
          `usage should be ${show({ prompt_tokens: want.prompt_tokens, completion_tokens: want.completion_tokens, total_tokens: want.total_tokens }, 120)}, got ${show(usage, 120)}: take chunk.usage from the last chunk (the one with choices: [])`,
        );
      }
    },
  },
  {
    id: 'anthropic-text',
    name: 'Streams the text with @anthropic-ai/sdk',
    run: expectAnthropicText,
  },
  {
    id: 'anthropic-usage',
    name: 'Returns the usage of an Anthropic stream',
    async run(ctx) {
      const { result, expected } = await runAnthropic(ctx);
      const got = result.usage as { input_tokens?: unknown; output_tokens?: unknown } | undefined;
      if (got?.input_tokens !== expected.usage.input_tokens) {
        fail(
          `input_tokens should be ${expected.usage.input_tokens}, got ${show(got?.input_tokens)}: it is in message_start (and in the final message)`,
        );
      }
      if (got.output_tokens !== expected.usage.output_tokens) {
        fail(
          `output_tokens should be ${expected.usage.output_tokens}, got ${show(got.output_tokens)}: message_start counts almost nothing yet; the final count comes in the last message_delta (the helper's finalMessage() has it)`,
        );
      }
    },
  },
  {
    id: 'anthropic-stop-reason',
    name: 'Returns the Anthropic stop reason',
    async run(ctx) {
      const full = await runAnthropic(ctx);
      const short = await runAnthropic(ctx, 5);
      for (const [{ result, expected }, label] of [
        [full, 'a complete answer'],
        [short, 'max_tokens 5'],
      ] as const) {
        if (result.stopReason !== expected.stop_reason) {
          fail(
            `with ${label} the stop reason is ${show(expected.stop_reason)}, got ${show(result.stopReason)}: message_start always says null; the stop reason arrives in message_delta (finalMessage().stop_reason)`,
          );
        }
      }
      const body = lastRequest(ctx, '/messages');
      if (body.max_tokens !== 5)
        fail(
          `streamAnthropic sent max_tokens ${show(body.max_tokens)}; pass maxTokens on as max_tokens`,
        );
    },
  },
  {
    id: 'fragmented',
    name: 'Streams both under split reads',
    hidden: true,
    scenario: 'fragmented',
    condition: 'events split across reads, CRLF line endings',
    async run(ctx) {
      await expectOpenAIText(ctx);
      await expectAnthropicText(ctx);
    },
  },
  {
    id: 'heartbeats',
    name: 'Streams both with heartbeat comments',
    hidden: true,
    scenario: 'heartbeats',
    condition: 'heartbeat comments between events',
    async run(ctx) {
      await expectOpenAIText(ctx);
      await expectAnthropicText(ctx);
    },
  },
  {
    id: 'unicode',
    name: 'Keeps multi-byte characters intact',
    hidden: true,
    scenario: 'unicode',
    condition: 'multi-byte characters split across reads',
    async run(ctx) {
      await expectOpenAIText(ctx);
      await expectAnthropicText(ctx);
    },
  },
  {
    id: 'openai-disconnect',
    name: 'Does not return a dropped openai stream as complete',
    hidden: true,
    scenario: 'disconnect',
    condition: 'a connection that drops half-way',
    run: (ctx) =>
      expectRejects(
        ctx,
        () => ctx.learner.streamOpenAI(openai(ctx), PROMPT, () => {}),
        'the connection dropped half-way, but streamOpenAI returned as if the answer were complete: let the error propagate (or throw) so the caller can retry or label the text incomplete',
      ),
  },
  {
    id: 'anthropic-overloaded',
    name: 'Does not return an overloaded Anthropic stream as complete',
    hidden: true,
    scenario: 'overloaded',
    condition: 'an overloaded_error event half-way through',
    run: (ctx) =>
      expectRejects(
        ctx,
        () => ctx.learner.streamAnthropic(anthropic(ctx), PROMPT, () => {}),
        'the stream sent an overloaded_error event half-way, but streamAnthropic returned as if the answer were complete: let the error propagate so the caller can retry or label the text incomplete',
      ),
  },
  {
    id: 'openai-finish-reason',
    name: 'Returns the openai finish reason',
    async run(ctx) {
      for (const [shape, label] of [
        [undefined, 'a complete answer'],
        [{ body: { max_tokens: 5 } }, 'the request limited to max_tokens 5'],
      ] as const) {
        const { result, expected } = await runOpenAI(ctx, shape);
        const want = expected.choices[0]?.finish_reason;
        const got = (result as { finishReason?: unknown }).finishReason;
        if (got !== want) {
          fail(
            `with ${label}, the last choice chunk said finish_reason ${show(want)}; streamOpenAI returned finishReason ${show(got)}. Likely cause: finish_reason is not read from the chunks (it is null on every chunk but the last choice chunk, so keep the last non-null one). "length" means max_tokens cut the answer short: the caller must know`,
          );
        }
      }
    },
  },
  {
    id: 'clean-cut',
    name: 'Does not return a stream cut without its ending as complete',
    hidden: true,
    scenario: 'default',
    condition:
      'a connection that ends cleanly after 4 events: no error, no finish_reason or [DONE], no message_stop',
    async run(ctx) {
      await expectRejects(
        ctx,
        () => ctx.learner.streamOpenAI(openai(ctx, { cutAfter: 4 }), PROMPT, () => {}),
        'the Chat Completions stream ended after 4 events without a finish_reason, and streamOpenAI returned as if the answer were complete. Likely cause: the SDK ends the loop quietly when the body ends, [DONE] or not, so only a missing finish_reason tells a cut answer; throw when the loop ends without one',
      );
      await expectRejects(
        ctx,
        () => ctx.learner.streamAnthropic(anthropic(ctx, { cutAfter: 4 }), PROMPT, () => {}),
        'the Messages stream ended after 4 events without message_stop, and streamAnthropic returned as if the answer were complete. Likely cause: the text was collected from the events without checking the stream ended with message_stop; finalMessage() rejects in that case',
      );
    },
  },
]);
