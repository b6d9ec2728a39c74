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
  plannedFetch,
} from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
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
function build(ctx: Ctx, options: Solution.RelayOptions = {}, knobs?: string) {
  const plan = plannedFetch(ctx, [{ scenario: 'default', knobs }], { label: 'resumable-relay' });
  const relay = ctx.learner.createResumableRelay({ fetch: plan.fetch, ...options }) as Relay;
  const expected = () =>
    expectedChatText(
      ctx,
      plan.bodies[0],
      'the relay never called the provider: fetch its /v1/chat/completions',
    );
  return { relay, expected };
}

const start = (relay: Relay): Promise<Response> =>
  relay(
    new Request(`${ORIGIN}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: MESSAGES }),
    }),
  );

const resume = (relay: Relay, streamId: string, lastId: number): Promise<Response> =>
  relay(
    new Request(`${ORIGIN}/api/chat/${streamId}`, { headers: { 'last-event-id': String(lastId) } }),
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
  { dropAfter = Infinity, midEvent = false } = {},
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
  await ctx.within(
    3000,
    work,
    'the relay never ended the stream: close it after `done` or `error`',
  );
  if (midEvent) events.pop(); // the connection broke inside this event: the browser has none of it
  return events;
}

const text = (events: Received[]): string =>
  events
    .filter((e) => e.type === 'delta')
    .map((e) => String(e.data.text ?? ''))
    .join('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
      const events = await read(ctx, response);
      const ids = events.map((e) => e.id);
      assert(
        ids.every((id, i) => id === i + 1),
        `event ids were ${ids.slice(0, 6).join(', ')}…; expected 1, 2, 3, … in order`,
      );
      assert(
        text(events) === (await expected()),
        'the streamed text differs from the provider answer',
      );
      assert(events.at(-1)?.type === 'done', 'the stream did not end with `done`');
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
    name: 'Refuses a body without messages, and an unknown stream',
    run: async (ctx) => {
      const { relay } = build(ctx);
      const bad = await relay(new Request(`${ORIGIN}/api/chat`, { method: 'POST', body: '{}' }));
      assert(bad.status === 400, `a body without messages got ${bad.status}, expected 400`);
      const unknown = await resume(relay, 'no-such-stream', 1);
      assert(
        unknown.status === 404,
        `resuming an unknown stream got ${unknown.status}, expected 404`,
      );
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
]);
