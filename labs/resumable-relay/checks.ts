/**
 * Checks for the resumable-relay lab. Each check builds the learner's relay with a `fetch` that serves
 * the provider from the mock (recorded on the timeline), talks to it the way a browser would, drops the
 * connection where the check says, resumes with `Last-Event-ID`, and compares what the browser ends up
 * with against the provider's whole answer.
 */
import {
  assert,
  defineChecks,
  expectedChatText,
  fail,
  FAST_KNOBS,
  plannedFetch,
} from '../../src/lab/checks/index.ts';
import type { CheckContext, PlanStep } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;
type Relay = (request: Request) => Promise<Response>;

const ORIGIN = 'http://app.streamlab.local';
const MESSAGES = [{ role: 'user', content: 'How do I resume a stream?' }];

/** One event as the browser parsed it. */
interface Received {
  id: number | null;
  type: string;
  data: Record<string, unknown>;
}

/** The relay under test; `knobs` slows the provider so a drop happens while it still streams. */
function build(ctx: Ctx, options: Solution.RelayOptions = {}, knobs?: string, hold?: Hold) {
  return buildWith(ctx, { scenario: 'default', knobs }, options, hold);
}

/** The relay under test with its provider served by `step` (a scenario, knobs, a cut, a rewritten body). */
function buildWith(ctx: Ctx, step: PlanStep, options: Solution.RelayOptions = {}, hold?: Hold) {
  const plan = plannedFetch(ctx, [step], { label: 'resumable-relay' });
  const contentTypes: (string | null)[] = [];
  const recordingFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : {}));
    contentTypes.push(headers.get('content-type'));
    const response = plan.fetch(input, init);
    if (!hold) return response;
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    return response.then((r) => holdAfter(r, hold, signal));
  }) as typeof fetch;
  const relay = ctx.learner.createResumableRelay({ fetch: recordingFetch, ...options }) as Relay;
  const expected = () =>
    expectedChatText(
      ctx,
      plan.bodies[0],
      'the relay never called the provider: fetch its /v1/chat/completions',
      step.knobs ? `${FAST_KNOBS},${step.knobs},${FAST_KNOBS}` : FAST_KNOBS, // same reply, no waits
      step.scenario,
    );
  return { relay, expected, bodies: plan.bodies, contentTypes };
}

/** Where the provider's answer pauses: after its first `events` events, until `until` resolves. */
interface Hold {
  events: number;
  until: Promise<void>;
}

/**
 * The provider's body with the rest of the answer held back (`Hold`), so it cannot end before the check
 * lets it, however the reply is paced or late. Aborting the relay's request (`signal`) ends it at once.
 */
function holdAfter(response: Response, hold: Hold, signal: AbortSignal | null | undefined) {
  const reader = response.body?.getReader();
  if (!reader) return response;
  const decoder = new TextDecoder();
  let head = ''; // the answer's text up to the hold
  const passed = (): number => head.split('\n\n').length - 1;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        signal?.addEventListener(
          'abort',
          () => {
            controller.error(signal.reason);
            void reader.cancel(signal.reason).catch(() => {});
          },
          { once: true },
        );
      },
      async pull(controller) {
        if (passed() >= hold.events) await hold.until;
        const { done, value } = await reader.read();
        if (signal?.aborted) return;
        if (done) return controller.close();
        if (passed() < hold.events) head += decoder.decode(value, { stream: true });
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, headers: response.headers });
}

const start = (relay: Relay): Promise<Response> =>
  relay(
    new Request(`${ORIGIN}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: MESSAGES }),
    }),
  );

/** `GET /api/chat/<id>` with `Last-Event-ID: lastId` (none when `lastId` is null, as a first EventSource sends). */
const resume = (
  relay: Relay,
  streamId: string,
  lastId: number | string | null,
): Promise<Response> =>
  relay(
    new Request(`${ORIGIN}/api/chat/${streamId}`, {
      headers: lastId === null ? {} : { 'last-event-id': String(lastId) },
    }),
  );

function parseBlock(block: string): Received | null {
  let id: number | null = null;
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('id:')) id = Number(line.slice(3).trim());
    else if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return null;
  try {
    return { id, type, data: JSON.parse(data.join('\n')) as Record<string, unknown> };
  } catch {
    return { id, type, data: { raw: data.join('\n') } };
  }
}

/**
 * Reads `response` as a browser would. With `dropAfter`, the connection drops once that many events
 * have arrived; with `midEvent`, the last of them arrives only in part (its bytes are cut in the middle),
 * so the browser never saw it.
 */
async function read(
  ctx: Ctx,
  response: Response,
  {
    dropAfter = Infinity,
    midEvent = false,
    hung = 'the relay never ended the stream: close it after `done` or `error`',
  } = {},
): Promise<Received[]> {
  assert(response.body, `the relay answered ${response.status} with no body`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const events: Received[] = [];
  let buffer = '';
  const work = async () => {
    while (events.length < dropAfter) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while (events.length < dropAfter && (end = buffer.indexOf('\n\n')) >= 0) {
        const event = parseBlock(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) events.push(event);
      }
    }
    await reader.cancel();
  };
  await ctx.within(3000, work, hung);
  if (midEvent) events.pop(); // the connection broke inside this event: the browser has none of it
  return events;
}

const text = (events: Received[]): string =>
  events
    .filter((e) => e.type === 'delta')
    .map((e) => String(e.data.text ?? ''))
    .join('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const NOT_CLEARED =
  'the idle countdown started when the browser left is not cleared when it comes back, so the stream is freed under the new connection.';

/** Fails unless `response` is an SSE stream that proxies and caches pass through as it comes (lesson 6). */
function expectSseHeaders(response: Response, what: string): void {
  const type = response.headers.get('content-type') ?? '(none)';
  assert(
    type.startsWith('text/event-stream'),
    `${what} answered with content-type ${type}; expected text/event-stream. Likely cause: the Response has no content-type header, so browsers and proxies do not treat it as a stream.`,
  );
  const cache = response.headers.get('cache-control') ?? '(none)';
  assert(
    /no-cache|no-store/.test(cache),
    `${what} answered with cache-control ${cache}; expected no-cache (lesson 6: \`Cache-Control: no-cache, no-transform\`). Likely cause: the header is missing, so a cache or proxy on the way may hold the stream back.`,
  );
}

/** Fails unless `response` has one of `statuses` and a JSON body `{ "error": "…" }` for the page to show. */
async function expectJsonError(
  response: Response,
  statuses: readonly number[],
  what: string,
): Promise<void> {
  const expected = statuses.join(' or ');
  if (!statuses.includes(response.status)) {
    void response.body?.cancel().catch(() => {});
    fail(`${what} answered HTTP ${response.status}; expected ${expected}.`);
  }
  const type = response.headers.get('content-type') ?? '(none)';
  const raw = await response.text().catch(() => '');
  let body: { error?: unknown } | null = null;
  try {
    body = JSON.parse(raw) as { error?: unknown } | null;
  } catch {
    // not JSON: reported below, with the text as it came
  }
  assert(
    type.startsWith('application/json') && typeof body?.error === 'string' && body.error !== '',
    `${what} answered ${response.status} with content-type ${type} and body ${JSON.stringify(raw.slice(0, 120))}; expected application/json { "error": "…" } with a message the page can show. Likely cause: the error body is plain text, or its message is empty.`,
  );
}

/** Calls the relay, turning a thrown error into a failure that says what was asked. */
async function call(relay: Relay, request: Request, what: string): Promise<Response> {
  try {
    return await relay(request);
  } catch (error) {
    fail(
      `${what}: the relay threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of answering; a server would send a 500.`,
    );
  }
}

/** Fails unless the stream's last event is an `error` with a message (not `done`). */
function expectErrorEnd(events: Received[], condition: string, advice: string): void {
  const last = events.at(-1);
  if (last?.type === 'error') {
    assert(
      typeof last.data.message === 'string' && last.data.message !== '',
      `${condition}: the stream ended with an \`error\` event whose data is ${JSON.stringify(last.data)}; expected { "message": "…" } with text the page can show the user.`,
    );
    return;
  }
  fail(
    `${condition}: the browser's stream ended with ${last ? `\`${last.type}\`` : 'no event at all'}; expected an \`error\` event with a message. Likely cause: ${advice}`,
  );
}

/** Waits until the provider request has ended, or `ms` have passed. */
async function providerEnded(ctx: Ctx, ms: number) {
  const since = ctx.now();
  let attempt = ctx.attempts()[0];
  while (attempt?.tEnd === undefined && ctx.now() - since < ms) {
    await sleep(20);
    attempt = ctx.attempts()[0];
  }
  return attempt;
}

/** The stream id and the last event id the browser has, after a first connection dropped. */
async function dropEarly(ctx: Ctx, relay: Relay, dropAfter: number, midEvent = false) {
  const first = await start(relay);
  assert(first.status === 200, `POST /api/chat answered ${first.status}, expected 200`);
  const streamId = first.headers.get('x-stream-id');
  assert(streamId, 'the response has no `x-stream-id` header naming the stream to resume');
  const before = await read(ctx, first, { dropAfter, midEvent });
  const last = before.at(-1)?.id;
  assert(
    before.every((e) => Number.isInteger(e.id)),
    'events have no `id:` line: a browser could not say where to resume',
  );
  return { streamId, before, last: last ?? 0 };
}

/** Resumes and checks the browser ends up with the whole answer, each event once. */
async function expectWhole(
  ctx: Ctx,
  relay: Relay,
  expected: string,
  streamId: string,
  before: Received[],
  last: number,
  condition: string,
) {
  const again = await resume(relay, streamId, last);
  assert(
    again.status === 200,
    `${condition}: resuming with Last-Event-ID ${last} answered ${again.status}, expected 200 with the events after ${last}`,
  );
  expectSseHeaders(again, `resuming with Last-Event-ID ${last}`);
  const after = await read(ctx, again);
  const ids = [...before, ...after].map((e) => e.id);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert(
    repeated.length === 0,
    `${condition}: events ${repeated.slice(0, 5).join(', ')} arrived twice`,
  );
  assert(
    after[0]?.id === last + 1,
    `${condition}: after Last-Event-ID ${last}, the replay started at event ${after[0]?.id ?? '(none)'}; it must start at ${last + 1}. Likely cause: the relay resumes from what it sent, not from what the browser says it has.`,
  );
  const got = text(before) + text(after);
  assert(
    got === expected,
    `${condition}: the browser ended up with ${got.length} of ${expected.length} characters (${JSON.stringify(got.slice(-40))}); text was lost. Likely cause: the provider stream stopped when the browser left, or the buffer dropped events that were replayed before.`,
  );
  assert(
    after.at(-1)?.type === 'done',
    `${condition}: the resumed stream did not end with \`done\``,
  );
}

export default defineChecks<typeof Solution>([
  {
    id: 'streams-with-ids',
    name: 'Streams the answer as numbered events, with the stream id in a header',
    run: async (ctx) => {
      const { relay, expected } = build(ctx);
      const response = await start(relay);
      assert(response.status === 200, `POST /api/chat answered ${response.status}, expected 200`);
      assert(response.headers.get('x-stream-id'), 'the response has no `x-stream-id` header');
      expectSseHeaders(response, 'POST /api/chat');
      const events = await read(ctx, response);
      const ids = events.map((e) => e.id);
      assert(
        ids.every((id, i) => id === i + 1),
        `event ids were ${ids.slice(0, 6).join(', ')}…; expected 1, 2, 3, … in order`,
      );
      const empty = events.find((e) => e.type === 'delta' && typeof e.data.text !== 'string');
      assert(
        !empty,
        `event ${empty?.id} is a \`delta\` with data ${JSON.stringify(empty?.data)}; expected { "text": "…" }. Likely cause: a delta is sent for provider chunks that carry no content (the role chunk, the finish chunk).`,
      );
      assert(
        text(events) === (await expected()),
        'the streamed text differs from the provider answer',
      );
      const last = events.at(-1);
      assert(last?.type === 'done', 'the stream did not end with `done`');
      assert(
        last.data.finishReason === 'stop',
        `the \`done\` event's data is ${JSON.stringify(last.data)}; expected { "finishReason": "stop" }, the provider's finish_reason. Likely cause: \`done\` is sent without the finish_reason, so the page cannot tell a complete answer from one cut at the length limit.`,
      );
    },
  },
  {
    id: 'resumes-after-drop',
    name: 'A browser that dropped resumes from Last-Event-ID with nothing lost',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay, expected } = build(ctx, { idleMs: 5000 }, 'tps=150');
      const { streamId, before, last } = await dropEarly(ctx, relay, 5);
      await sleep(800); // the browser is away while the answer goes on
      await expectWhole(
        ctx,
        relay,
        await expected(),
        streamId,
        before,
        last,
        'dropped after 5 events',
      );
    },
  },
  {
    id: 'bad-request',
    name: 'Refuses a body without messages, and an unknown stream, with a JSON error',
    run: async (ctx) => {
      const { relay, bodies } = build(ctx);
      for (const [body, what] of [
        ['{}', 'a body without messages'],
        ['{"messages":[]}', 'an empty messages array'],
        ['not json', 'a body that is not JSON'],
        ['', 'an empty body'],
      ] as const) {
        const bad = await call(
          relay,
          new Request(`${ORIGIN}/api/chat`, { method: 'POST', body }),
          `POST /api/chat with ${what}`,
        );
        await expectJsonError(bad, [400], `POST /api/chat with ${what}`);
      }
      assert(
        bodies.length === 0,
        `the relay called the provider for a request it should refuse (${bodies.length} calls): validate the body first`,
      );
      const unknown = await call(
        relay,
        new Request(`${ORIGIN}/api/chat/no-such-stream`, { headers: { 'last-event-id': '1' } }),
        'resuming an unknown stream',
      );
      await expectJsonError(unknown, [404], 'resuming an unknown stream');
    },
  },
  {
    id: 'drop-mid-event',
    name: 'A drop in the middle of an event loses nothing',
    hidden: true,
    condition: 'a drop in the middle of an event',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay, expected } = build(ctx, { idleMs: 5000 }, 'tps=150');
      const { streamId, before, last } = await dropEarly(ctx, relay, 7, true);
      await sleep(800);
      await expectWhole(
        ctx,
        relay,
        await expected(),
        streamId,
        before,
        last,
        'the connection broke inside event 7',
      );
    },
  },
  {
    id: 'resume-twice',
    name: 'The same resume sent twice gets the same events twice',
    hidden: true,
    condition: 'a resume sent twice',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay, expected } = build(ctx, { idleMs: 5000 });
      const { streamId, before, last } = await dropEarly(ctx, relay, 4);
      await sleep(100);
      const lost = await resume(relay, streamId, last); // its answer never reaches the browser
      assert(lost.status === 200, `resuming with Last-Event-ID ${last} answered ${lost.status}`);
      await read(ctx, lost, { dropAfter: 3 });
      await expectWhole(
        ctx,
        relay,
        await expected(),
        streamId,
        before,
        last,
        'the second of two identical resumes',
      );
    },
  },
  {
    id: 'evicted-id',
    name: 'Says so when the events to replay have left the buffer',
    hidden: true,
    condition: 'an id that has left the buffer',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay } = build(ctx, { bufferSize: 5, idleMs: 5000 });
      const { streamId, last } = await dropEarly(ctx, relay, 2);
      await sleep(300); // the answer finishes; only its last 5 events stay buffered
      const again = await resume(relay, streamId, last);
      assert(
        again.status === 409,
        `with a buffer of 5 events, resuming after event ${last} of a finished answer got HTTP ${again.status}; expected 409 and an error saying the events are gone. Replaying what is left would hide a gap in the text.`,
      );
      await expectJsonError(again, [409], `resuming after evicted event ${last}`);
    },
  },
  {
    id: 'abandoned-freed',
    name: 'Frees a stream whose browser never comes back',
    hidden: true,
    condition: 'a client that never comes back',
    timeoutMs: 6000,
    run: async (ctx) => {
      const { relay } = build(ctx, { idleMs: 500 });
      const { streamId, last } = await dropEarly(ctx, relay, 2);
      await sleep(1500);
      const late = await resume(relay, streamId, last);
      assert(
        late.status === 404,
        `1.5 s after the browser left a stream with idleMs 500, resuming it still answered ${late.status}; expected 404 once the stream is freed. Likely cause: buffers are never deleted, so memory grows with every abandoned answer.`,
      );
    },
  },
  {
    id: 'provider-request',
    name: 'Calls the provider with a JSON POST that streams the browser’s messages',
    run: async (ctx) => {
      const { relay, bodies, contentTypes } = build(ctx);
      await read(ctx, await start(relay));
      assert(
        bodies.length === 1,
        `the relay sent ${bodies.length} provider requests for one answer; expected 1`,
      );
      const sent = JSON.parse(bodies[0]!) as { stream?: unknown; messages?: unknown };
      assert(
        sent.stream === true && JSON.stringify(sent.messages) === JSON.stringify(MESSAGES),
        `the provider request body was ${bodies[0]!.slice(0, 160)}; expected "stream": true and the browser's messages`,
      );
      assert(
        contentTypes[0]?.startsWith('application/json'),
        `the provider request was sent with content-type ${contentTypes[0] ?? '(none)'}; expected application/json, which the real API requires. Likely cause: the fetch has no headers: { 'content-type': 'application/json' } (a string body goes as text/plain).`,
      );
    },
  },
  {
    id: 'bad-last-event-id',
    name: 'Answers 400 to a Last-Event-ID that is no id of the stream',
    hidden: true,
    condition: 'a Last-Event-ID that is not an id of the stream',
    run: async (ctx) => {
      const { relay } = build(ctx, { idleMs: 5000 });
      const first = await start(relay);
      const streamId = first.headers.get('x-stream-id') ?? '';
      const events = await read(ctx, first);
      const lastId = events.at(-1)?.id ?? 0;
      for (const [value, what] of [
        ['abc', 'not a number'],
        ['-1', 'negative'],
        [String(lastId + 5), `after the last event, ${lastId}`],
      ] as const) {
        const answer = await call(
          relay,
          new Request(`${ORIGIN}/api/chat/${streamId}`, { headers: { 'last-event-id': value } }),
          `Last-Event-ID ${value}`,
        );
        if (answer.status !== 400) void answer.body?.cancel().catch(() => {});
        assert(
          answer.status === 400,
          `resuming a finished stream of ${lastId} events with Last-Event-ID ${JSON.stringify(value)} (${what}) answered HTTP ${answer.status}; expected 400 with a JSON error. Likely cause: the header is turned into a number without checking it is a whole number from 0 to the stream's last id, so a bad id resumes from nowhere in particular.`,
        );
        await expectJsonError(answer, [400], `Last-Event-ID ${JSON.stringify(value)}`);
      }
    },
  },
  {
    id: 'drop-before-first-event',
    name: 'A browser that dropped before the first event resumes from the start',
    hidden: true,
    condition: 'a drop before the first event',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay, expected } = build(ctx, { idleMs: 5000 }, 'ttft_ms=400');
      const first = await start(relay);
      const streamId = first.headers.get('x-stream-id');
      assert(streamId, 'the response has no `x-stream-id` header naming the stream to resume');
      await first.body?.cancel();
      const again = await call(
        relay,
        new Request(`${ORIGIN}/api/chat/${streamId}`),
        'resuming with no Last-Event-ID before the first event was sent',
      );
      assert(
        again.status === 200,
        `resuming with no Last-Event-ID (the browser had no event yet) before the provider's first token answered HTTP ${again.status}; expected 200 and the whole answer. Likely cause: an empty buffer is treated as if the events asked for were gone.`,
      );
      const events = await read(ctx, again);
      assert(
        text(events) === (await expected()) && events.at(-1)?.type === 'done',
        `after resuming from the start, the browser got ${text(events).length} characters ending with ${events.at(-1)?.type ?? 'no event'}; expected the whole answer and \`done\``,
      );
    },
  },
  {
    id: 'reconnect-after-done',
    name: 'A reconnect after `done` gets an empty stream, not an error',
    hidden: true,
    condition: 'a reconnect after the last event (as EventSource does)',
    run: async (ctx) => {
      const { relay } = build(ctx, { idleMs: 5000 });
      const first = await start(relay);
      const streamId = first.headers.get('x-stream-id') ?? '';
      const last = (await read(ctx, first)).at(-1)?.id ?? 0;
      const again = await call(
        relay,
        new Request(`${ORIGIN}/api/chat/${streamId}`, {
          headers: { 'last-event-id': String(last) },
        }),
        `resuming after the last event ${last}`,
      );
      assert(
        again.status === 200 || again.status === 204,
        `resuming a finished stream with the id of its last event (${last}) answered HTTP ${again.status}; expected 200 with no events (or 204). Likely cause: the id check refuses the last id itself (> where ≥ was meant, or the other way round).`,
      );
      const events = again.status === 200 ? await read(ctx, again) : [];
      assert(
        events.length === 0,
        `resuming after the last event ${last} replayed ${events.length} events (ids ${events
          .map((e) => e.id)
          .slice(0, 5)
          .join(', ')}); expected none`,
      );
    },
  },
  {
    id: 'buffer-boundary',
    name: 'Resumes from the oldest buffered event, and no further back',
    hidden: true,
    condition: 'a resume right at the edge of the buffer',
    run: async (ctx) => {
      const { relay } = build(ctx, { bufferSize: 5, idleMs: 5000 });
      const first = await start(relay);
      const streamId = first.headers.get('x-stream-id') ?? '';
      const last = (await read(ctx, first)).at(-1)?.id ?? 0;
      const edge = last - 5;
      const again = await call(
        relay,
        new Request(`${ORIGIN}/api/chat/${streamId}`, {
          headers: { 'last-event-id': String(edge) },
        }),
        `Last-Event-ID ${edge}`,
      );
      assert(
        again.status === 200,
        `with bufferSize 5 and a finished stream of ${last} events, resuming after event ${edge} answered HTTP ${again.status}; expected 200 with events ${edge + 1} to ${last}, the 5 still buffered. Likely cause: the buffer keeps one event fewer than bufferSize, or the 409 test is off by one.`,
      );
      const ids = (await read(ctx, again)).map((e) => e.id);
      assert(
        ids.join() === [1, 2, 3, 4, 5].map((i) => edge + i).join(),
        `resuming after event ${edge} replayed ids ${ids.join(', ')}; expected ${edge + 1} to ${last}`,
      );
      const gone = await call(
        relay,
        new Request(`${ORIGIN}/api/chat/${streamId}`, {
          headers: { 'last-event-id': String(edge - 1) },
        }),
        `Last-Event-ID ${edge - 1}`,
      );
      assert(
        gone.status === 409,
        `with bufferSize 5, resuming after event ${edge - 1} (event ${edge} has left the buffer) answered HTTP ${gone.status}; expected 409. Likely cause: the buffer keeps more than bufferSize events.`,
      );
    },
  },
  {
    id: 'other-paths',
    name: 'Answers 404 to paths and methods it does not serve',
    hidden: true,
    condition: 'requests to other paths',
    run: async (ctx) => {
      const { relay, bodies } = build(ctx, { idleMs: 5000 });
      const first = await start(relay);
      const streamId = first.headers.get('x-stream-id') ?? '';
      await read(ctx, first);
      for (const [method, path] of [
        ['GET', `/api/chat/${streamId}/events`],
        ['GET', `/v2/api/chat/${streamId}`],
        ['GET', '/api/health'],
        ['GET', '/api/chat'],
        ['DELETE', `/api/chat/${streamId}`],
        ['POST', `/api/chat/${streamId}`],
        ['POST', '/api/chats'],
      ] as const) {
        const what = `${method} ${path}`;
        const body = method === 'POST' ? JSON.stringify({ messages: MESSAGES }) : null;
        const answer = await call(
          relay,
          new Request(`${ORIGIN}${path}`, { method, body, headers: { 'last-event-id': '0' } }),
          what,
        );
        await expectJsonError(answer, [404, 405], what);
      }
      assert(
        bodies.length === 1,
        `requests to paths the relay does not serve started ${bodies.length - 1} provider requests; expected none`,
      );
    },
  },
  {
    id: 'provider-fails',
    name: 'Tells the browser when the provider refuses or drops',
    hidden: true,
    condition: 'a provider that answers 429 or 500, or drops mid-answer',
    run: async (ctx) => {
      for (const [scenario, what] of [
        ['rate-limited', 'the provider answered 429'],
        ['server-error', 'the provider answered 500'],
        ['disconnect', 'the provider connection dropped mid-answer'],
      ] as const) {
        const { relay, expected } = buildWith(ctx, { scenario, knobs: 'retry_after_ms=10' });
        const response = await start(relay);
        if (response.status >= 400) {
          await expectJsonError(response, [response.status], `when ${what}, POST /api/chat`);
          continue;
        }
        const events = await read(ctx, response, {
          hung: `when ${what}, the relay's stream never ended. Likely cause: the provider failure is not caught, so no \`error\` event is sent and the stream is never closed.`,
        });
        if (events.at(-1)?.type === 'done' && text(events) === (await expected())) continue; // it retried
        expectErrorEnd(
          events,
          `when ${what}`,
          'the failure is not reported in-band: once the 200 is sent, only an `error` event can tell the browser.',
        );
      }
    },
  },
  {
    id: 'cut-not-done',
    name: 'An answer cut short ends with `error`, not `done`',
    hidden: true,
    condition: 'a provider stream that ends early without finish_reason',
    run: async (ctx) => {
      for (const [step, what] of [
        [
          { scenario: 'default', truncate: true },
          'the provider stream closed cleanly after 3 events, with no finish_reason and no [DONE]',
        ],
        [{ scenario: 'overloaded' }, 'the provider sent an error chunk mid-answer, then [DONE]'],
      ] as const) {
        const { relay } = buildWith(ctx, step);
        const events = await read(ctx, await start(relay));
        expectErrorEnd(
          events,
          `when ${what}`,
          'the relay sends `done` whenever the provider body ends; only a finish_reason says the answer is complete.',
        );
      }
    },
  },
  {
    id: 'length-cut',
    name: 'Passes on a length cut as `done` with finishReason `length`',
    hidden: true,
    condition: 'an answer cut at max_tokens',
    run: async (ctx) => {
      const { relay } = buildWith(ctx, {
        scenario: 'default',
        mapBody: (body) => JSON.stringify({ ...(JSON.parse(body) as object), max_tokens: 5 }),
      });
      const last = (await read(ctx, await start(relay))).at(-1);
      assert(
        last?.type === 'done' && last.data.finishReason === 'length',
        `the provider stopped at max_tokens (finish_reason "length"); the stream ended with ${last ? `\`${last.type}\` ${JSON.stringify(last.data)}` : 'no event'}; expected \`done\` { "finishReason": "length" }. Likely cause: finishReason is not taken from the provider's finish_reason, so the page shows a cut answer as complete.`,
      );
    },
  },
  {
    id: 'non-ascii-split',
    name: 'Keeps characters split across provider reads whole',
    hidden: true,
    condition: 'multi-byte characters split across reads',
    run: async (ctx) => {
      const { relay, expected } = buildWith(ctx, {
        scenario: 'unicode',
        knobs: 'max_read_bytes=3,read_gap_ms=0',
      });
      const got = text(await read(ctx, await start(relay)));
      const want = await expected();
      assert(
        got === want,
        `the provider's reads split multi-byte characters; the browser got ${got.length} characters${got.includes('\uFFFD') ? ' with U+FFFD (�) in them' : ''}, expected ${want.length}. Likely cause: each read is decoded on its own (decode(bytes) without { stream: true }, or a new TextDecoder per read).`,
      );
    },
  },
  {
    id: 'second-reader-leaves',
    name: 'A second reader leaving does not free a stream another still reads',
    hidden: true,
    condition: 'two readers of one stream, one of which leaves',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay, expected } = build(ctx, { idleMs: 200 }, 'reply_tokens=70,tps=50');
      const first = await start(relay);
      const streamId = first.headers.get('x-stream-id') ?? '';
      const reading = read(ctx, first, {
        hung: "a second reader of the same stream left, and the first reader's stream never ended. Likely cause: the idle countdown starts whenever a reader leaves, even while another is still reading, so the stream is freed under it.",
      });
      await sleep(100);
      await read(ctx, await resume(relay, streamId, 0), { dropAfter: 2 });
      const events = await reading;
      assert(
        text(events) === (await expected()) && events.at(-1)?.type === 'done',
        `a second reader left after 2 events; the first reader got ${text(events).length} characters ending with ${events.at(-1)?.type ?? 'no event'}; expected the whole answer and \`done\``,
      );
    },
  },
  {
    id: 'back-before-idle',
    name: 'A browser that comes back before idleMs keeps its stream however long it then reads',
    hidden: true,
    condition: 'a browser that comes back quickly, then reads for longer than idleMs',
    timeoutMs: 5000,
    run: async (ctx) => {
      // The answer pauses after its first events until the check has waited past idleMs: it cannot end
      // before a countdown left running fires, however the machine's load shifts the reply's pace.
      let release = (): void => {};
      const until = new Promise<void>((resolve) => (release = resolve));
      const { relay, expected } = build(ctx, { idleMs: 400 }, 'reply_tokens=70,tps=50', {
        events: 4,
        until,
      });
      const { streamId, before, last } = await dropEarly(ctx, relay, 2);
      await sleep(50);
      const again = await resume(relay, streamId, last);
      assert(again.status === 200, `resuming with Last-Event-ID ${last} answered ${again.status}`);
      const reading = read(ctx, again, {
        hung: `the browser left after event ${last} and resumed 50 ms later (idleMs 400); the resumed stream never ended, though the answer takes about 1.4 s. Likely cause: ${NOT_CLEARED}`,
      });
      reading.catch(() => {}); // awaited below, once the answer is released
      await sleep(400);
      release();
      const after = await reading;
      // A stream freed under its reader may still have reached it whole (its provider left running):
      // a reconnect right after `done` (as EventSource does) tells, with an empty stream or a 404.
      const lastId = after.at(-1)?.id ?? last;
      const reconnect = await resume(relay, streamId, lastId);
      if (reconnect.status !== 404) void reconnect.body?.cancel().catch(() => {});
      assert(
        reconnect.status !== 404,
        `the browser left after event ${last}, resumed 50 ms later (idleMs 400) and read the answer to its end, but reconnecting right after it with Last-Event-ID ${lastId} answered 404: the stream had been freed. Likely cause: ${NOT_CLEARED} (A stream freed the moment its browser reads \`done\` fails this too: it should stay resumable idleMs longer, since EventSource reconnects after the end.)`,
      );
      assert(
        text(before) + text(after) === (await expected()) && after.at(-1)?.type === 'done',
        `after a quick resume, the browser ended up with ${(text(before) + text(after)).length} characters ending with ${after.at(-1)?.type ?? 'no event'}; expected the whole answer and \`done\``,
      );
    },
  },
  {
    id: 'idle-after-finish',
    name: 'A stream that finishes after its browser left stays resumable idleMs longer',
    hidden: true,
    condition: 'a browser that is away while the answer finishes',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay } = build(ctx, { idleMs: 1000 }, 'reply_tokens=30,tps=50');
      const { streamId, last } = await dropEarly(ctx, relay, 2);
      await sleep(1300); // the answer finished about 0.6 s after the drop
      const again = await resume(relay, streamId, last);
      if (again.status === 200) void again.body?.cancel().catch(() => {});
      assert(
        again.status === 200,
        `with idleMs 1000, the browser left after event ${last}, the answer finished about 0.6 s later, and resuming 1.3 s after the drop answered HTTP ${again.status}; expected 200 (freed only 1 s after it finished). Likely cause: the idle countdown started when the browser left is not restarted when the stream finishes.`,
      );
    },
  },
  {
    id: 'finished-freed',
    name: 'Frees a stream whose browser read it to the end',
    hidden: true,
    condition: 'a browser that read the whole answer',
    timeoutMs: 5000,
    run: async (ctx) => {
      const { relay } = build(ctx, { idleMs: 300 });
      const first = await start(relay);
      const streamId = first.headers.get('x-stream-id') ?? '';
      const last = (await read(ctx, first)).at(-1)?.id ?? 0;
      await sleep(600);
      const late = await resume(relay, streamId, last);
      if (late.status !== 404) void late.body?.cancel().catch(() => {});
      assert(
        late.status === 404,
        `0.6 s after a browser read a whole answer (idleMs 300), resuming the stream answered HTTP ${late.status}; expected 404 once the stream is freed. Likely cause: a reader whose stream ended is never removed from the stream's listeners, so the stream never counts as idle.`,
      );
    },
  },
  {
    id: 'abandoned-stops-provider',
    name: 'Stops the provider when an unfinished stream is freed',
    hidden: true,
    condition: 'a browser that leaves for good while the answer goes on',
    timeoutMs: 6000,
    run: async (ctx) => {
      const { relay } = build(ctx, { idleMs: 300 }, 'reply_tokens=200,tps=50');
      await dropEarly(ctx, relay, 2);
      const attempt = await providerEnded(ctx, 1000);
      assert(attempt, 'the relay made no provider request');
      assert(
        attempt.tEnd !== undefined && attempt.end !== 'done',
        `the browser left after 2 events of a 4 s answer and never came back (idleMs 300); 1 s later the provider request ${attempt.tEnd === undefined ? 'was still streaming' : 'had been read to its end'}. Expected it aborted when the stream was freed. Likely cause: freeing deletes the buffer but does not abort the provider request, which keeps generating (and billing) for nobody.`,
      );
    },
  },
]);
