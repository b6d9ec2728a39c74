/**
 * Checks for the resilient-stream lab. Each check hands the learner's `streamAnswer` a `fetch` that
 * serves a planned sequence of mock scenarios (attempt 1 fails one way, attempt 2 succeeds, or every
 * attempt fails) with fast knobs and tiny delays, then inspects what the screen showed, what came back
 * and the requests on the timeline.
 */
import {
  assert,
  defineChecks,
  expectedChatText,
  fail,
  plannedFetch,
  rechunk,
} from '../../src/lab/checks/index.ts';
import type { CheckContext, PlannedFetch, PlanStep } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;
type Status = Solution.AnswerStatus;

/** The upstream for one check: attempt by attempt, which scenario the learner's fetch gets. */
const planned = (ctx: Ctx, steps: PlanStep[]): PlannedFetch =>
  plannedFetch(ctx, steps, { label: 'resilient' });

/** A request the mock answers with 400 whatever the attempt: its body lost `messages`. */
const dropMessages = (body: string): string => {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  delete parsed.messages;
  return JSON.stringify(parsed);
};

/** The answer the mock gives to `body` when nothing goes wrong (an unrecorded reference request). */
const expectedText = (ctx: Ctx, body: string | undefined): Promise<string> =>
  expectedChatText(
    ctx,
    body,
    'streamAnswer never made a request: call fetch (options.fetch when given)',
  );

interface Shown {
  t: number;
  text: string;
  status: Status;
}

/** Runs the learner's `streamAnswer` with a recording screen. */
async function answer(
  ctx: Ctx,
  plan: PlannedFetch,
  options: Omit<Solution.AnswerOptions, 'fetch'> = {},
  ms = 2_000,
  onShow?: (shown: Shown) => void,
) {
  const shown: Shown[] = [];
  const screen: Solution.Screen = {
    show(text, status) {
      const entry = { t: ctx.now(), text: String(text), status };
      shown.push(entry);
      onShow?.(entry);
    },
  };
  const result = await ctx.within(
    ms,
    ctx.learner.streamAnswer('Explain backoff with jitter in two sentences.', screen, {
      maxAttempts: 3,
      baseDelayMs: 5,
      idleTimeoutMs: 1_000,
      ...options,
      fetch: plan.fetch,
    }),
    `streamAnswer did not return within ${ms / 1000} s`,
  );
  assert(
    result && typeof result === 'object' && typeof result.text === 'string',
    'streamAnswer must resolve to { text, status, attempts }',
  );
  return { result, shown };
}

const show = (text: string, max = 50): string =>
  JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

/** Fails unless every text shown is part of the one answer (a retry that appends shows it twice). */
function expectNoDuplicates(shown: Shown[], expected: string): void {
  for (const entry of shown) {
    if (expected.startsWith(entry.text)) continue;
    // Appended retry: a partial answer followed by the start of the answer again.
    let appended = false;
    for (let cut = 1; cut < entry.text.length && !appended; cut++) {
      appended =
        expected.startsWith(entry.text.slice(0, cut)) && expected.startsWith(entry.text.slice(cut));
    }
    if (appended) {
      fail(
        `the screen showed the text twice (${show(entry.text)}): the retry was appended to the first attempt's partial text. Give each attempt its own text and replace what is shown`,
      );
    }
    fail(`the screen showed text that is not the answer: ${show(entry.text)}`);
  }
}

/** Fails unless the learner ended with the whole answer, labelled complete. */
function expectComplete(
  result: Solution.Answer,
  shown: Shown[],
  expected: string,
  what: string,
): void {
  expectNoDuplicates(shown, expected);
  if (result.status !== 'complete') {
    fail(
      `${what}, then streamAnswer gave up with status '${result.status}'${result.error ? ` (${result.error})` : ''}; it should retry and return the whole answer`,
    );
  }
  if (result.text !== expected) {
    fail(
      `status is 'complete' but the text is ${result.text.length < expected.length ? `only ${result.text.length} of ${expected.length} characters` : 'not the answer'}: ${show(result.text)}`,
    );
  }
  const last = shown.at(-1);
  assert(
    last && last.status === 'complete' && last.text === expected,
    "the screen's last update must show the whole answer with status 'complete'",
  );
}

/** The gap between the end of request `i` (its headers, for a status error) and the next request. */
function waitBefore(ctx: Ctx, i: number): number | undefined {
  const attempts = ctx.attempts();
  const previous = attempts[i - 1];
  const next = attempts[i];
  if (!previous || !next) return undefined;
  return next.tRequest - (previous.tEnd ?? previous.tHeaders ?? previous.tRequest);
}

/**
 * Fails unless the two retries after request `first` waited their backoff: baseDelayMs 60 doubled per
 * attempt, with jitter: at least half of it, and less than twice it (plus 40 ms for a busy machine).
 */
function expectBackoff(ctx: Ctx, first: number, what: string): void {
  for (const i of [1, 2]) {
    const waited = waitBefore(ctx, first + i);
    if (waited === undefined) fail(`after ${what}, only ${i} request(s) were made: retry it`);
    const backoff = 60 * 2 ** (i - 1);
    if (waited < backoff / 2) {
      fail(
        `after ${what}, retry ${i} started ${Math.round(waited)} ms after the failure, with baseDelayMs 60, expected about ${backoff} ms. Likely cause: no backoff when the server names no wait (a missing header read as 0); back off exponentially (baseDelayMs · 2^(attempt-1), with jitter)`,
      );
    }
    if (waited > backoff * 2 + 40) {
      fail(
        `after ${what}, retry ${i} started ${Math.round(waited)} ms after the failure, with baseDelayMs 60, expected at most about ${backoff} ms (baseDelayMs · 2^(attempt-1)). Likely cause: the exponent starts too high, or the jitter multiplies the delay up`,
      );
    }
  }
}

/** Checks one "fails once before the stream, then succeeds" scenario. */
async function retriesStatus(ctx: Ctx, step: PlanStep, what: string): Promise<void> {
  const plan = planned(ctx, [step]);
  const { result, shown } = await answer(ctx, plan);
  const status = ctx.attempts()[0]?.status;
  if (plan.bodies.length < 2) {
    fail(
      `${what} (HTTP ${status}) was not retried: streamAnswer made ${plan.bodies.length} request and returned '${result.status}'. Retry 408, 409, 429, 5xx and 529`,
    );
  }
  expectComplete(result, shown, await expectedText(ctx, plan.bodies[0]), `after ${what}`);
}

export default defineChecks<typeof Solution>([
  {
    id: 'streams-answer',
    name: 'Streams the answer and labels it complete',
    scenario: 'default',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default' }]);
      const { result, shown } = await answer(ctx, plan);
      const expected = await expectedText(ctx, plan.bodies[0]);
      const streaming = shown.filter((s) => s.status === 'streaming');
      assert(
        streaming.length > 1,
        `the screen was updated ${streaming.length} time(s) while streaming: call screen.show(text, 'streaming') as each piece arrives`,
      );
      expectComplete(result, shown, expected, 'on a healthy stream');
    },
  },
  {
    id: 'honours-retry-after',
    name: 'Retries a 429 after the wait the server asks for',
    scenario: 'rate-limited',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'rate-limited', knobs: 'retry_after_ms=150' }]);
      const { result, shown } = await answer(ctx, plan, { baseDelayMs: 1 });
      assert(
        plan.bodies.length >= 2,
        `the 429 was not retried: streamAnswer returned '${result.status}' after one request`,
      );
      const waited = waitBefore(ctx, 1) ?? 0;
      if (waited < 140) {
        fail(
          `the retry came ${Math.round(waited)} ms after the 429, but the server asked for 150 ms (header retry-after-ms: 150, retry-after: 1). Honour retry-after-ms, else retry-after, before your own backoff`,
        );
      }
      expectComplete(result, shown, await expectedText(ctx, plan.bodies[0]), 'after a 429');
    },
  },
  {
    id: 'retry-after-forms',
    name: 'Reads retry-after in each form servers send',
    hidden: true,
    scenario: 'rate-limited',
    condition:
      'a 429 with retry-after in seconds only, then retry-after-ms only, then retry-after as an HTTP date',
    timeoutMs: 8_000,
    async run(ctx) {
      const forms: Array<{
        what: string;
        headers: () => Record<string, string | null>;
        min: number;
        /** At most this long (ms), with `baseDelayMs` as the learner's own backoff. */
        max?: number;
        baseDelayMs?: number;
      }> = [
        {
          what: 'retry-after: 1 (seconds) and no retry-after-ms',
          headers: () => ({ 'retry-after': '1', 'retry-after-ms': null }),
          min: 950,
        },
        {
          what: 'retry-after-ms: 300 and no retry-after',
          headers: () => ({ 'retry-after-ms': '300', 'retry-after': null }),
          min: 280,
        },
        {
          what: 'retry-after as an HTTP date 2 s ahead and no retry-after-ms',
          headers: () => ({
            'retry-after': new Date(Date.now() + 2_000).toUTCString(),
            'retry-after-ms': null,
          }),
          // An HTTP date counts whole seconds, so 2 s ahead is 1 to 2 s away.
          min: 900,
        },
        {
          what: 'retry-after-ms: 0 and no retry-after (baseDelayMs 2000)',
          headers: () => ({ 'retry-after-ms': '0', 'retry-after': null }),
          min: 0,
          max: 500,
          baseDelayMs: 2_000,
        },
      ];
      for (const form of forms) {
        const plan = planned(ctx, [
          { scenario: 'rate-limited', knobs: 'retry_after_ms=5', responseHeaders: form.headers },
          { scenario: 'default' },
        ]);
        const before = ctx.attempts().length;
        // Up to 2 s of waiting (the HTTP date), then the whole answer: 2 s alone could fail correct code.
        const { result } = await answer(ctx, plan, { baseDelayMs: form.baseDelayMs ?? 1 }, 4_500);
        assert(
          plan.bodies.length >= 2,
          `after a 429 with ${form.what}, streamAnswer made no second request and returned '${result.status}'`,
        );
        const waited = waitBefore(ctx, before + 1) ?? 0;
        if (waited < form.min) {
          fail(
            `after a 429 with ${form.what}, the retry came ${Math.round(waited)} ms later; the server asked for at least ${form.min} ms. Likely cause: only one form of the header is read. Read retry-after-ms (milliseconds), else retry-after, which is either seconds or an HTTP date (Date.parse(value) - Date.now())`,
          );
        }
        if (form.max !== undefined && waited > form.max) {
          fail(
            `after a 429 with ${form.what}, the retry came ${Math.round(waited)} ms later; the server asked for no wait, expected the retry within ${form.max} ms. Likely cause: a wait of 0 is taken for no header (if (ms) instead of a check for a number), so the own backoff is used`,
          );
        }
      }
    },
  },
  {
    id: 'stops-when-cancelled',
    name: 'Stops at once when cancelled, keeping the partial text',
    scenario: 'default',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default', knobs: 'tps=60' }]);
      const controller = new AbortController();
      let abortedAt = 0;
      const { result, shown } = await answer(
        ctx,
        plan,
        { signal: controller.signal },
        2_500,
        (s) => {
          if (!abortedAt && s.text.length > 10) {
            abortedAt = ctx.now();
            controller.abort();
          }
        },
      );
      assert(abortedAt > 0, 'no text was shown, so there was nothing to cancel');
      assert(
        ctx.now() - abortedAt < 300,
        `streamAnswer returned ${Math.round(ctx.now() - abortedAt)} ms after the abort: pass the signal to fetch so Stop ends the stream at once`,
      );
      assert(
        result.status === 'stopped',
        `after the user cancelled, status should be 'stopped', got '${result.status}'`,
      );
      assert(
        plan.bodies.length === 1,
        `cancelling is not a failure, but streamAnswer retried it (${plan.bodies.length} requests)`,
      );
      assert(
        result.text.length > 0,
        'the partial text shown before Stop was thrown away: return it with the stopped status',
      );
      assert(
        ctx.attempts()[0]?.tEnd !== undefined,
        'the request kept streaming after Stop: abort the fetch so the provider stops generating',
      );
      const after = shown.filter((s) => s.t >= abortedAt).map((s) => s.status);
      assert(
        !after.includes('retrying') && after.at(-1) === 'stopped',
        `after Stop, the screen showed ${after.map((s) => `'${s}'`).join(', ')}, expected it to end with 'stopped' and never say 'retrying': Stop is not a failure to retry`,
      );
    },
  },
  {
    id: 'retries-server-error',
    name: 'Retries a 500 server error',
    hidden: true,
    scenario: 'server-error',
    condition: 'a 500 before the stream',
    run: (ctx) =>
      retriesStatus(ctx, { scenario: 'server-error', knobs: 'retry_after_ms=5' }, 'a 500'),
  },
  {
    id: 'retries-overloaded-status',
    name: 'Retries a 503 overloaded answer',
    hidden: true,
    scenario: 'overloaded',
    condition: 'a 503 overloaded before the stream',
    run: (ctx) =>
      retriesStatus(
        ctx,
        { scenario: 'overloaded', knobs: 'before_stream=1,retry_after_ms=5' },
        'a 503 overloaded',
      ),
  },
  {
    id: 'retries-overloaded-event',
    name: 'Retries an overloaded error inside the stream',
    hidden: true,
    scenario: 'overloaded',
    condition: 'an overloaded error event half-way through a 200 stream',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'overloaded' }, { scenario: 'default' }]);
      const { result, shown } = await answer(ctx, plan);
      const expected = await expectedText(ctx, plan.bodies[0]);
      if (plan.bodies.length < 2 && result.status === 'complete') {
        fail(
          `the stream carried data: {"error": …} and then [DONE], and streamAnswer called the cut answer complete (${result.text.length} of ${expected.length} characters). An error event is a failure: retry`,
        );
      }
      expectComplete(result, shown, expected, 'after an in-stream error');
    },
  },
  {
    id: 'no-duplicate-after-drop',
    name: 'Never shows text twice when a dropped stream is retried',
    hidden: true,
    scenario: 'disconnect',
    condition: 'a connection dropped half-way, then a good retry',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'disconnect' }, { scenario: 'default' }]);
      const { result, shown } = await answer(ctx, plan);
      const expected = await expectedText(ctx, plan.bodies[0]);
      expectComplete(result, shown, expected, 'after the drop');
    },
  },
  {
    id: 'malformed-not-complete',
    name: 'Treats an unparseable event as a failure, not as nothing',
    hidden: true,
    scenario: 'malformed',
    condition: 'an event whose data is cut JSON, then a good retry',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'malformed' }, { scenario: 'default' }]);
      const { result, shown } = await answer(ctx, plan);
      const expected = await expectedText(ctx, plan.bodies[0]);
      if (plan.bodies.length < 2 && result.status === 'complete' && result.text !== expected) {
        fail(
          `an event's data was not valid JSON and streamAnswer skipped it, so the 'complete' answer silently lost text (${result.text.length} of ${expected.length} characters). A chunk you cannot parse is a failed stream: retry it`,
        );
      }
      expectComplete(result, shown, expected, 'after an unparseable event');
    },
  },
  {
    id: 'no-terminator-not-complete',
    name: 'Does not call a stream without [DONE] complete',
    hidden: true,
    scenario: 'default',
    condition: 'a stream that closes cleanly without data: [DONE]',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default', truncate: true }, { scenario: 'default' }]);
      const { result, shown } = await answer(ctx, plan);
      const expected = await expectedText(ctx, plan.bodies[0]);
      if (plan.bodies.length < 2 && result.status === 'complete') {
        fail(
          `the body ended without data: [DONE] after ${result.text.length} of ${expected.length} characters, and streamAnswer called it complete. Only [DONE] (or a finish_reason) ends an answer: treat the rest as cut off and retry`,
        );
      }
      expectComplete(result, shown, expected, 'after a cut stream');
    },
  },
  {
    id: 'partial-when-all-fail',
    name: 'Keeps a labelled partial answer when every attempt fails',
    hidden: true,
    scenario: 'disconnect',
    condition: 'every attempt dropped half-way',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'disconnect' }]);
      let result: Solution.Answer;
      let shown: Shown[];
      try {
        ({ result, shown } = await answer(ctx, plan));
      } catch (error) {
        if ((error as Error).name === 'CheckFailure') throw error;
        fail(
          `streamAnswer threw (${(error as Error).message}) instead of returning the partial answer labelled 'incomplete'`,
        );
      }
      const expected = await expectedText(ctx, plan.bodies[0]);
      assert(
        plan.bodies.length === 3,
        `with maxAttempts 3, streamAnswer made ${plan.bodies.length} request(s): retry a dropped stream, and stop at maxAttempts`,
      );
      expectNoDuplicates(shown, expected);
      assert(
        result.status === 'incomplete',
        `every attempt failed, so status should be 'incomplete', got '${result.status}'`,
      );
      assert(
        result.text.length > 0 && expected.startsWith(result.text),
        `the partial text was lost: return the longest partial answer with status 'incomplete' (got ${show(result.text)})`,
      );
      const last = shown.at(-1);
      assert(
        last?.status === 'incomplete' && last.text === result.text,
        "the screen's last update must show the partial answer labelled 'incomplete'",
      );
    },
  },
  {
    id: 'backs-off',
    name: 'Waits between retries when the server gives no retry-after',
    hidden: true,
    scenario: 'disconnect',
    condition: 'every attempt dropped, no retry-after header',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'disconnect' }]);
      await answer(ctx, plan, { baseDelayMs: 60 });
      expectBackoff(ctx, 0, 'a dropped stream');
      // A 500 that names no wait at all: no retry-after-ms, no retry-after.
      const before = ctx.attempts().length;
      const bare = planned(ctx, [
        {
          scenario: 'server-error',
          knobs: 'fail_attempts=100,retry_after_ms=5',
          responseHeaders: () => ({ 'retry-after': null, 'retry-after-ms': null }),
        },
      ]);
      await answer(ctx, bare, { baseDelayMs: 60 });
      expectBackoff(ctx, before, 'a 500 without retry-after');
    },
  },
  {
    id: 'idle-timeout',
    name: 'Aborts a stalled stream with an idle timeout',
    hidden: true,
    scenario: 'stall',
    condition: 'a stream that goes silent half-way',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'stall', knobs: 'stall_ms=5000' }]);
      const { result } = await ctx.within(
        1_500,
        answer(ctx, plan, { idleTimeoutMs: 150, maxAttempts: 2 }, 3_000),
        'the stream went silent and streamAnswer was still waiting 1.5 s later, with idleTimeoutMs 150: restart a timer on every read and abort the request when it fires',
      );
      assert(
        result.status === 'incomplete',
        `after every attempt stalled, status should be 'incomplete', got '${result.status}'`,
      );
      assert(result.text.length > 0, 'the text received before the stall was lost');
      assert(
        ctx.attempts().every((a) => a.tEnd !== undefined),
        'a stalled request was left open: abort it when the idle timer fires, so the connection closes',
      );
    },
  },
  {
    id: 'gives-up',
    name: 'Gives up after maxAttempts',
    hidden: true,
    scenario: 'rate-limited',
    condition: 'a rate limit that lasts',
    async run(ctx) {
      const plan = planned(ctx, [
        { scenario: 'rate-limited', knobs: 'fail_attempts=20,retry_after_ms=5' },
      ]);
      const { result, shown } = await answer(ctx, plan);
      assert(
        plan.bodies.length === 3,
        `with maxAttempts 3, streamAnswer made ${plan.bodies.length} requests: count the first request as attempt 1 and stop at maxAttempts`,
      );
      const lastRequest = ctx.attempts().at(-1)!.tRequest;
      assert(
        shown.some((s) => s.status === 'retrying' && s.t <= lastRequest),
        `between the 3 requests the screen never said 'retrying' (statuses shown: ${[...new Set(shown.map((s) => `'${s.status}'`))].join(', ')}): show the partial text with 'retrying' while waiting to retry`,
      );
      const late = shown.find((s) => s.status === 'retrying' && s.t > lastRequest);
      if (late) {
        fail(
          `the 3rd and last request failed, and the screen then said 'retrying' although no attempt was left. Likely cause: the last failure is not told apart (attempt === maxAttempts), so the code waits out one more backoff before giving up`,
        );
      }
      assert(
        result.status === 'incomplete',
        `status should be 'incomplete' once retries run out, got '${result.status}'`,
      );
      assert(result.attempts === 3, `attempts should be 3, got ${result.attempts}`);
    },
  },
  {
    id: 'no-retry-on-400',
    name: 'Does not retry a request the server rejects',
    hidden: true,
    scenario: 'default',
    condition: 'a 400 invalid request',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default', mapBody: dropMessages }]);
      const { result } = await answer(ctx, plan);
      assert(
        plan.bodies.length === 1,
        `a 400 was retried (${plan.bodies.length} requests): the same request fails the same way, so retry only 408, 409, 429, 5xx and 529`,
      );
      assert(
        result.status === 'incomplete',
        `a rejected request should end with status 'incomplete' (and its error), got '${result.status}'`,
      );
    },
  },
  {
    id: 'cancel-during-wait',
    name: 'Cancels during the wait before a retry',
    hidden: true,
    scenario: 'rate-limited',
    condition: 'Stop pressed while waiting out a 3 s retry-after',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'rate-limited', knobs: 'retry_after_ms=3000' }]);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const { result, shown } = await answer(ctx, plan, { signal: controller.signal }, 600).catch(
        (error: Error) => {
          if (error.name === 'CheckFailure') {
            fail(
              'streamAnswer kept waiting for the retry after the user cancelled: make the wait end when the signal aborts',
            );
          }
          throw error;
        },
      );
      assert(
        result.status === 'stopped',
        `cancelled during the wait, status should be 'stopped', got '${result.status}'`,
      );
      assert(plan.bodies.length === 1, 'a retry was sent after the user cancelled');
      assert(
        result.attempts === 1,
        `cancelled during the wait after 1 request, streamAnswer returned attempts: ${result.attempts}, expected 1 (attempts counts the requests made). Likely cause: the loop goes on to the next attempt after the wait was cut short, and returns from there`,
      );
      assert(
        shown.at(-1)?.status === 'stopped',
        `cancelled during the wait, the screen's last status was '${shown.at(-1)?.status}', expected 'stopped'`,
      );
      // Stop pressed the moment 'retrying' is shown: the signal is already aborted when the wait starts.
      const early = new AbortController();
      const again = planned(ctx, [{ scenario: 'rate-limited', knobs: 'retry_after_ms=3000' }]);
      const started = ctx.now();
      await answer(ctx, again, { signal: early.signal }, 2_000, (s) => {
        if (s.status === 'retrying') early.abort();
      });
      const took = ctx.now() - started;
      if (took > 1_000) {
        fail(
          `Stop was pressed as 'retrying' was shown (before the 3000 ms wait began), and streamAnswer returned ${Math.round(took)} ms later, expected at once. Likely cause: the wait listens for 'abort' but does not check signal.aborted first, and a signal that is already aborted never fires again`,
        );
      }
    },
  },
  {
    id: 'split-across-reads',
    name: 'Keeps events split across reads',
    hidden: true,
    scenario: 'default',
    condition: 'a healthy stream in reads of 5 bytes',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default', knobs: 'max_read_bytes=5' }]);
      const { result, shown } = await answer(ctx, plan);
      const expected = await expectedText(ctx, plan.bodies[0]);
      if (result.status !== 'complete' || result.text !== expected) {
        fail(
          `a healthy stream in reads of 5 bytes ended '${result.status}' with ${result.text.length} of ${expected.length} characters${plan.bodies.length > 1 ? ` after ${plan.bodies.length} requests` : ''}, expected the whole answer, complete, from 1 request. Likely cause: each read is split into lines on its own; keep the unfinished last line in a buffer for the next read`,
        );
      }
      expectComplete(result, shown, expected, 'in reads of 5 bytes');
    },
  },
  {
    id: 'headers-never-come',
    name: 'Times out a request whose headers never come',
    hidden: true,
    scenario: 'stall',
    condition: 'a first request that never gets its response headers, then a good one',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default' }]);
      let calls = 0;
      const silentFirst = ((input: RequestInfo | URL, init?: RequestInit) => {
        if (++calls > 1) return plan.fetch(input, init);
        const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
        return new Promise<Response>((_, reject) => {
          const stop = () => reject(signal?.reason ?? new DOMException('aborted', 'AbortError'));
          if (signal?.aborted) stop();
          signal?.addEventListener('abort', stop, { once: true });
        });
      }) as typeof fetch;
      const { result, shown } = await answer(
        ctx,
        { fetch: silentFirst, bodies: plan.bodies },
        { idleTimeoutMs: 150 },
        2_000,
      ).catch((error: Error) => {
        if (error.name !== 'CheckFailure') throw error;
        fail(
          `the first request got no response headers, and streamAnswer was still waiting 2 s later, with idleTimeoutMs 150, expected it to give up on it and retry. Likely cause: the idle timer starts only once the response has arrived; start it before fetch, since waiting for the headers is silence too`,
        );
      });
      assert(
        calls >= 2,
        `the first request got no response headers for 150 ms (idleTimeoutMs), and streamAnswer returned '${result.status}' without a second request, expected a retry: a request that times out is worth retrying`,
      );
      expectComplete(
        result,
        shown,
        await expectedText(ctx, plan.bodies[0]),
        'after a request that never got its headers',
      );
    },
  },
  {
    id: 'long-healthy-stream',
    name: 'Lets a long stream run that is never silent for long',
    hidden: true,
    scenario: 'default',
    condition: 'a healthy stream of over a second, a token every 17 ms, with idleTimeoutMs 150',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default', knobs: 'tps=60' }]);
      const { result, shown } = await answer(ctx, plan, { idleTimeoutMs: 150 }, 6_000);
      const expected = await expectedText(ctx, plan.bodies[0]);
      if (plan.bodies.length > 1 || result.status !== 'complete') {
        const first = ctx.attempts()[0];
        fail(
          `a healthy stream with a token every 17 ms was cut after ${first?.tEnd !== undefined ? Math.round(first.tEnd - first.tRequest) : '?'} ms with idleTimeoutMs 150 (${plan.bodies.length} requests, status '${result.status}'), expected it to run to the end: it was never silent for 150 ms. Likely cause: the timer is not restarted on every read (a total time limit rather than an idle one)`,
        );
      }
      expectComplete(result, shown, expected, 'on a long healthy stream');
    },
  },
  {
    id: 'already-cancelled',
    name: 'Sends nothing when the signal is already aborted',
    hidden: true,
    scenario: 'default',
    condition: 'a signal aborted before streamAnswer is called',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default' }]);
      const controller = new AbortController();
      controller.abort();
      const { result, shown } = await answer(ctx, plan, { signal: controller.signal });
      const sent = ctx.attempts().length;
      if (sent > 0) {
        fail(
          `with a signal already aborted, streamAnswer sent ${sent} request(s) to the provider (each one is billed), expected none. Likely cause: signal.aborted is checked only after the request; check it before calling fetch, or pass the signal to fetch`,
        );
      }
      const streamed = shown.filter((s) => s.status === 'streaming').length;
      if (result.status !== 'stopped' || streamed > 0 || result.text !== '') {
        fail(
          `with a signal already aborted, streamAnswer showed ${streamed} streaming update(s) and returned '${result.status}' with ${result.text.length} characters, expected 'stopped' with no text at once. Likely cause: the signal is only listened to ('abort' never fires again once aborted); check signal.aborted before each request`,
        );
      }
    },
  },
  {
    id: 'keeps-longest-partial',
    name: 'Keeps the longest partial when a later attempt fails sooner',
    hidden: true,
    scenario: 'rate-limited',
    condition: 'attempt 1 dropped half-way, attempts 2 and 3 answered 429',
    async run(ctx) {
      const plan = planned(ctx, [
        { scenario: 'disconnect' },
        { scenario: 'rate-limited', knobs: 'fail_attempts=100,retry_after_ms=5' },
      ]);
      const { result, shown } = await answer(ctx, plan);
      const expected = await expectedText(ctx, plan.bodies[0]);
      assert(
        result.status === 'incomplete',
        `every attempt failed, so status should be 'incomplete', got '${result.status}'`,
      );
      const longest = Math.max(0, ...shown.map((s) => s.text.length));
      if (result.text === '') {
        fail(
          `attempt 1 streamed part of the answer before it dropped, then two 429s; streamAnswer returned no text (and showed ${longest} characters), expected attempt 1's partial. Likely cause: the partial is dropped when an attempt fails; keep the longest text any attempt produced`,
        );
      }
      if (result.text.length < longest || !expected.startsWith(result.text)) {
        fail(
          `attempt 1 showed ${longest} characters before it dropped, then two 429s; streamAnswer returned ${show(result.text)} (${result.text.length} characters), expected the ${longest}-character partial. Likely cause: the partial of the last attempt replaces the longest one; keep the longest text any attempt produced`,
        );
      }
    },
  },
  {
    id: 'stop-within-a-read',
    name: 'Says stopped when Stop comes with the rest of the answer in the same read',
    hidden: true,
    scenario: 'default',
    condition: 'the whole stream in one read, Stop pressed at the first words',
    async run(ctx) {
      const plan = planned(ctx, [{ scenario: 'default' }]);
      const oneRead = ((input: RequestInfo | URL, init?: RequestInit) =>
        plan.fetch(input, init).then((r) => rechunk(r, 1 << 20))) as typeof fetch;
      const controller = new AbortController();
      const { result } = await answer(
        ctx,
        { fetch: oneRead, bodies: plan.bodies },
        { signal: controller.signal },
        2_000,
        (s) => {
          if (s.status === 'streaming') controller.abort();
        },
      );
      if (result.status !== 'stopped') {
        fail(
          `Stop was pressed at the first words, while the rest of the answer (and its [DONE]) sat in the same read, and streamAnswer returned '${result.status}', expected 'stopped'. Likely cause: the signal is only noticed when a read fails; check signal.aborted once the read loop ends too`,
        );
      }
    },
  },
]);
