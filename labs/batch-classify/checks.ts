/**
 * Checks for the batch-classify lab. `classifyAll` gets a `fetch` that counts the requests in flight
 * (from the call until the body is read), serves each ticket from the mock with its own latency or
 * fault, and records what was sent; labels are compared with the mock's answer to the same request.
 */
import {
  assert,
  chatChunk,
  cutAfterEvents,
  defineChecks,
  fail,
  rechunk,
  sseResponse,
  writeSse,
} from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;

const FAST = 'ttft_ms=15,tps=2000';

interface Counter {
  fetch: typeof fetch;
  /** The most requests in flight at one time. */
  max(): number;
  /** Request bodies by ticket text. */
  bodies: Map<string, string>;
  /** The content-type header each ticket's request was sent with (null: none). */
  contentTypes: Map<string, string | null>;
  /** Every request, in the order sent: its ticket, when it started and when its body was read (ms). */
  sent: Array<{ ticket: string; started: number; ended?: number }>;
}

/** The ticket a request is about (the last user message). */
function ticketOf(body: string): string {
  const parsed = JSON.parse(body) as { messages?: Array<{ role: string; content: unknown }> };
  const user = parsed.messages?.filter((m) => m.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : '';
}

/** How one ticket is answered. */
interface Route {
  scenario: string;
  knobs?: string;
  /** Reshapes the mock's answer (re-sliced reads, a body cut short). */
  shape?: (response: Response) => Response;
  /** Answers with this instead of asking the mock (an answer no mock scenario gives). */
  respond?: (stream: boolean) => Response;
}

/** A counting fetch; `route` picks the scenario and knobs for each ticket. */
function counting(
  ctx: Ctx,
  route: (ticket: string) => Route = () => ({ scenario: 'default' }),
): Counter {
  let inFlight = 0;
  let max = 0;
  const bodies = new Map<string, string>();
  const contentTypes = new Map<string, string | null>();
  const sent: Counter['sent'] = [];
  const countFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    inFlight++;
    max = Math.max(max, inFlight);
    const entry: Counter['sent'][number] = { ticket: '', started: ctx.now() };
    sent.push(entry);
    let settled = false;
    const done = () => {
      if (!settled) {
        inFlight--;
        entry.ended = ctx.now();
      }
      settled = true;
    };
    try {
      const request = new Request(
        input instanceof Request ? input : new URL(String(input), ctx.mockOrigin),
        init,
      );
      const body = await request.text();
      const ticket = ticketOf(body);
      bodies.set(ticket, body);
      contentTypes.set(ticket, request.headers.get('content-type'));
      entry.ticket = ticket;
      const { scenario, knobs, shape, respond } = route(ticket);
      const url = new URL(request.url);
      const path = url.pathname.replace(/^\/scenarios\/[^/]+/, '');
      const answer = respond
        ? respond(streamed(body))
        : await ctx.fetch(`${ctx.mockOrigin}/scenarios/${scenario}${path}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-streamlab-knobs': knobs ? `${FAST},${knobs}` : FAST,
              'x-streamlab-run': `batch-${Math.random()}`,
            },
            body,
            signal: request.signal,
          });
      const response = shape ? shape(answer) : answer;
      if (!response.body) {
        done();
        return response;
      }
      const reader = response.body.getReader();
      const tracked = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { value, done: end } = await reader.read();
            if (end) {
              done();
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            done();
            controller.error(error);
          }
        },
        cancel(reason) {
          done();
          return reader.cancel(reason);
        },
      });
      return new Response(tracked, { status: response.status, headers: response.headers });
    } catch (error) {
      done();
      throw error;
    }
  };
  return { fetch: countFetch as typeof fetch, max: () => max, bodies, contentTypes, sent };
}

const streamed = (body: string): boolean =>
  (JSON.parse(body) as { stream?: unknown }).stream === true;

/** The mock's plain (non-streamed) answer to `body`, trimmed. */
async function reference(
  ctx: Ctx,
  body: string | undefined,
  scenario = 'default',
): Promise<string> {
  assert(body, 'a ticket was never sent to the model');
  const parsed = JSON.parse(body) as Record<string, unknown>;
  const response = await ctx.request(
    '/v1/chat/completions',
    { ...parsed, stream: false },
    {
      record: false,
      scenario,
      headers: { 'x-streamlab-knobs': 'ttft_ms=0,tps=100000' },
    },
  );
  const completion = (await response.json()) as {
    choices: Array<{ message: { content: string | null } }>;
  };
  return completion.choices[0]?.message.content?.trim() ?? '';
}

/** A hand-made answer whose text is `content`: plain JSON, or SSE ending in [DONE]. */
function paddedAnswer(content: string, stream: boolean): Response {
  if (!stream) {
    return Response.json({
      id: 'chatcmpl-padded',
      object: 'chat.completion',
      model: 'gpt-4o-mini',
      choices: [
        { index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' },
      ],
    });
  }
  const chunk = (delta: object, finish: string | null = null) => ({
    type: 'message',
    data: JSON.stringify(chatChunk(delta, { finish })),
  });
  const half = Math.ceil(content.length / 2);
  return sseResponse(
    writeSse([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: content.slice(0, half) }),
      chunk({ content: content.slice(half) }),
      chunk({}, 'stop'),
      { type: 'message', data: '[DONE]' },
    ]),
  );
}

const tickets = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `Ticket #${i + 1}: ${SUBJECTS[i % SUBJECTS.length]}`);
const SUBJECTS = [
  'I was charged twice this month.',
  'The app crashes when I log in.',
  'How do I export my data?',
  'My invoice shows the wrong address.',
  'Search returns nothing since the update.',
];

/** Runs `classifyAll` and checks every label against the mock's own answer. */
async function classifyAndCompare(
  ctx: Ctx,
  list: string[],
  limit: number,
  counter: Counter,
  skip: Set<number> = new Set(),
) {
  let labels: Array<string | null>;
  try {
    labels = await ctx.within(
      4_000,
      ctx.learner.classifyAll(list, { limit, fetch: counter.fetch }),
      `classifyAll did not finish ${list.length} tickets within 4 s`,
    );
  } catch (error) {
    if ((error as Error).name === 'CheckFailure') throw error;
    fail(
      `classifyAll rejected (${(error as Error).message}): one failed ticket sank the whole batch. Catch per ticket and give it null`,
    );
  }
  assert(Array.isArray(labels), 'classifyAll must resolve to an array of labels');
  assert(
    labels.length === list.length,
    `${list.length} tickets gave ${labels.length} labels: one label per ticket, in input order`,
  );
  const expected = await Promise.all(
    list.map((t, i) =>
      skip.has(i) ? Promise.resolve(null) : reference(ctx, counter.bodies.get(t)),
    ),
  );
  for (const [i, label] of labels.entries()) {
    if (skip.has(i)) continue;
    if (label !== expected[i]) {
      const elsewhere = expected.indexOf(label ?? '');
      fail(
        elsewhere >= 0
          ? `label ${i + 1} is the answer to ticket ${elsewhere + 1}: results must come back in input order, not in the order the requests finish`
          : `label ${i + 1} is ${JSON.stringify(label)}, expected ${JSON.stringify(expected[i])}`,
      );
    }
  }
  return labels;
}

/** Fails unless the batch used exactly `limit` requests at a time at its peak. */
function expectConcurrency(counter: Counter, limit: number, count: number): void {
  const max = counter.max();
  if (max > limit) {
    fail(
      `${max} requests were in flight at once with limit ${limit}: ${count} tickets must not all start together (a rate limit or a socket pool will punish it). Keep at most ${limit} running`,
    );
  }
  if (max < limit) {
    fail(
      `at most ${max} request${max === 1 ? ' was' : 's were'} in flight, with limit ${limit}: the batch runs ${max === 1 ? 'sequentially' : 'below its limit'}. Start a new request as soon as one finishes`,
    );
  }
}

export default defineChecks<typeof Solution>([
  {
    id: 'classify-one',
    name: 'Classifies one ticket without streaming',
    scenario: 'default',
    async run(ctx) {
      const counter = counting(ctx);
      const ticket = tickets(1)[0]!;
      const label = await ctx.within(
        2_000,
        ctx.learner.classify(ticket, { fetch: counter.fetch }),
        'classify did not return within 2 s',
      );
      const body = counter.bodies.get(ticket);
      assert(body, 'classify never sent the ticket (as the last user message)');
      const parsed = JSON.parse(body) as { stream?: boolean };
      assert(
        !parsed.stream,
        'classify sent stream: true: a one-word label that nobody watches arrive gains nothing from streaming. Send a plain request',
      );
      const expected = await reference(ctx, body);
      assert(
        label === expected,
        `classify returned ${JSON.stringify(label)}, expected the trimmed answer ${JSON.stringify(expected)}`,
      );
    },
  },
  {
    id: 'bounded-batch',
    name: 'Runs 50 tickets with at most 5 in flight',
    scenario: 'default',
    async run(ctx) {
      const counter = counting(ctx);
      const list = tickets(50);
      await classifyAndCompare(ctx, list, 5, counter);
      expectConcurrency(counter, 5, list.length);
    },
  },
  {
    id: 'keeps-order',
    name: 'Returns labels in input order when answers finish out of order',
    hidden: true,
    scenario: 'default',
    condition: 'tickets whose answers take 0-90 ms',
    async run(ctx) {
      const counter = counting(ctx, (ticket) => {
        const n = Number(/#(\d+)/.exec(ticket)?.[1] ?? 0);
        return { scenario: 'default', knobs: `ttft_ms=${(n * 37) % 90}` };
      });
      await classifyAndCompare(ctx, tickets(12), 4, counter);
    },
  },
  {
    id: 'failure-isolated',
    name: 'Keeps going when one ticket fails',
    hidden: true,
    scenario: 'server-error',
    condition: 'ticket 3 failing with HTTP 500 on every attempt',
    async run(ctx) {
      const list = tickets(8);
      const counter = counting(ctx, (ticket) =>
        ticket === list[2]
          ? { scenario: 'server-error', knobs: 'fail_attempts=100,retry_after_ms=1' }
          : { scenario: 'default' },
      );
      const labels = await classifyAndCompare(ctx, list, 3, counter, new Set([2]));
      assert(
        labels[2] === null,
        `the failed ticket's label should be null, got ${JSON.stringify(labels[2])}`,
      );
    },
  },
  {
    id: 'limit-one-is-sequential',
    name: 'With limit 1, runs one request at a time',
    hidden: true,
    scenario: 'default',
    condition: 'limit 1',
    async run(ctx) {
      const counter = counting(ctx);
      await classifyAndCompare(ctx, tickets(6), 1, counter);
      expectConcurrency(counter, 1, 6);
    },
  },
  {
    id: 'fewer-than-limit',
    name: 'Handles fewer tickets than the limit',
    hidden: true,
    scenario: 'default',
    condition: '3 tickets with limit 8',
    async run(ctx) {
      const counter = counting(ctx);
      await classifyAndCompare(ctx, tickets(3), 8, counter);
      assert(
        counter.bodies.size === 3,
        `3 tickets made requests for ${counter.bodies.size} different tickets: start no more workers than there are items`,
      );
    },
  },
  {
    id: 'streamed-same-label',
    name: 'The streamed classify gives the same label',
    scenario: 'fragmented',
    async run(ctx) {
      const counter = counting(ctx, () => ({ scenario: 'fragmented', knobs: 'read_gap_ms=0' }));
      const ticket = tickets(2)[1]!;
      const label = await ctx.within(
        2_000,
        ctx.learner.classify(ticket, { fetch: counter.fetch, stream: true }),
        'classify with stream: true did not return within 2 s',
      );
      const body = counter.bodies.get(ticket);
      assert(
        body && (JSON.parse(body) as { stream?: boolean }).stream === true,
        'classify({ stream: true }) must send stream: true',
      );
      const expected = await reference(ctx, body);
      assert(
        label === expected,
        `streamed, classify returned ${JSON.stringify(label)}, but the plain request gives ${JSON.stringify(expected)}: join the deltas across reads and trim at [DONE]`,
      );
    },
  },
  {
    id: 'each-ticket-once',
    name: 'Sends each ticket exactly once',
    hidden: true,
    scenario: 'default',
    condition: '20 tickets with limit 4, counting every request',
    async run(ctx) {
      const counter = counting(ctx);
      const list = tickets(20);
      await classifyAndCompare(ctx, list, 4, counter);
      const times = new Map<string, number>();
      for (const { ticket } of counter.sent) times.set(ticket, (times.get(ticket) ?? 0) + 1);
      const twice = list.flatMap((t, i) => ((times.get(t) ?? 0) > 1 ? [i + 1] : []));
      if (twice.length > 0 || counter.sent.length !== list.length)
        fail(
          `20 tickets made ${counter.sent.length} requests${twice.length ? `: ticket${twice.length > 1 ? 's' : ''} ${twice.join(', ')} ${twice.length > 1 ? 'were' : 'was'} sent ${Math.max(...twice.map((n) => times.get(list[n - 1]!)!))} times` : ''}, and every label was right, so only the bill shows it. Likely cause: two workers take the same index (an off-by-one where the pool starts, or the index read before an await and advanced after it); take each index with next++ once, with no await in between`,
        );
    },
  },
  {
    id: 'slow-item',
    name: 'Keeps the limit full while one ticket is slow',
    hidden: true,
    scenario: 'default',
    condition: 'ticket 1 answering in 800 ms, the 11 others in about 15 ms, limit 3',
    async run(ctx) {
      const list = tickets(12);
      const counter = counting(ctx, (ticket) =>
        ticket === list[0]
          ? { scenario: 'default', knobs: 'ttft_ms=800' }
          : { scenario: 'default' },
      );
      await classifyAndCompare(ctx, list, 3, counter);
      const slow = counter.sent.find((r) => r.ticket === list[0]);
      assert(slow?.ended !== undefined, 'ticket 1 was never sent, or its answer never read');
      const held = list
        .slice(1)
        .flatMap((ticket, i) =>
          counter.sent.some((r) => r.ticket === ticket && r.started >= slow.ended!) ? [i + 2] : [],
        );
      if (held.length > 0)
        fail(
          `while ticket 1 took 800 ms, the 11 fast tickets needed about 90 ms on the 2 other slots, yet ticket${held.length > 1 ? 's' : ''} ${held.join(', ')} started only after ticket 1 had finished (${Math.round(slow.ended - slow.started)} ms in). Likely cause: the tickets are run in waves (Promise.all on groups of 3) or split between the workers in advance, so one slow ticket holds back others; let each worker take the next ticket as soon as it is free`,
        );
    },
  },
  {
    id: 'request-shape',
    name: 'Sends a JSON request with an instruction before the ticket',
    hidden: true,
    scenario: 'default',
    condition: 'the request classify sends for one ticket',
    async run(ctx) {
      const counter = counting(ctx);
      const ticket = tickets(3)[2]!;
      await ctx.within(
        2_000,
        ctx.learner.classify(ticket, { fetch: counter.fetch }),
        'classify did not return within 2 s',
      );
      const body = counter.bodies.get(ticket);
      assert(body, 'classify never sent the ticket (as the last user message)');
      const type = counter.contentTypes.get(ticket) ?? null;
      if (!type?.toLowerCase().startsWith('application/json')) {
        fail(
          `classify sent its JSON body with content-type ${JSON.stringify(type)}, expected application/json; the real API refuses that with 400 unsupported_content_type. Likely cause: the fetch has no headers: { 'content-type': 'application/json' } (a string body is sent as text/plain)`,
        );
      }
      const { messages = [] } = JSON.parse(body) as {
        messages?: Array<{ role: string; content: unknown }>;
      };
      const instruction = messages.find(
        (m) =>
          (m.role === 'system' || m.role === 'developer') &&
          typeof m.content === 'string' &&
          m.content.trim() !== '',
      );
      if (!instruction) {
        fail(
          `classify sent the ticket with no instruction (roles sent: ${messages.map((m) => m.role).join(', ') || 'none'}), expected a system or developer message asking for one label; a model given only the ticket answers it in sentences. Likely cause: the system message is missing or empty`,
        );
      }
    },
  },
  {
    id: 'trims-label',
    name: 'Trims the spaces and newline around the label',
    hidden: true,
    scenario: 'default',
    condition: "an answer of ' billing\\n', plain and streamed",
    async run(ctx) {
      const padded = ' billing\n';
      const counter = counting(ctx, () => ({
        scenario: 'default',
        respond: (s) => paddedAnswer(padded, s),
      }));
      for (const stream of [false, true]) {
        const label = await ctx.within(
          2_000,
          ctx.learner.classify(tickets(1)[0]!, { fetch: counter.fetch, stream }),
          `classify${stream ? ' with stream: true' : ''} did not return within 2 s`,
        );
        if (label !== 'billing') {
          fail(
            `${stream ? 'streamed, ' : ''}the model answered ${JSON.stringify(padded)} and classify returned ${JSON.stringify(label)}, expected "billing". Likely cause: the answer is not trimmed${stream ? ' once the deltas are joined' : ''}, so the label never equals "billing"`,
          );
        }
      }
    },
  },
  {
    id: 'stream-cut',
    name: 'Throws when a streamed answer ends without [DONE]',
    hidden: true,
    scenario: 'default',
    condition: 'a streamed answer whose body closes cleanly after 2 events, without data: [DONE]',
    async run(ctx) {
      const counter = counting(ctx, () => ({
        scenario: 'default',
        shape: (response) => cutAfterEvents(response, 2),
      }));
      const outcome = await ctx.within(
        2_000,
        ctx.learner.classify(tickets(4)[3]!, { fetch: counter.fetch, stream: true }).then(
          (label) => ({ label }),
          (error: unknown) => ({ error }),
        ),
        'streamed, the body closed without data: [DONE] and classify had not settled 2 s later. Likely cause: the read loop does not stop when reader.read() says done',
      );
      if ('label' in outcome) {
        fail(
          `streamed, the body closed cleanly after 2 events without data: [DONE], and classify returned ${JSON.stringify(outcome.label)} as a label, expected it to throw: a cut answer is not an answer. Likely cause: the end of the body is taken for the end of the answer; only [DONE] ends it`,
        );
      }
    },
  },
  {
    id: 'multibyte-split',
    name: 'Keeps non-ASCII text split across reads',
    hidden: true,
    scenario: 'default',
    condition: "a Spanish ticket answered 'facturación', streamed in one-byte reads",
    async run(ctx) {
      const expected = 'facturación';
      const counter = counting(ctx, () => ({
        scenario: 'default',
        respond: (stream) => paddedAnswer(expected, stream),
        shape: (response) => rechunk(response, 1),
      }));
      const label = await ctx.within(
        2_000,
        ctx.learner.classify('Me cobraron dos veces este mes.', {
          fetch: counter.fetch,
          stream: true,
        }),
        'classify with stream: true did not return within 2 s',
      );
      if (label !== expected) {
        fail(
          `streamed in one-byte reads, the answer ${JSON.stringify(expected)} came back as ${JSON.stringify(label)}${label.includes('\uFFFD') ? ' (with U+FFFD where a character was split between reads)' : ''}. Likely cause: each read is decoded on its own; decode with one TextDecoder and { stream: true }`,
        );
      }
    },
  },
  {
    id: 'refusal-no-label',
    name: 'Gives no label to a ticket the model refuses',
    hidden: true,
    scenario: 'refusal',
    condition: 'ticket 2 refused (content: null, with a refusal)',
    async run(ctx) {
      const list = tickets(4);
      const counter = counting(ctx, (ticket) => ({
        scenario: ticket === list[1] ? 'refusal' : 'default',
      }));
      const labels = await classifyAndCompare(ctx, list, 2, counter, new Set([1]));
      if (labels[1] !== null && labels[1] !== '') {
        fail(
          `the model refused ticket 2 (message.content: null, message.refusal set), and its label is ${JSON.stringify(labels[1])}, expected null or "": a refusal is no label. Likely cause: content is turned into a string without checking for null (String(null) is "null")`,
        );
      }
    },
  },
  {
    id: 'bad-limit',
    name: 'Refuses a limit that is not a positive integer',
    hidden: true,
    scenario: 'default',
    condition: 'mapWithConcurrency with limit 0, then NaN',
    async run(ctx) {
      for (const limit of [0, NaN]) {
        let calls = 0;
        const outcome = await ctx.within(
          1_000,
          (async () =>
            ctx.learner.mapWithConcurrency([1, 2, 3], limit, async (n) => (calls++, n)))().then(
            (results) => ({ results }),
            () => ({}),
          ),
          `mapWithConcurrency with limit ${limit} did not settle within 1 s`,
        );
        if ('results' in outcome) {
          fail(
            `mapWithConcurrency([1, 2, 3], ${limit}, fn) resolved to ${JSON.stringify(outcome.results)} after ${calls} call(s) of fn, expected it to throw: no work can run ${limit === 0 ? 'zero' : 'NaN'} at a time. Likely cause: the limit is not checked (Number.isInteger(limit) && limit >= 1), so no worker starts and the results are empty`,
          );
        }
      }
    },
  },
]);
