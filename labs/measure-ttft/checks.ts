/**
 * Checks for the TTFT lab. Each check hands the learner's `timeReply` a `fetch` that serves its scenario
 * with small but distinguishable timings (knob header), then compares the figures the learner measured with
 * the truth the recording holds: when the request was sent, when the headers came, when the first chunk
 * with text was read and when the body ended. Timing is the point here, so the mock really waits.
 */
import {
  chatChunkEvent,
  defineChecks,
  fail,
  holdOpen,
  rateLimitedResponse,
  sseResponse,
} from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type { Attempt } from '../../src/lab/run/recording.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;
type Timing = Solution.Timing;

/** 150 ms to the first token, then about 70 tokens at 400/s: the two figures are far apart. */
const PACE = 'ttft_ms=150,tps=400';

/** A measurement may be off by this much: the learner's clock and the recorder's see the same reads. */
const tolerance = (truth: number): number => Math.max(40, truth * 0.1);

/**
 * `ctx.fetch` (recorded, under the check's scenario) with the check's knobs on every request; with
 * `lateHeadersMs`, the response (its headers) reaches the caller only that long after the request, as
 * from a provider that answers only once the model has started.
 */
function paced(ctx: Ctx, knobs: string, lateHeadersMs = 0): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('x-streamlab-knobs', knobs);
    const sent = ctx.now();
    const response = await ctx.fetch(input, { ...init, headers });
    const wait = lateHeadersMs - (ctx.now() - sent);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return response;
  }) as typeof fetch;
}

/** What really happened during one request, in milliseconds after it was sent. */
interface Truth {
  attempt: Attempt;
  headers: number;
  firstEvent: number | undefined;
  firstToken: number | undefined;
  /**
   * The latest a correct stopwatch can read for the first token: code that stops its clock while it
   * handles the read carrying the first text does so before the reads after it are taken (two reads
   * later, for a parser that hands an event over one read late), plus however early it started its
   * clock before sending. Under load, timers and reads come late: this window grows with them, a fixed
   * tolerance would not.
   */
  firstTokenLatest: number | undefined;
  end: number;
  /**
   * The latest a correct total can read: timeReply returned then, and its clock started no earlier
   * than the call (as with the first token, a busy machine makes this later, a fixed tolerance would not).
   */
  endLatest: number;
}

/**
 * The truth of `attempt`, made by a `timeReply` called at `called` that returned at `returned` (both on
 * `ctx.now()`): a clock started when it was called, before it sent the request, reads that much more.
 */
function truthOf(attempt: Attempt, called: number, returned: number): Truth {
  const since = (t: number): number => t - attempt.tRequest;
  const early = Math.max(0, attempt.tRequest - called);
  let firstToken: number | undefined;
  let firstTokenLatest: number | undefined;
  for (const event of attempt.events) {
    if (event.data === '[DONE]') continue;
    try {
      const chunk = JSON.parse(event.data) as {
        choices?: Array<{ delta?: { content?: string | null } }>;
      };
      if (chunk.choices?.[0]?.delta?.content) {
        firstToken = since(event.t);
        const later = attempt.reads.filter((read) => read.t > event.t);
        firstTokenLatest = since((later[1] ?? later[0] ?? event).t) + early;
        break;
      }
    } catch {
      // Not JSON: not a token.
    }
  }
  const last = attempt.reads.at(-1)?.t ?? attempt.tHeaders ?? attempt.tRequest;
  const end = since(attempt.tEnd ?? last);
  return {
    attempt,
    headers: since(attempt.tHeaders ?? attempt.tRequest),
    firstEvent: attempt.events[0] ? since(attempt.events[0].t) : undefined,
    firstToken,
    firstTokenLatest,
    end,
    endLatest: Math.max(end, since(returned) + early),
  };
}

/** Milliseconds for a message: whole above 10 ms, with decimals below (a time in seconds is tiny). */
const ms = (n: number): string =>
  `${Math.abs(n) >= 10 ? Math.round(n) : Number(n.toPrecision(2))} ms`;

/** A message when `got` is `want` in seconds instead of milliseconds (or in microseconds), else undefined. */
function wrongUnit(what: string, got: number, want: number, moment: string): string | undefined {
  const seconds = Math.abs(got * 1000 - want) <= tolerance(want);
  const micros = Math.abs(got / 1000 - want) <= tolerance(want);
  if (!seconds && !micros) return undefined;
  return `${what} is ${ms(got)}, but ${moment} after ${ms(want)}: ${Number(got.toPrecision(3))} is that time in ${seconds ? 'seconds' : 'microseconds'}. Likely cause: the time was ${seconds ? 'divided by' : 'multiplied by'} 1000; performance.now() already counts milliseconds, so return the difference as it is`;
}

/** Calls `timeReply(stream)` and returns the figures with the truth of the one request it made. */
async function measure(
  ctx: Ctx,
  stream: boolean,
  knobs = PACE,
  lateHeadersMs = 0,
): Promise<{ timing: Timing; truth: Truth }> {
  const before = ctx.attempts().length;
  const called = ctx.now();
  const timing = await ctx.within(
    2_500,
    ctx.learner.timeReply(stream, paced(ctx, knobs, lateHeadersMs)),
    `timeReply(${stream}) did not return: it is still waiting after the reply ended`,
  );
  const returned = ctx.now();
  const made = ctx.attempts().slice(before);
  if (made.length !== 1) {
    fail(
      `timeReply(${stream}) made ${made.length} requests; it should make exactly one, with the fetch it is given`,
    );
  }
  const attempt = made[0]!;
  const sent = (attempt.request as { stream?: unknown } | undefined)?.stream === true;
  if (sent !== stream) {
    fail(
      `timeReply(${stream}) sent "stream": ${String(sent)}; the request body must say "stream": ${stream}`,
    );
  }
  if (!timing || typeof timing !== 'object')
    fail('timeReply must return { ttftMs, totalMs, text }');
  for (const key of ['ttftMs', 'totalMs'] as const) {
    const value = timing[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(`${key} is ${String(value)}: return a number of milliseconds`);
    }
    if (value <= 0) {
      fail(
        `${key} is ${value}: the clock was never read (take performance.now() at the right moment)`,
      );
    }
  }
  const truth = truthOf(attempt, called, returned);
  truth.headers = Math.max(truth.headers, lateHeadersMs);
  return { timing, truth };
}

/**
 * A message when `got` is longer than the whole request took, by far: a clock started long before the
 * request (once, when the module was loaded) instead of for each request. Else undefined.
 */
function startedAtLoad(what: string, got: number, truth: Truth): string | undefined {
  if (got <= truth.end + tolerance(truth.end) + 500) return undefined;
  return `${what} is ${ms(got)}, longer than this whole request took (${ms(truth.end)} from sending it to its last byte), so the clock started ${ms(got - truth.end)} or more before the request. Likely cause: the start was taken once, outside timeReply (when the module loaded), not for each request; take it inside timeReply, just before send(…)`;
}

/** Fails unless the learner's TTFT of a streamed reply matches when the first text arrived. */
function expectStreamedTtft({ timing, truth }: { timing: Timing; truth: Truth }): void {
  const first = truth.firstToken;
  if (first === undefined) fail('the reply carried no text, so there is no first token to time');
  const got = timing.ttftMs;
  const latest = Math.max(first + tolerance(first), truth.firstTokenLatest ?? 0);
  if (got >= first - tolerance(first) && got <= latest) return;
  const unit = wrongUnit('your TTFT', got, first, 'the first token arrived');
  if (unit) fail(unit);
  const early = startedAtLoad('your TTFT', got, truth);
  if (early) fail(early);
  if (got < first && truth.headers > tolerance(first)) {
    if (Math.abs(got - (first - truth.headers)) <= tolerance(first))
      fail(
        `your TTFT is ${ms(got)} but the first token arrived ${ms(first)} after the request was sent, and the response headers ${ms(truth.headers)} after it: ${ms(got)} is the time from the headers to the first token. Likely cause: the clock started only when fetch had returned; start it before calling send(…), since waiting for the headers is part of the wait`,
      );
  }
  if (got < first) {
    const atHeaders = Math.abs(got - truth.headers) <= tolerance(first);
    const atFirstEvent =
      truth.firstEvent !== undefined && Math.abs(got - truth.firstEvent) <= tolerance(first);
    const near =
      atHeaders && atFirstEvent
        ? `that is when the response headers and the first chunk arrived (${ms(truth.headers)}); that chunk carries only the role (its delta.content is empty), no text`
        : atHeaders
          ? `that is when the response headers arrived (${ms(truth.headers)})`
          : atFirstEvent
            ? `that is when the first chunk arrived (${ms(truth.firstEvent!)}), which carries only the role and no text`
            : 'before any text had arrived';
    fail(
      `your TTFT is ${ms(got)} but the first token arrived after ${ms(first)}: ${near}. Stop the clock at the first chunk whose delta.content is not empty, before any text arrived is too early`,
    );
  }
  const near =
    Math.abs(got - truth.end) <= tolerance(truth.end)
      ? `that is when the whole reply had arrived (${ms(truth.end)})`
      : 'after the first text had already arrived';
  fail(
    `your TTFT is ${ms(got)} but the first token arrived after ${ms(first)}: ${near}. Take the time as soon as the first piece of text arrives`,
  );
}

/** Fails unless a total matches when the body ended. */
function expectTotal(got: number, truth: Truth, what: string): void {
  const latest = Math.max(truth.end + tolerance(truth.end), truth.endLatest);
  if (got >= truth.end - tolerance(truth.end) && got <= latest) return;
  // A clock started after fetch returned is checked first: when the headers come at the very end (a
  // reply that is not streamed) its tiny total can look like the whole time in seconds.
  const startedLate = truth.end - got;
  if (got < truth.end && Math.abs(startedLate - truth.headers) <= tolerance(truth.end)) {
    fail(
      `${what} is ${ms(got)} but the reply took ${ms(truth.end)}: the clock started only when fetch had returned, ${ms(truth.headers)} in. Start the clock before fetch is called: waiting for the response is part of the wait`,
    );
  }
  const unit = wrongUnit(what, got, truth.end, 'the reply ended');
  if (unit) fail(unit);
  const early = startedAtLoad(what, got, truth);
  if (early) fail(early);
  if (got < truth.end) {
    fail(
      `${what} is ${ms(got)} but the reply ended after ${ms(truth.end)}: stop the clock after the last byte was read (or after [DONE])`,
    );
  }
  fail(
    `${what} is ${ms(got)} but the reply ended after ${ms(truth.end)}: take the time as soon as the reply ends`,
  );
}

/** The reply's text, from an unrecorded, unpaced copy of the request the learner made. */
async function expectedText(ctx: Ctx, truth: Truth, scenario?: string): Promise<string> {
  const body = { ...(truth.attempt.request as Record<string, unknown>), stream: false };
  const response = await ctx.request('/v1/chat/completions', body, {
    record: false,
    scenario: scenario ?? ctx.scenario,
    headers: { 'x-streamlab-knobs': 'ttft_ms=0,tps=5000' },
  });
  const json = (await response.json()) as { choices: Array<{ message: { content: string } }> };
  return json.choices[0]?.message.content ?? '';
}

const show = (text: string): string =>
  JSON.stringify(text.length > 50 ? `${text.slice(0, 50)}…` : text);

function expectText(got: unknown, expected: string): void {
  if (got === expected) return;
  if (typeof got !== 'string') fail(`text is ${typeof got}: return the reply text as a string`);
  if (/undefined|null/.test(got) && !/undefined|null/.test(expected)) {
    fail(
      `the text contains the word "${/undefined/.test(got) ? 'undefined' : 'null'}": a chunk without text (the role chunk or the finish chunk) was appended. Skip chunks whose delta.content is empty, null or missing`,
    );
  }
  if (got.includes('\uFFFD') && !expected.includes('\uFFFD')) {
    fail('a character split across two reads came out as \uFFFD: decode with { stream: true }');
  }
  fail(
    `the text differs from the reply that was sent: expected ${show(expected)}, got ${show(got)}`,
  );
}

/** A streamed run under a hostile transport: the figures and the text must survive it. */
async function streamedUnder(ctx: Ctx, knobs: string): Promise<void> {
  const result = await measure(ctx, true, knobs);
  expectStreamedTtft(result);
  expectText(result.timing.text, await expectedText(ctx, result.truth));
}

export default defineChecks<typeof Solution>([
  {
    id: 'streamed-ttft',
    name: 'Measures time to first token of a streamed reply',
    async run(ctx) {
      expectStreamedTtft(await measure(ctx, true));
    },
  },
  {
    id: 'streamed-total',
    name: 'Measures the total time of a streamed reply',
    async run(ctx) {
      const { timing, truth } = await measure(ctx, true);
      expectTotal(timing.totalMs, truth, 'your total');
      if (timing.ttftMs > timing.totalMs) {
        fail(`your TTFT (${ms(timing.ttftMs)}) is longer than your total (${ms(timing.totalMs)})`);
      }
    },
  },
  {
    id: 'streamed-text',
    name: 'Returns the streamed text',
    async run(ctx) {
      const { timing, truth } = await measure(ctx, true);
      expectText(timing.text, await expectedText(ctx, truth));
    },
  },
  {
    id: 'not-streamed',
    name: 'Times the same reply without streaming',
    async run(ctx) {
      const { timing, truth } = await measure(ctx, false);
      expectTotal(timing.totalMs, truth, 'your total');
      if (Math.abs(timing.ttftMs - truth.end) > tolerance(truth.end)) {
        fail(
          `without streaming your TTFT is ${ms(timing.ttftMs)}, but nothing can be shown before the whole body has arrived (${ms(truth.end)}): the first token of a reply that is not streamed comes with the last`,
        );
      }
      expectText(timing.text, await expectedText(ctx, truth));
    },
  },
  {
    id: 'slow-first-token',
    name: 'Sees a slow first token behind fast headers',
    hidden: true,
    scenario: 'slow-first-token',
    condition: 'headers at once and the first token 500 ms later',
    // Two real-time replies of about 850 ms each: more than the default 3 s would allow on a slow machine.
    timeoutMs: 6_000,
    async run(ctx) {
      const streamed = await measure(ctx, true, 'ttft_ms=500,tps=200');
      expectStreamedTtft(streamed);
      expectTotal(streamed.timing.totalMs, streamed.truth, 'your total');
      const whole = await measure(ctx, false, 'ttft_ms=500,tps=200');
      expectTotal(whole.timing.totalMs, whole.truth, 'your total without streaming');
      if (!(streamed.timing.ttftMs < whole.timing.ttftMs)) {
        fail(
          `your streamed TTFT (${ms(streamed.timing.ttftMs)}) is not shorter than the TTFT without streaming (${ms(whole.timing.ttftMs)}); with streaming the first text shows before the rest is generated`,
        );
      }
    },
  },
  {
    id: 'heartbeats',
    name: 'Does not count a heartbeat as the first token',
    hidden: true,
    scenario: 'heartbeats',
    condition: 'heartbeat comments every 40 ms while the first token is awaited',
    run: (ctx) => streamedUnder(ctx, 'ttft_ms=300,tps=1000,heartbeat_ms=40'),
  },
  {
    id: 'fragmented',
    name: 'Times a stream whose events are split across reads',
    hidden: true,
    scenario: 'fragmented',
    condition: 'events split across reads',
    run: (ctx) => streamedUnder(ctx, 'ttft_ms=200,tps=1000,read_gap_ms=0'),
  },
  {
    id: 'one-byte-reads',
    name: 'Times a stream read one byte at a time',
    hidden: true,
    scenario: 'one-byte-reads',
    condition: 'one-byte reads',
    run: (ctx) => streamedUnder(ctx, 'ttft_ms=200,tps=2000'),
  },
  {
    id: 'unicode',
    name: 'Keeps multi-byte characters intact while timing',
    hidden: true,
    scenario: 'unicode',
    condition: 'multi-byte characters split across reads',
    run: (ctx) => streamedUnder(ctx, 'ttft_ms=200,tps=1000,read_gap_ms=0'),
  },
  {
    id: 'late-headers',
    name: 'Counts the wait for the response headers',
    hidden: true,
    scenario: 'default',
    condition:
      'a streamed reply whose headers come 250 ms after the request, its first token at 400 ms',
    async run(ctx) {
      const result = await measure(ctx, true, 'ttft_ms=400,tps=400', 250);
      expectStreamedTtft(result);
      expectTotal(result.timing.totalMs, result.truth, 'your total');
    },
  },
  {
    id: 'request-and-endings',
    name: 'Sends a proper request, rejects an HTTP error and stops at [DONE]',
    hidden: true,
    scenario: 'default',
    condition:
      'the request headers; a 429 answer; a server that keeps the connection open after [DONE]; a body that closes without [DONE]',
    async run(ctx) {
      const seen: Headers[] = [];
      const serve = (make: () => Response): typeof fetch =>
        (async (_input: RequestInfo | URL, init?: RequestInit) => {
          seen.push(new Headers(init?.headers));
          return make();
        }) as typeof fetch;
      const chunk = (content: string) => chatChunkEvent({ content });
      const events = chunk('') + chunk('Streaming ') + chunk('feels faster.');
      const settle = (what: string, send: typeof fetch) =>
        ctx.within(
          1_500,
          ctx.learner.timeReply(true, send).then(
            (timing) => ({ ok: true as const, timing }),
            (error: unknown) => ({ ok: false as const, error }),
          ),
          `timeReply was still waiting 1.5 s after ${what}. Likely cause: ${what.includes('open') ? 'the loop waits for the end of the body instead of stopping at data: [DONE]' : 'the end of the body (done from reader.read()) is not checked'}`,
        );
      const held = holdOpen(sseResponse(`${events}data: [DONE]\n\n`));
      const heldRun = await settle(
        'data: [DONE] on a connection the server kept open',
        serve(() => held.response),
      );
      const auth = seen[0]?.get('authorization') ?? '';
      const type = seen[0]?.get('content-type') ?? '';
      if (!/^Bearer \S+/.test(auth) || !/^application\/json/i.test(type))
        fail(
          `the request was sent with authorization ${JSON.stringify(auth)} and content-type ${JSON.stringify(type)}, expected "Bearer <key>" (the real API answers 401 without it) and application/json. Likely cause: the request's headers were changed from the starter's`,
        );
      if (!heldRun.ok)
        fail(`timeReply rejected a complete stream: ${String((heldRun.error as Error)?.message)}`);
      if (heldRun.timing.text !== 'Streaming feels faster.')
        fail(
          `timeReply returned the text ${JSON.stringify(heldRun.timing.text)}, expected "Streaming feels faster."`,
        );
      if (!held.cancelled())
        fail(
          'the server kept the connection open after data: [DONE]; timeReply returned but left the response body open. Likely cause: the reader is not cancelled at [DONE]; call reader.cancel() so the connection is released',
        );
      const cut = await settle(
        'the body closed without data: [DONE]',
        serve(() => sseResponse(events)),
      );
      if (cut.ok && cut.timing.text !== 'Streaming feels faster.')
        fail(
          `the body closed without data: [DONE], and timeReply returned the text ${JSON.stringify(cut.timing.text)}: expected the text sent, or an error`,
        );
      const limited = () => rateLimitedResponse('openai');
      for (const stream of [true, false]) {
        const run = await ctx.within(
          1_500,
          ctx.learner.timeReply(stream, serve(limited)).then(
            (timing) => ({ ok: true as const, timing, message: '' }),
            (error: unknown) => ({
              ok: false as const,
              message: String((error as Error)?.message ?? error),
            }),
          ),
          'timeReply never settled on a 429 answer',
        );
        if (run.ok || !/429|rate.?limit/i.test(run.message))
          fail(
            `the API answered 429 (rate limit) to a ${stream ? 'streamed' : 'plain'} request, and timeReply ${run.ok ? `returned ${JSON.stringify(run.timing)}` : `rejected with ${JSON.stringify(run.message.slice(0, 100))}`}: expected it to reject, naming the status. Likely cause: response.ok is not checked, so an error is timed as if it were a reply`,
          );
      }
    },
  },
]);
