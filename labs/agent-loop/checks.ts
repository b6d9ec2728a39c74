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
async function runAgent(ctx: Ctx, steps: PlanStep[], tools: Record<string, Solution.AgentTool>) {
  const plan = plannedFetch(ctx, steps, { label: 'agent-loop' });
  const events: Event[] = [];
  let thrown: unknown;
  await ctx.within(
    5000,
    () =>
      ctx.learner
        .runAgent(QUESTION, { tools, fetch: plan.fetch, emit: (e) => events.push(e) })
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

/** The tool results the loop sent back in its second request. */
function toolResults(bodies: { messages: { role: string; content: unknown }[] }[]) {
  const last = bodies[1]?.messages.at(-1);
  return Array.isArray(last?.content)
    ? (last.content as { type: string; is_error?: boolean }[]).filter(
        (b) => b.type === 'tool_result',
      )
    : [];
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
      assert(
        events.at(-1)?.type === 'error',
        `the second turn's stream dropped mid-answer and the last event was \`${events.at(-1)?.type}\`; expected \`error\` (the answer is incomplete)`,
      );
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
      const { events, thrown } = await runAgent(ctx, [{ scenario: 'default', mapBody: limit }], {
        get_weather: weather([]),
      });
      assertNotThrown(thrown, 'max_tokens during thinking');
      assert(
        events.at(-1)?.type === 'error',
        `the turn ended with stop_reason max_tokens inside the thinking and the last event was \`${events.at(-1)?.type}\`; expected \`error\`: there is no answer`,
      );
    },
  },
]);
