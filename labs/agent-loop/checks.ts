/**
 * Checks for the agent-loop lab. Each check runs the learner's agent with tools of its own and a
 * `fetch` that serves each model turn from a planned mock scenario (recorded on the timeline), then
 * reads the events the browser would get and the requests the loop sent.
 */
import { assert, defineChecks, plannedFetch } from '../../src/lab/checks/index.ts';
import type { CheckContext, PlanStep } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;
type Event = Solution.AgentEvent;

const QUESTION = 'What is the weather in Paris, and what time is it there?';
const schema = (key: string) => ({
  type: 'object' as const,
  properties: { [key]: { type: 'string' } },
  required: [key],
});

/** A weather tool that records its calls; `fails` makes it throw. */
function weather(calls: unknown[], fails = false): Solution.AgentTool {
  return {
    description: 'Current weather for a city',
    input_schema: schema('city'),
    run: async (input) => {
      calls.push(input);
      if (fails) throw new Error('weather service unavailable');
      return JSON.stringify({ sky: 'light rain', celsius: 14 });
    },
  };
}

function clock(calls: unknown[]): Solution.AgentTool {
  return {
    description: 'Local time in a timezone',
    input_schema: schema('timezone'),
    run: async (input) => {
      calls.push(input);
      return JSON.stringify({ time: '15:04' });
    },
  };
}

/** Runs the learner's agent; returns its events, the request bodies it sent, and what it threw. */
async function runAgent(
  ctx: Ctx,
  steps: PlanStep[],
  tools: Record<string, Solution.AgentTool>,
  options: { maxSteps?: number } = {},
) {
  const plan = plannedFetch(ctx, steps, { label: 'agent-loop' });
  const events: Event[] = [];
  let thrown: unknown;
  await ctx.within(
    5000,
    () =>
      ctx.learner
        .runAgent(QUESTION, { ...options, tools, fetch: plan.fetch, emit: (e) => events.push(e) })
        .catch((error: unknown) => (thrown = error)),
    'runAgent never returned: end the loop after `done` or `error`',
  );
  const bodies = plan.bodies.map(
    (b) => JSON.parse(b) as { messages: { role: string; content: unknown }[] },
  );
  return { events, bodies, thrown };
}

const joined = (events: Event[], type: 'thinking' | 'delta') =>
  events.flatMap((e) => (e.type === type ? [e.text] : [])).join('');

function assertNotThrown(thrown: unknown, condition: string): void {
  assert(
    thrown === undefined,
    `${condition}: runAgent threw (${String((thrown as Error)?.message ?? thrown)}); the browser got no final event. Catch it and send an \`error\` event.`,
  );
}

interface ToolResultBlock {
  type: string;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

/** The tool results the loop sent back in its second request. */
function toolResults(bodies: { messages: { role: string; content: unknown }[] }[]) {
  const last = bodies[1]?.messages.at(-1);
  return Array.isArray(last?.content)
    ? (last.content as ToolResultBlock[]).filter((b) => b.type === 'tool_result')
    : [];
}

/** A tool_result's content as text (a string, or text blocks). */
const resultText = (result: ToolResultBlock): string =>
  typeof result.content === 'string'
    ? result.content
    : Array.isArray(result.content)
      ? (result.content as { text?: unknown }[]).map((b) => String(b.text ?? '')).join('')
      : '';

/** The loop's last event is an `error` whose message says something (the browser shows it). */
function assertEndsWithError(events: Event[], condition: string): void {
  const last = events.at(-1);
  assert(
    last?.type === 'error',
    `${condition}, and the last event was \`${last?.type}\`; expected \`error\` (there is no complete answer)`,
  );
  assert(
    typeof last.message === 'string' && last.message.trim() !== '',
    `${condition}, and the \`error\` event's message was ${JSON.stringify(last.message) ?? 'undefined'}: the browser shows it to say what went wrong, so it needs text. Likely cause: the message is read from a field this failure does not have (a dropped connection has no API error body, \`error.error\`); use \`error.message\` or words of your own`,
  );
}

export default defineChecks<typeof Solution>([
  {
    id: 'keeps-apart',
    name: 'Thinking and answer reach the browser as separate events',
    run: async (ctx) => {
      const calls: unknown[] = [];
      const { events, thrown } = await runAgent(ctx, [{ scenario: 'default' }], {
        get_weather: weather(calls),
      });
      assertNotThrown(thrown, 'a plain tool loop');
      const thinking = joined(events, 'thinking');
      const answer = joined(events, 'delta');
      assert(
        thinking.length > 0,
        'no `thinking` events: the thinking deltas must reach the thinking panel',
      );
      assert(
        !answer.includes(thinking.slice(0, 24)),
        'the answer text contains the thinking: send `thinking_delta` as `thinking` events, only `text_delta` as `delta`',
      );
      assert(
        events[0]?.type === 'thinking',
        `the first event was \`${events[0]?.type}\`; a reasoning model thinks first`,
      );
    },
  },
  {
    id: 'tool-roundtrip',
    name: 'Runs the tool, sends the result back with the thinking, and streams the answer',
    run: async (ctx) => {
      const calls: unknown[] = [];
      const { events, bodies, thrown } = await runAgent(ctx, [{ scenario: 'default' }], {
        get_weather: weather(calls),
      });
      assertNotThrown(thrown, 'a plain tool loop');
      assert(calls.length === 1, `the weather tool ran ${calls.length} times; expected once`);
      assert(
        events.some((e) => e.type === 'tool-start') && events.some((e) => e.type === 'tool-result'),
        'no `tool-start`/`tool-result` events: the browser cannot show tool progress',
      );
      const reported = events.find((e) => e.type === 'tool-result');
      const [sent] = toolResults(bodies);
      assert(
        reported?.ok === true && sent?.is_error !== true,
        `the weather tool returned normally, and the loop reported \`tool-result\` with ok: ${String(reported?.ok)} and sent its tool_result with is_error: ${String(sent?.is_error)}; expected ok: true and no is_error. Likely cause: the success flag is inverted (\`is_error\` means the opposite of \`ok\`: \`is_error: !ok\`)`,
      );
      const error = events.find((e) => e.type === 'error');
      assert(
        !error,
        `the loop ended with an error: ${error && 'message' in error ? error.message : ''}. Likely cause: the assistant turn was not sent back as it came (thinking block first, signature intact).`,
      );
      assert(
        bodies.length === 2,
        `the loop sent ${bodies.length} requests; expected 2 (tool turn, answer turn)`,
      );
      assert(
        joined(events, 'delta').includes('light rain'),
        "the answer does not use the tool's result",
      );
      assert(
        events.at(-1)?.type === 'done',
        `the last event was \`${events.at(-1)?.type}\`, not \`done\``,
      );
    },
  },
  {
    id: 'parallel-calls',
    name: 'Runs every tool call of a turn and sends all results together',
    hidden: true,
    condition: 'parallel tool calls',
    run: async (ctx) => {
      const w: unknown[] = [];
      const t: unknown[] = [];
      const { events, bodies, thrown } = await runAgent(ctx, [{ scenario: 'default' }], {
        get_weather: weather(w),
        get_time: clock(t),
      });
      assertNotThrown(thrown, 'two tool calls in one turn');
      assert(
        w.length === 1 && t.length === 1,
        `the model called get_weather and get_time in one turn; they ran ${w.length} and ${t.length} times. Run every \`tool_use\` block of the turn.`,
      );
      const results = toolResults(bodies);
      assert(
        results.length === 2,
        `the second request carried ${results.length} tool_result blocks in its last user turn; expected both results in one turn`,
      );
      assert(
        events.at(-1)?.type === 'done',
        `the last event was \`${events.at(-1)?.type}\`, not \`done\``,
      );
    },
  },
  {
    id: 'tool-fails',
    name: "A tool's failure goes back to the model as a tool error",
    hidden: true,
    condition: 'a tool that fails',
    run: async (ctx) => {
      const calls: unknown[] = [];
      const { events, bodies, thrown } = await runAgent(ctx, [{ scenario: 'default' }], {
        get_weather: weather(calls, true),
      });
      assertNotThrown(thrown, 'a tool that throws');
      const [result] = toolResults(bodies);
      assert(result, 'after the tool threw, no tool_result went back to the model');
      assert(result.is_error === true, 'the failed tool went back without `is_error: true`');
      assert(
        events.some((e) => e.type === 'tool-result' && !e.ok),
        'the browser was not told the tool failed (`tool-result` with `ok: false`)',
      );
      const why = 'weather service unavailable';
      assert(
        resultText(result).includes(why),
        `the tool threw Error("${why}"), and the tool_result sent to the model held ${JSON.stringify(resultText(result))}; expected it to include the error's message, so the model can tell what went wrong and try otherwise. Likely cause: the catch replaces the error with words of its own; put \`error.message\` in the result`,
      );
      assert(
        events.at(-1)?.type === 'done',
        'the model could answer despite the failure, but the loop did not end with `done`',
      );
    },
  },
  {
    id: 'disconnect-second-turn',
    name: 'A stream dropped in the second turn ends with an error, not a false done',
    hidden: true,
    condition: 'a disconnect during the second turn',
    run: async (ctx) => {
      const calls: unknown[] = [];
      const { events, thrown } = await runAgent(
        ctx,
        [{ scenario: 'default' }, { scenario: 'disconnect' }],
        { get_weather: weather(calls) },
      );
      assertNotThrown(thrown, 'the second turn dropped mid-stream');
      assertEndsWithError(events, "the second turn's stream dropped mid-answer");
      assert(
        !events.some((e) => e.type === 'done'),
        'a `done` was sent for an answer that was cut off',
      );
    },
  },
  {
    id: 'max-tokens-thinking',
    name: 'An output limit reached while thinking is reported, not shown as an empty answer',
    hidden: true,
    condition: 'max_tokens reached during thinking',
    run: async (ctx) => {
      const limit = (body: string) => {
        const b = JSON.parse(body) as Record<string, unknown>;
        return JSON.stringify({ ...b, max_tokens: 12, thinking: { type: 'adaptive' } });
      };
      const { events, bodies, thrown } = await runAgent(
        ctx,
        [{ scenario: 'default', mapBody: limit }],
        { get_weather: weather([]) },
      );
      assertNotThrown(thrown, 'max_tokens during thinking');
      assertEndsWithError(events, 'the turn ended with stop_reason max_tokens inside the thinking');
      assert(
        bodies.length === 1,
        `the first turn ended with stop_reason max_tokens (no tool call in it), and the loop sent ${bodies.length} requests; expected 1. Likely cause: every stop other than end_turn is taken for a tool turn, so the same conversation is sent again until the step limit; only \`tool_use\` continues the loop`,
      );
    },
  },
  {
    id: 'unknown-tool',
    name: 'A call to a tool the agent does not have goes back as a tool error',
    hidden: true,
    condition: 'a model that calls a tool the agent does not have',
    run: async (ctx) => {
      // The model is offered a get_time tool the agent does not have (as when it invents a name).
      const offerClock = (body: string) => {
        const b = JSON.parse(body) as { tools?: { name: string }[] };
        const extra = {
          name: 'get_time',
          description: 'Local time',
          input_schema: schema('timezone'),
        };
        return JSON.stringify({ ...b, tools: [...(b.tools ?? []), extra] });
      };
      const { events, bodies, thrown } = await runAgent(
        ctx,
        [{ scenario: 'default', mapBody: offerClock }],
        { get_weather: weather([]) },
      );
      assertNotThrown(thrown, 'a call to an unknown tool');
      const results = toolResults(bodies);
      const turn = bodies[1]?.messages.at(-2)?.content;
      const call = Array.isArray(turn)
        ? (turn as { type: string; id?: string; name?: string }[]).find(
            (b) => b.type === 'tool_use' && b.name === 'get_time',
          )
        : undefined;
      const unknown = results.find((r) => call && r.tool_use_id === call.id);
      assert(
        results.length === 2 && unknown,
        `the model called get_weather and get_time (a tool the agent does not have), and the second request carried ${results.length} tool_result block${results.length === 1 ? '' : 's'}${unknown ? '' : ', none for get_time'}; expected one per tool_use block. Likely cause: calls to unknown tools are skipped; the API refuses a turn where a tool_use has no tool_result, so answer it with an error`,
      );
      const reported = events.find((e) => e.type === 'tool-result' && e.id === unknown.tool_use_id);
      assert(
        unknown.is_error === true &&
          resultText(unknown).trim() !== '' &&
          reported?.type === 'tool-result' &&
          !reported.ok,
        `for the call to get_time, which the agent does not have, the loop sent a tool_result with is_error: ${String(unknown.is_error)} and content ${JSON.stringify(resultText(unknown))}, and \`tool-result\` ok: ${String(reported?.type === 'tool-result' ? reported.ok : undefined)}; expected is_error: true, a content saying the tool does not exist, and ok: false`,
      );
      assert(
        events.at(-1)?.type === 'done',
        `the model could answer with the weather alone, but the last event was \`${events.at(-1)?.type}\`, not \`done\``,
      );
    },
  },
  {
    id: 'step-limit',
    name: 'The step limit ends the loop with an error',
    hidden: true,
    condition: '`maxSteps: 1` and a model that calls a tool',
    run: async (ctx) => {
      const { events, bodies, thrown } = await runAgent(
        ctx,
        [{ scenario: 'default' }],
        { get_weather: weather([]) },
        { maxSteps: 1 },
      );
      assertNotThrown(thrown, 'the step limit');
      assert(
        bodies.length === 1,
        `with \`maxSteps: 1\` the loop sent ${bodies.length} requests to the model; expected 1. Likely cause: \`maxSteps\` is not read, or the loop runs one turn more than it (\`<=\` where \`<\` belongs)`,
      );
      assertEndsWithError(events, 'the only turn allowed (`maxSteps: 1`) called a tool');
    },
  },
]);
