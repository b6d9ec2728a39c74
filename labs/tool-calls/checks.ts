/**
 * Checks for the tool-calls lab. The mock streams real parallel tool calls (argument fragments of 1-5
 * characters, generated from each tool's schema and the user's words), and the checks compare what
 * `collectToolCalls` returns with the same reply fetched without streaming. Hidden checks cut fragments
 * inside escape sequences and multi-byte characters, interleave two calls, send a call with empty
 * arguments, and re-run under hostile transports.
 */
import {
  CheckFailure,
  defineChecks,
  fail,
  readSseEvents,
  sseResponse,
  writeSse,
} from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;
type ToolCall = Solution.ToolCall;

const PATH = '/v1/chat/completions';
const FAST = { 'x-streamlab-knobs': 'ttft_ms=0,tps=3000,read_gap_ms=0,heartbeat_ms=5' };

const tool = (name: string, parameters: object) => ({
  type: 'function',
  function: { name, description: name.replace('_', ' '), parameters },
});
const WEATHER = tool('get_weather', {
  type: 'object',
  properties: {
    city: { type: 'string' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
  },
  required: ['city', 'unit'],
});
const SEARCH = tool('search_docs', {
  type: 'object',
  properties: { query: { type: 'string' }, limit: { type: 'integer', maximum: 10 } },
  required: ['query', 'limit'],
});
const TIME = tool('get_time', { type: 'object', properties: {} });

const body = (tools: object[], question: string) => ({
  model: 'gpt-4o-mini',
  stream: true,
  tools,
  messages: [{ role: 'user', content: question }],
});
const PARALLEL = body([WEATHER, SEARCH, TIME], 'Weather in Lisbon, the SSE docs, and the time?');
/** The query argument repeats these words: quotes, backslashes and a control character, all escaped. */
const ESCAPES = body([SEARCH], 'Find "say \\"hi\\"" in C:\\temp\\new \u0007bell');
/** Emoji (surrogate pairs the fragments may cut in half), CJK and a combining mark. */
const MULTIBYTE = body([SEARCH], 'Suche 👩‍💻 流式响应 café\u0301 🇯🇵 ✅');

const show = (value: unknown, max = 80): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

/** The calls of the same request without streaming, parsed: what the learner must return. */
async function expectedCalls(ctx: Ctx, request: object, scenario?: string): Promise<ToolCall[]> {
  const response = await ctx.request(
    PATH,
    { ...request, stream: false },
    { record: false, scenario: scenario ?? ctx.scenario, headers: FAST },
  );
  const json = (await response.json()) as {
    choices: Array<{
      message: {
        tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
      };
    }>;
  };
  return (json.choices[0]?.message.tool_calls ?? []).map((c) => ({
    id: c.id,
    name: c.function.name,
    arguments: JSON.parse(c.function.arguments) as Record<string, unknown>,
  }));
}

/**
 * Runs `collectToolCalls`, explaining a JSON error by when it happened: while the stream was still being
 * read (parsed too early), or after it ended (fragments of different calls mixed into one string).
 * `onSyntaxError` replaces the explanation for hand-written streams, which are not recorded.
 */
async function collect(
  ctx: Ctx,
  response: Response,
  {
    onSyntaxError,
    calls,
    handWritten: inMemory,
  }: { onSyntaxError?: string; calls?: number; handWritten?: boolean } = {},
): Promise<unknown> {
  try {
    return await ctx.within(
      2_500,
      ctx.learner.collectToolCalls(response),
      'collectToolCalls did not return after the stream ended: stop at data: [DONE]',
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof SyntaxError) && !/JSON/.test(message)) throw error;
    if (onSyntaxError) fail(onSyntaxError);
    if (inMemory) {
      fail(
        `collectToolCalls threw "${message}" on a stream of ${calls} calls. Likely cause: arguments were parsed before a call was complete, not every fragment was appended ("=" where "+=" belongs), or fragments of different calls were mixed. Append each fragment to the call with its index, and parse once [DONE] has arrived`,
      );
    }
    // The response was requested (and recorded) just before this call; hand-written ones are not.
    const attempt = ctx.attempts().at(-1);
    if (attempt && attempt.tEnd !== undefined) {
      const seen = `after the stream ended, collectToolCalls threw "${message}" parsing the arguments of ${calls === 1 ? 'the one call' : `${calls ?? 'the'} calls`}`;
      fail(
        calls === 1
          ? `${seen}: the string it parsed was not the whole JSON the model sent. Likely cause: not every fragment was appended; "arguments = fragment" where "arguments += fragment" belongs keeps only the last piece`
          : `${seen}: a string it parsed was not one call's whole JSON. Likely cause: fragments were not all appended ("=" where "+=" belongs), or fragments of different calls were mixed into one string. Each call in a parallel reply has its own index: key the calls by index (later fragments have no id) and append each fragment to the call with that index`,
      );
    }
    fail(
      `collectToolCalls threw "${message}" while the stream was still arriving. Likely cause: arguments were parsed before the call was complete. They arrive as fragments of one JSON string: append the fragments per index and JSON.parse once the stream has ended`,
    );
  }
}

/** Compares the returned calls with the expected ones and explains the first difference. */
function compareCalls(got: unknown, expected: ToolCall[]): void {
  if (!Array.isArray(got)) fail(`collectToolCalls returned ${show(got)}: return an array of calls`);
  const calls = got as Array<Partial<ToolCall> | undefined>;
  if (JSON.stringify(got).includes('\uFFFD') && !JSON.stringify(expected).includes('\uFFFD')) {
    fail(
      'a character split across two reads came out as \uFFFD in the arguments: decode with one TextDecoder and { stream: true }',
    );
  }
  const names = expected.map((c) => c.name).join(', ');
  const count = (n: number) => `${n} call${n === 1 ? '' : 's'}`;
  if (calls.length === 0) {
    fail(
      `collectToolCalls returned no calls; the stream had ${count(expected.length)} (${names}). Likely cause: the calls in each chunk's choices[0].delta.tool_calls are not collected`,
    );
  }
  if (calls.length !== expected.length) {
    const nameless = calls.find((c) => !c?.id || !c.name);
    if (nameless) {
      fail(
        `expected ${count(expected.length)} (${names}), got ${calls.length}, one of them ${show(nameless)} without ${nameless?.id ? 'a name' : 'an id'}: only a call's first fragment carries its id and name, the others carry only its index. Key the calls by index`,
      );
    }
    fail(
      `expected ${count(expected.length)} (${names}), got ${calls.length}. Likely cause: each call in a parallel reply has its own index; keep one entry per index`,
    );
  }
  for (const [i, want] of expected.entries()) {
    const call = calls[i];
    if (call?.name !== want.name || call.id !== want.id) {
      fail(
        `call ${i} should be ${want.name} with id ${want.id}, got ${show({ id: call?.id, name: call?.name })}: return the calls in index order, with the id and name from each call's first fragment`,
      );
    }
    if (typeof call.arguments === 'string') {
      fail(
        `call ${i} (${want.name}) returned its arguments as the string ${show(call.arguments)}: JSON.parse them once the stream has ended`,
      );
    }
    if (JSON.stringify(call.arguments) !== JSON.stringify(want.arguments)) {
      const empty = call.arguments && Object.keys(call.arguments).length === 0;
      fail(
        empty
          ? `the arguments of call ${i} (${want.name}) are empty, but the model sent ${show(want.arguments)}: append every function.arguments fragment to the call with the same index (later fragments have no id)`
          : `the arguments of call ${i} (${want.name}) should be ${show(want.arguments)}, got ${show(call.arguments)}: each fragment belongs to the call with its index`,
      );
    }
  }
}

async function expectCalls(ctx: Ctx, request: object): Promise<void> {
  const expected = await expectedCalls(ctx, request);
  compareCalls(
    await collect(ctx, await ctx.request(PATH, request, { headers: FAST }), {
      calls: expected.length,
    }),
    expected,
  );
}

/** A Chat Completions stream of `deltas` (one chunk each), a finish chunk and `[DONE]`. */
function handWritten(deltas: object[], finishReason = 'tool_calls'): Response {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-streamlab',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`;
  const text =
    chunk({ role: 'assistant', content: null, refusal: null }, null) +
    deltas.map((d) => chunk(d, null)).join('') +
    chunk({}, finishReason) +
    'data: [DONE]\n\n';
  return new Response(text, { headers: { 'content-type': 'text/event-stream' } });
}

/** The same tools and question as an Anthropic Messages request. */
const ANTHROPIC = {
  model: 'claude-sonnet-4-6',
  max_tokens: 400,
  stream: true,
  tools: [WEATHER, SEARCH, TIME].map(({ function: f }) => ({
    name: f.name,
    description: f.description,
    input_schema: f.parameters,
  })),
  messages: [{ role: 'user', content: 'Weather in Lisbon, the SSE docs, and the time?' }],
};

/** An Anthropic request for search_docs alone, with emoji and CJK in the words its query repeats. */
const ANTHROPIC_MULTIBYTE = {
  ...ANTHROPIC,
  tools: ANTHROPIC.tools.filter((t) => t.name === 'search_docs'),
  messages: [{ role: 'user', content: MULTIBYTE.messages[0]!.content }],
};

/** The tool_use blocks of the same Anthropic request without streaming. */
async function expectedToolUses(ctx: Ctx, request: object = ANTHROPIC): Promise<ToolCall[]> {
  const response = await ctx.request(
    '/v1/messages',
    { ...request, stream: false },
    { record: false, scenario: 'default', headers: FAST },
  );
  const json = (await response.json()) as {
    content: Array<{ type: string; id?: string; name?: string; input?: Record<string, unknown> }>;
  };
  return json.content
    .filter((b) => b.type === 'tool_use')
    .map((b) => ({ id: b.id ?? '', name: b.name ?? '', arguments: b.input ?? {} }));
}

/** Runs `collectToolUses` on `response`: what it returned, or the error it threw. */
async function collectUses(ctx: Ctx, response: Response) {
  return ctx.within(
    2_500,
    ctx.learner.collectToolUses(response).then(
      (calls) => ({ calls }),
      (error: unknown) => ({ error }),
    ),
    'collectToolUses did not return after the stream ended: stop at message_stop',
  );
}

export default defineChecks<typeof Solution>([
  {
    id: 'single-call',
    name: 'Returns one tool call with parsed arguments',
    run: (ctx) => expectCalls(ctx, body([WEATHER], 'What is the weather in Paris?')),
  },
  {
    id: 'parallel-calls',
    name: 'Returns parallel tool calls, each with its own arguments',
    run: (ctx) => expectCalls(ctx, PARALLEL),
  },
  {
    id: 'escapes',
    name: 'Keeps arguments cut inside escape sequences',
    hidden: true,
    condition: 'argument fragments cut inside \\" \\\\ and \\u escapes',
    run: (ctx) => expectCalls(ctx, ESCAPES),
  },
  {
    id: 'multi-byte',
    name: 'Keeps arguments cut inside multi-byte characters',
    hidden: true,
    scenario: 'unicode',
    condition: 'emoji and CJK in the arguments, split across fragments and reads',
    async run(ctx) {
      const expected = await expectedCalls(ctx, MULTIBYTE);
      compareCalls(
        await collect(ctx, await ctx.request(PATH, MULTIBYTE, { headers: FAST }), {
          calls: expected.length,
        }),
        expected,
      );
    },
  },
  {
    id: 'empty-arguments',
    name: 'Accepts a call with empty arguments',
    hidden: true,
    condition: 'a call whose arguments are an empty string',
    async run(ctx) {
      const response = handWritten([
        {
          tool_calls: [
            {
              index: 0,
              id: 'call_time',
              type: 'function',
              function: { name: 'get_time', arguments: '' },
            },
          ],
        },
        {
          tool_calls: [
            {
              index: 1,
              id: 'call_weather',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        { tool_calls: [{ index: 1, function: { arguments: '{"city":' } }] },
        { tool_calls: [{ index: 1, function: { arguments: ' "Paris", "unit"' } }] },
        { tool_calls: [{ index: 1, function: { arguments: ': "celsius"}' } }] },
      ]);
      const got = await collect(ctx, response, {
        onSyntaxError:
          'collectToolCalls threw a SyntaxError on a call whose arguments are empty (""): a tool without parameters may stream no argument fragments at all. Treat empty arguments as {}',
      });
      compareCalls(got, [
        { id: 'call_time', name: 'get_time', arguments: {} },
        { id: 'call_weather', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
      ]);
    },
  },
  {
    id: 'interleaved',
    name: 'Keeps interleaved fragments apart by index',
    hidden: true,
    condition: 'fragments of two calls interleaved',
    async run(ctx) {
      const request = body([WEATHER, SEARCH], 'Weather in Tokyo and the retry docs?');
      const expected = await expectedCalls(ctx, request);
      // The same chunks, reordered: both calls start, then their fragments alternate.
      const events = await readSseEvents(
        await ctx.request(PATH, request, { record: false, headers: FAST }),
      );
      const starts: object[] = [];
      const fragments: object[][] = [[], []];
      for (const event of events) {
        if (event.data === '[DONE]') continue;
        const chunk = JSON.parse(event.data) as {
          choices: Array<{ delta: { tool_calls?: Array<{ index: number; id?: string }> } }>;
        };
        const delta = chunk.choices[0]?.delta;
        const call = delta?.tool_calls?.[0];
        if (!call) continue;
        if (call.id) starts.push(delta);
        else fragments[call.index]?.push(delta);
      }
      const mixed: object[] = [...starts];
      for (let i = 0; i < Math.max(fragments[0]!.length, fragments[1]!.length); i++) {
        if (fragments[0]![i]) mixed.push(fragments[0]![i]!);
        if (fragments[1]![i]) mixed.push(fragments[1]![i]!);
      }
      let got: unknown;
      try {
        got = await collect(ctx, handWritten(mixed), { calls: 2, handWritten: true });
        compareCalls(got, expected);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof CheckFailure && /index/.test(message)) throw error;
        fail(
          `with the fragments of two calls interleaved (0, 1, 0, 1, …), collectToolCalls ${error instanceof CheckFailure ? 'got them wrong' : 'threw'}: ${message}. A fragment belongs to the call with its index, not to the call that started last`,
        );
      }
    },
  },
  {
    id: 'fragmented',
    name: 'Collects parallel calls from events split across reads',
    hidden: true,
    scenario: 'fragmented',
    condition: 'events split across reads, CRLF line endings',
    run: (ctx) => expectCalls(ctx, PARALLEL),
  },
  {
    id: 'one-byte-reads',
    name: 'Collects parallel calls from one-byte reads',
    hidden: true,
    scenario: 'one-byte-reads',
    condition: 'one-byte reads',
    run: (ctx) => expectCalls(ctx, PARALLEL),
  },
  {
    id: 'heartbeats',
    name: 'Collects parallel calls between heartbeat comments',
    hidden: true,
    scenario: 'heartbeats',
    condition: 'heartbeat comments between events',
    run: (ctx) => expectCalls(ctx, PARALLEL),
  },
  {
    id: 'length-cut',
    name: 'Does not return calls that max_tokens cut short',
    hidden: true,
    condition:
      'finish_reason "length": max_tokens ran out after the first call, as a second call had just started',
    async run(ctx) {
      const response = handWritten(
        [
          {
            tool_calls: [
              {
                index: 0,
                id: 'call_weather',
                type: 'function',
                function: { name: 'get_weather', arguments: '' },
              },
            ],
          },
          { tool_calls: [{ index: 0, function: { arguments: '{"city": "Paris"}' } }] },
          {
            tool_calls: [
              {
                index: 1,
                id: 'call_time',
                type: 'function',
                function: { name: 'get_time', arguments: '' },
              },
            ],
          },
        ],
        'length',
      );
      let got: unknown;
      try {
        got = await ctx.within(
          2_500,
          ctx.learner.collectToolCalls(response),
          'collectToolCalls did not return after the stream ended: stop at data: [DONE]',
        );
      } catch (error) {
        if (error instanceof CheckFailure) throw error;
        return; // refused: right
      }
      fail(
        `the stream ended with finish_reason "length" (max_tokens ran out) while call 1 had just started, and collectToolCalls returned ${show(got)} as if every call were complete. Likely cause: finish_reason is not read. Arguments are complete only when it is "tool_calls"; with "length" they are cut short (here the second call's arguments never came): throw, or ask again with a larger max_tokens`,
      );
    },
  },
  {
    id: 'anthropic-tool-use',
    name: 'Assembles the tool_use blocks of an Anthropic message',
    scenario: 'default',
    async run(ctx) {
      const expected = await expectedToolUses(ctx);
      const outcome = await collectUses(
        ctx,
        await ctx.request('/v1/messages', ANTHROPIC, { scenario: 'default', headers: FAST }),
      );
      if ('error' in outcome)
        fail(
          `on an Anthropic message with ${expected.length} tool_use blocks that stopped with stop_reason "tool_use", collectToolUses threw ${show(outcome.error instanceof Error ? outcome.error.message : outcome.error)}. Likely cause: the input pieces are parsed before the block is complete, or not joined per block; append each delta.partial_json to the block with the event's index, and parse at message_stop`,
        );
      const got = outcome.calls as unknown;
      if (!Array.isArray(got) || got.length !== expected.length)
        fail(
          `the message had ${expected.length} tool_use blocks (${expected.map((c) => c.name).join(', ')}), and collectToolUses returned ${show(got)}. Likely cause: the blocks are not collected from content_block_start events (content_block.type "tool_use", with its id and name)`,
        );
      for (const [i, want] of expected.entries()) {
        const call = got[i] as Partial<ToolCall> | undefined;
        if (call?.id !== want.id || call.name !== want.name)
          fail(
            `tool_use block ${i} is ${want.name} with id ${want.id}, got ${show({ id: call?.id, name: call?.name })}: take both from its content_block_start event, and keep the blocks in index order`,
          );
        if (JSON.stringify(call.arguments) !== JSON.stringify(want.arguments))
          fail(
            `the input of ${want.name} should be ${show(want.arguments)}, got ${show(call.arguments)}: join its input_json_delta pieces (delta.partial_json) and JSON.parse the whole at the end`,
          );
      }
    },
  },
  {
    id: 'anthropic-max-tokens',
    name: 'Does not return Anthropic tool calls that max_tokens cut short',
    hidden: true,
    scenario: 'default',
    condition:
      'stop_reason "max_tokens" right after a second tool_use block started, its input still empty',
    async run(ctx) {
      const events = await readSseEvents(
        await ctx.request('/v1/messages', ANTHROPIC, {
          record: false,
          scenario: 'default',
          headers: FAST,
        }),
      );
      const starts = events.flatMap((e, i) => (e.type === 'content_block_start' ? [i] : []));
      const second = starts[1];
      if (second === undefined)
        throw new Error('anthropic-max-tokens: the reply has one tool_use block');
      const index = (JSON.parse(events[second]!.data) as { index: number }).index;
      const cut = [
        ...events.slice(0, second + 1),
        {
          type: 'content_block_delta',
          data: JSON.stringify({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: '' },
          }),
        },
        { type: 'content_block_stop', data: JSON.stringify({ type: 'content_block_stop', index }) },
        {
          type: 'message_delta',
          data: JSON.stringify({
            type: 'message_delta',
            delta: { stop_reason: 'max_tokens', stop_sequence: null },
            usage: { output_tokens: 400 },
          }),
        },
        { type: 'message_stop', data: JSON.stringify({ type: 'message_stop' }) },
      ];
      const outcome = await collectUses(ctx, sseResponse(writeSse(cut)));
      if ('calls' in outcome)
        fail(
          `the message stopped with stop_reason "max_tokens" just after a second tool_use block had started (its input still empty), and collectToolUses returned ${show(outcome.calls, 160)}, so the caller would run calls whose input was cut. Likely cause: stop_reason (in message_delta) is not read; the calls are complete only when it is "tool_use": throw, or ask again with a larger max_tokens`,
        );
    },
  },
  {
    id: 'sse-corners',
    name: 'Reads `data:` without its space and field lines without a colon',
    hidden: true,
    condition:
      'the same calls written as `data:{…}` (no space after the colon), each event after an `id` line (a field with no colon) and a comment',
    async run(ctx) {
      const expected = await expectedCalls(ctx, PARALLEL);
      const events = await readSseEvents(
        await ctx.request(PATH, PARALLEL, { record: false, headers: FAST }),
      );
      const text = writeSse(events, { noSpace: true, extraLines: ['id', ': keep-alive'] });
      let got: unknown;
      try {
        got = await collect(ctx, sseResponse(text), { calls: expected.length, handWritten: true });
      } catch (error) {
        if (error instanceof CheckFailure) throw error;
        fail(
          `on a stream of ${expected.length} calls written as \`data:{…}\` (no space after the colon), each event after an \`id\` line and a comment, collectToolCalls threw ${show(error instanceof Error ? error.message : error)}; expected the calls. Likely cause: data lines are matched with their space (\`data: \`); the space after the colon is optional, and a line with no colon is a field name with an empty value`,
        );
      }
      if (Array.isArray(got) && got.length === 0)
        fail(
          `on a stream of ${expected.length} calls written as \`data:{…}\` (no space after the colon), collectToolCalls returned no calls. Likely cause: data lines are matched with their space (\`data: \`); the space after the colon is optional`,
        );
      compareCalls(got, expected);
    },
  },
  {
    id: 'usage-chunk',
    name: 'Reads past a usage chunk that has no choices',
    hidden: true,
    condition: '`stream_options.include_usage`: a last chunk with `choices: []` and the usage',
    async run(ctx) {
      const request = { ...PARALLEL, stream_options: { include_usage: true } };
      const expected = await expectedCalls(ctx, request);
      let got: unknown;
      try {
        got = await collect(ctx, await ctx.request(PATH, request, { headers: FAST }), {
          calls: expected.length,
        });
      } catch (error) {
        if (error instanceof CheckFailure) throw error;
        fail(
          `with stream_options.include_usage, the last chunk before [DONE] carries the usage and an empty choices array, and collectToolCalls threw ${show(error instanceof Error ? error.message : error)}; expected the ${expected.length} calls. Likely cause: choices[0] is read without checking that a chunk has one (chunk.choices[0]?.delta)`,
        );
      }
      compareCalls(got, expected);
    },
  },
  {
    id: 'invalid-arguments',
    name: 'Rejects arguments that are not JSON, even on a complete stream',
    hidden: true,
    condition:
      'a stream that ends properly (finish_reason "tool_calls", [DONE]; Anthropic: stop_reason "tool_use", message_stop) with arguments that are not JSON',
    async run(ctx) {
      const broken = '{"city": "Paris", "unit": celsius}';
      const chat = handWritten([
        {
          tool_calls: [
            {
              index: 0,
              id: 'call_weather',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        { tool_calls: [{ index: 0, function: { arguments: broken.slice(0, 18) } }] },
        { tool_calls: [{ index: 0, function: { arguments: broken.slice(18) } }] },
      ]);
      const ev = (type: string, data: object) => ({
        type,
        data: JSON.stringify({ type, ...data }),
      });
      const messages = sseResponse(
        writeSse([
          ev('message_start', {
            message: {
              id: 'msg_bad_json',
              type: 'message',
              role: 'assistant',
              content: [],
              model: 'claude-sonnet-4-6',
              stop_reason: null,
              usage: { input_tokens: 10, output_tokens: 1 },
            },
          }),
          ev('content_block_start', {
            index: 0,
            content_block: {
              type: 'tool_use',
              id: 'toolu_weather',
              name: 'get_weather',
              input: {},
            },
          }),
          ev('content_block_delta', {
            index: 0,
            delta: { type: 'input_json_delta', partial_json: broken },
          }),
          ev('content_block_stop', { index: 0 }),
          ev('message_delta', {
            delta: { stop_reason: 'tool_use', stop_sequence: null },
            usage: { output_tokens: 20 },
          }),
          ev('message_stop', {}),
        ]),
      );
      for (const [name, work] of [
        ['collectToolCalls', () => ctx.learner.collectToolCalls(chat)],
        ['collectToolUses', () => ctx.learner.collectToolUses(messages)],
      ] as const) {
        const outcome = await ctx.within(
          2_500,
          work().then(
            (calls) => ({ calls }),
            (error: unknown) => ({ error }),
          ),
          `${name} did not return after the stream ended`,
        );
        if ('calls' in outcome)
          fail(
            `the stream ended properly, but get_weather's arguments were ${show(broken)}, which is not JSON, and ${name} returned ${show(outcome.calls, 160)}; expected it to reject, so that no tool runs with arguments the model did not send (or the error goes back to the model). Likely cause: the JSON.parse error is caught and replaced with a value`,
          );
      }
    },
  },
  {
    id: 'anthropic-server-tool',
    name: 'Returns only tool_use blocks among text and server tool blocks',
    hidden: true,
    condition:
      'an Anthropic message with text blocks and a server tool (web_search, whose input also streams as input_json_delta) around the tool_use block',
    async run(ctx) {
      const ev = (type: string, data: object) => ({
        type,
        data: JSON.stringify({ type, ...data }),
      });
      const block = (index: number, content_block: object, deltas: object[]) => [
        ev('content_block_start', { index, content_block }),
        ...deltas.map((delta) => ev('content_block_delta', { index, delta })),
        ev('content_block_stop', { index }),
      ];
      const json = (partial_json: string) => ({ type: 'input_json_delta', partial_json });
      const text = (t: string) => ({ type: 'text_delta', text: t });
      const events = [
        ev('message_start', {
          message: {
            id: 'msg_server_tool',
            type: 'message',
            role: 'assistant',
            content: [],
            model: 'claude-sonnet-4-6',
            stop_reason: null,
            usage: { input_tokens: 40, output_tokens: 1 },
          },
        }),
        ...block(0, { type: 'text', text: '' }, [text('Let me look that up.')]),
        ...block(1, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }, [
          json('{"query": "Lis'),
          json('bon weather"}'),
        ]),
        ...block(
          2,
          {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_1',
            content: [{ type: 'web_search_result', title: 'Lisbon', url: 'https://example.com/' }],
          },
          [],
        ),
        ...block(3, { type: 'text', text: '' }, [text('Now the live reading:')]),
        ...block(4, { type: 'tool_use', id: 'toolu_weather', name: 'get_weather', input: {} }, [
          json('{"city": "Lis'),
          json('bon", "unit": "celsius"}'),
        ]),
        ev('message_delta', {
          delta: { stop_reason: 'tool_use', stop_sequence: null },
          usage: { output_tokens: 60 },
        }),
        ev('message_stop', {}),
      ];
      const outcome = await collectUses(ctx, sseResponse(writeSse(events)));
      const want = [
        {
          id: 'toolu_weather',
          name: 'get_weather',
          arguments: { city: 'Lisbon', unit: 'celsius' },
        },
      ];
      const seen =
        'the message had a text block, a server_tool_use block (web_search, run by the API, its input streamed as input_json_delta), its result, another text block and one tool_use block (get_weather)';
      if ('error' in outcome)
        fail(
          `${seen}, and collectToolUses threw ${show(outcome.error instanceof Error ? outcome.error.message : outcome.error)}; expected ${show(want, 160)}. Likely cause: every input_json_delta is taken for a tool_use block's; the server tool's deltas have no tool_use block at their index, so skip deltas whose index you did not record`,
        );
      if (JSON.stringify(outcome.calls) !== JSON.stringify(want))
        fail(
          `${seen}, and collectToolUses returned ${show(outcome.calls, 200)}; expected ${show(want, 160)}. Likely cause: blocks other than tool_use (text, server_tool_use) are collected, or deltas are keyed by something other than the event's index`,
        );
    },
  },
  {
    id: 'anthropic-multi-byte',
    name: 'Keeps Anthropic tool input cut inside multi-byte characters',
    hidden: true,
    scenario: 'unicode',
    condition:
      'emoji and CJK in an Anthropic tool input, split across input_json_delta pieces and reads',
    async run(ctx) {
      const expected = await expectedToolUses(ctx, ANTHROPIC_MULTIBYTE);
      const outcome = await collectUses(
        ctx,
        await ctx.request('/v1/messages', ANTHROPIC_MULTIBYTE, { headers: FAST }),
      );
      if ('error' in outcome)
        fail(
          `on an Anthropic message whose tool input holds emoji and CJK, cut inside characters across reads, collectToolUses threw ${show(outcome.error instanceof Error ? outcome.error.message : outcome.error)}; expected ${show(expected, 160)}`,
        );
      const got = JSON.stringify(outcome.calls);
      if (got.includes('\uFFFD') && !JSON.stringify(expected).includes('\uFFFD'))
        fail(
          `a character of the tool input split across two reads came out as \uFFFD: got ${show(outcome.calls, 160)}, expected ${show(expected, 160)}. Likely cause: each read is decoded on its own; decode with one TextDecoder and { stream: true }`,
        );
      if (got !== JSON.stringify(expected))
        fail(
          `on an Anthropic message whose tool input holds emoji and CJK, collectToolUses returned ${show(outcome.calls, 160)}; expected ${show(expected, 160)}`,
        );
    },
  },
  {
    id: 'errors-and-cuts',
    name: 'Rejects HTTP errors, error events and cut streams',
    hidden: true,
    scenario: 'default',
    condition:
      'a 429; an Anthropic overloaded_error event; a message cut before message_stop; a Chat stream cut between two calls without [DONE]; a text-only message',
    async run(ctx) {
      const limited = () =>
        new Response(
          JSON.stringify({ error: { type: 'rate_limit_error', message: 'Rate limit reached.' } }),
          { status: 429, headers: { 'content-type': 'application/json' } },
        );
      const settle = <T>(work: Promise<T>, what: string) =>
        ctx.within(
          2_500,
          work.then(
            (value) => ({ ok: true as const, value, message: '' }),
            (error: unknown) => ({
              ok: false as const,
              value: undefined,
              message: String((error as Error)?.message ?? error),
            }),
          ),
          `still waiting 2.5 s after ${what}`,
        );
      for (const [name, run] of [
        ['collectToolCalls', () => ctx.learner.collectToolCalls(limited())],
        ['collectToolUses', () => ctx.learner.collectToolUses(limited())],
      ] as const) {
        const got = await settle(run(), 'a 429 answer');
        if (got.ok || !/429|rate.?limit/i.test(got.message))
          fail(
            `the API answered 429 (rate limit), and ${name} ${got.ok ? `returned ${show(got.value)}` : `rejected with ${show(got.message)}`}: expected it to reject, naming the status. Likely cause: response.ok is not checked, so the error body is read as an empty stream`,
          );
      }
      const ev = (type: string, data: object) => ({
        type,
        data: JSON.stringify({ type, ...data }),
      });
      const start = [
        ev('message_start', {
          message: {
            id: 'msg_hand',
            type: 'message',
            role: 'assistant',
            content: [],
            model: 'claude-sonnet-4-6',
            stop_reason: null,
            usage: { input_tokens: 10, output_tokens: 1 },
          },
        }),
        ev('content_block_start', {
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_time', input: {} },
        }),
        ev('content_block_delta', {
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{}' },
        }),
        ev('content_block_stop', { index: 0 }),
      ];
      const overloaded = await settle(
        ctx.learner.collectToolUses(
          sseResponse(
            writeSse([
              ...start.slice(0, 2),
              ev('error', { error: { type: 'overloaded_error', message: 'Overloaded' } }),
            ]),
          ),
        ),
        'an error event',
      );
      if (overloaded.ok || !/overloaded/i.test(overloaded.message))
        fail(
          `an Anthropic stream sent an error event (overloaded_error) and ended, and collectToolUses ${overloaded.ok ? `returned ${show(overloaded.value)}` : `rejected with ${show(overloaded.message)}`}: expected it to reject with the error's type or message. Likely cause: error events are not handled; throw with event.error.type and event.error.message`,
        );
      const cut = await settle(
        ctx.learner.collectToolUses(
          sseResponse(
            writeSse([
              ...start,
              ev('message_delta', {
                delta: { stop_reason: 'tool_use', stop_sequence: null },
                usage: { output_tokens: 5 },
              }),
            ]),
          ),
        ),
        'a message cut before message_stop',
      );
      if (cut.ok)
        fail(
          `an Anthropic stream said stop_reason "tool_use" and then closed without message_stop, and collectToolUses returned ${show(cut.value)}: expected it to reject. Likely cause: the stop reason is taken for the end; only message_stop ends a message`,
        );
      const textOnly = await settle(
        ctx.learner.collectToolUses(
          sseResponse(
            writeSse([
              start[0]!,
              ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
              ev('content_block_delta', {
                index: 0,
                delta: { type: 'text_delta', text: 'No tool needed.' },
              }),
              ev('content_block_stop', { index: 0 }),
              ev('message_delta', {
                delta: { stop_reason: 'end_turn', stop_sequence: null },
                usage: { output_tokens: 5 },
              }),
              ev('message_stop', {}),
            ]),
          ),
        ),
        'a text-only message',
      );
      if (!textOnly.ok || !Array.isArray(textOnly.value) || textOnly.value.length !== 0)
        fail(
          `an Anthropic message with only a text block and stop_reason "end_turn" ${textOnly.ok ? `gave ${show(textOnly.value)}` : `made collectToolUses reject with ${show(textOnly.message)}`}, expected [] (no tool calls). Likely cause: text blocks and their text_delta events are read as tool_use input, or stop_reason is required to be "tool_use" even when no tool was called`,
        );
      const first = {
        tool_calls: [
          {
            index: 0,
            id: 'call_time',
            type: 'function',
            function: { name: 'get_time', arguments: '{}' },
          },
        ],
      };
      const body = handWritten([first]);
      const text = (await body.text()).split('data: ').slice(0, 3).join('data: ');
      const between = await settle(
        ctx.learner.collectToolCalls(sseResponse(text)),
        'a stream closed without [DONE]',
      );
      if (between.ok)
        fail(
          `a Chat Completions stream closed cleanly after its first call, with no finish_reason and no data: [DONE], and collectToolCalls returned ${show(between.value)}: expected it to reject, as more calls may have been cut off. Likely cause: the end of the body is taken for the end of the answer; only [DONE] is`,
        );
    },
  },
]);
