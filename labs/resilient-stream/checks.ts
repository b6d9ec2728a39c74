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
      ];
      for (const form of forms) {
        const plan = planned(ctx, [
          { scenario: 'rate-limited', knobs: 'retry_after_ms=5', responseHeaders: form.headers },
          { scenario: 'default' },
        ]);
        const before = ctx.attempts().length;
        // Up to 2 s of waiting (the HTTP date), then the whole answer: 2 s alone could fail correct code.
        const { result } = await answer(ctx, plan, { baseDelayMs: 1 }, 4_500);
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
      const { result } = await answer(ctx, plan, { signal: controller.signal }, 2_500, (s) => {
        if (!abortedAt && s.text.length > 10) {
          abortedAt = ctx.now();
          controller.abort();
        }
      });
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
      for (const i of [1, 2]) {
        const waited = waitBefore(ctx, i);
        if (waited === undefined) fail(`only ${i} request(s) were made: retry a dropped stream`);
        if (waited < 30) {
          fail(
            `retry ${i} started ${Math.round(waited)} ms after the failure, with baseDelayMs 60: back off exponentially (baseDelayMs · 2^(attempt-1), with jitter) before retrying`,
          );
        }
      }
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
      const { result } = await answer(ctx, plan);
      assert(
        plan.bodies.length === 3,
        `with maxAttempts 3, streamAnswer made ${plan.bodies.length} requests: count the first request as attempt 1 and stop at maxAttempts`,
      );
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
      const { result } = await answer(ctx, plan, { signal: controller.signal }, 600).catch(
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
    },
  },
]);
