/**
 * Checks for the ui-frontend lab. The learner's `streamToPage` gets a fake page (an output element that
 * records how it was written to, a status line, a Stop button) and a `fetch` that plays the backend:
 * either a reference backend forwarding a mock provider scenario (its upstream requests are on the
 * timeline), or a hand-made backend stream for conditions a provider cannot produce on demand.
 */
import { createParser } from 'eventsource-parser';
import { assert, defineChecks, fail, readChatText, rechunk } from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;

const FAST = 'ttft_ms=0,tps=2000';
const PROMPT = 'Why put a backend between the browser and the model?';
const encoder = new TextEncoder();

type BackendEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; finishReason: string }
  | { type: 'error'; message: string };
const sse = (event: BackendEvent): Uint8Array =>
  encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);

/** A fake answer element: keeps the text, and notes any write that would parse it as HTML. */
class FakeOutput {
  text = '';
  htmlWrites = 0;
  /** Called after every write (the Stop check presses Stop from here). */
  onWrite: (() => void) | undefined;
  append(...parts: unknown[]): void {
    for (const part of parts) {
      if (typeof part !== 'string') fail('output.append was given something other than a string');
      this.text += part;
    }
    this.onWrite?.();
  }
  get textContent(): string {
    return this.text;
  }
  set textContent(value: string | null) {
    this.text = value ?? '';
    this.onWrite?.();
  }
  get innerHTML(): string {
    return this.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }
  set innerHTML(value: string) {
    this.htmlWrites++;
    this.text = value.replace(/<[^>]*>/g, '');
    this.onWrite?.();
  }
}

/** The fake page, with a log of the Stop button's states. */
function fakeView() {
  const output = new FakeOutput();
  const status = { textContent: '' as string | null };
  const stopStates: boolean[] = [];
  let disabled = true;
  const stop = {
    get disabled() {
      return disabled;
    },
    set disabled(value: boolean) {
      disabled = value;
      stopStates.push(value);
    },
  };
  return { view: { output, status, stop }, output, status, stopStates };
}

/**
 * What a real `fetch` does with its signal: aborting it errors the response body with an AbortError.
 * The fake backends below run in-process, so they get this behaviour from this wrapper.
 */
function asFetched(response: Response, signal: AbortSignal | null | undefined): Response {
  if (!signal || !response.body) return response;
  const inner = response.body.getReader();
  let abort: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      abort = () => {
        controller.error(signal.reason);
        void inner.cancel(signal.reason).catch(() => {});
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    },
    async pull(controller) {
      const { value, done } = await inner.read();
      if (signal.aborted) return;
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => inner.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

/** A reference backend: forwards the mock provider under `scenario` as delta/done/error events. */
function referenceBackend(ctx: Ctx, scenario: string, knobs = ''): typeof fetch {
  return (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request('http://app.streamlab.local/api/chat', init);
    const { messages } = (await request.json()) as { messages: unknown };
    const upstream = new AbortController();
    request.signal.addEventListener('abort', () => upstream.abort(), { once: true });
    const response = await ctx.fetch(
      `${ctx.mockOrigin}/scenarios/${scenario}/v1/chat/completions`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-streamlab-knobs': knobs ? `${FAST},${knobs}` : FAST,
        },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
        signal: upstream.signal,
      },
    );
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const pending: BackendEvent[] = [];
    let ended = false;
    let reason = '';
    const parser = createParser({
      onEvent(event) {
        if (ended) return;
        if (event.data === '[DONE]') {
          ended = true;
          pending.push(
            reason
              ? { type: 'done', finishReason: reason }
              : { type: 'error', message: 'The answer was cut off.' },
          );
          return;
        }
        const chunk = JSON.parse(event.data) as {
          error?: unknown;
          choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
        };
        if (chunk.error) {
          ended = true;
          pending.push({ type: 'error', message: 'The model is overloaded.' });
          return;
        }
        if (chunk.choices?.[0]?.finish_reason) reason = chunk.choices[0].finish_reason;
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) pending.push({ type: 'delta', text });
      },
    });
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          while (pending.length === 0 && !ended) {
            const { value, done } = await reader.read();
            if (done) {
              ended = true;
              pending.push({ type: 'error', message: 'The answer was cut off.' });
              break;
            }
            parser.feed(decoder.decode(value, { stream: true }));
          }
          for (const event of pending.splice(0)) controller.enqueue(sse(event));
          if (ended) controller.close();
        } catch {
          if (upstream.signal.aborted) return;
          controller.enqueue(
            sse({ type: 'error', message: 'The connection to the model was lost.' }),
          );
          controller.close();
        }
      },
      cancel() {
        upstream.abort();
        void reader.cancel().catch(() => {});
      },
    });
    return asFetched(
      new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
      init?.signal,
    );
  }) as typeof fetch;
}

/** A hand-made backend response for `events`, then `ending` (close cleanly, or error the stream). */
function scriptedBackend(events: BackendEvent[], ending: 'close' | 'error'): typeof fetch {
  return (async (_input: RequestInfo | URL, init?: RequestInit) => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sent) {
          sent = true;
          for (const event of events) controller.enqueue(sse(event));
        } else if (ending === 'close') controller.close();
        else controller.error(new TypeError('network error'));
      },
    });
    return asFetched(
      new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
      init?.signal,
    );
  }) as typeof fetch;
}

/** A backend that sends `events`, then keeps the connection open until the request is aborted. */
function heldOpenBackend(events: BackendEvent[]): typeof fetch {
  return (async (_input: RequestInfo | URL, init?: RequestInit) => {
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return new Promise<void>(() => {});
        sent = true;
        for (const event of events) controller.enqueue(sse(event));
      },
    });
    return asFetched(
      new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
      init?.signal,
    );
  }) as typeof fetch;
}

/** Every way an answer can end, each with the backend (and Stop press) that makes it end so. */
const ENDINGS: Array<{ name: string; backend: () => typeof fetch; pressStop?: boolean }> = [
  {
    name: 'a done event',
    backend: () =>
      scriptedBackend(
        [
          { type: 'delta', text: 'A whole answer.' },
          { type: 'done', finishReason: 'stop' },
        ],
        'close',
      ),
  },
  {
    name: 'an error event',
    backend: () =>
      scriptedBackend(
        [
          { type: 'delta', text: 'Half an ' },
          { type: 'error', message: 'The model is overloaded.' },
        ],
        'close',
      ),
  },
  {
    name: 'the user pressing Stop',
    backend: () => heldOpenBackend([{ type: 'delta', text: 'An answer the user stops' }]),
    pressStop: true,
  },
  {
    name: 'the server dropping the connection',
    backend: () => scriptedBackend([{ type: 'delta', text: 'Partial text' }], 'error'),
  },
  {
    name: 'a clean close without done',
    backend: () => scriptedBackend([{ type: 'delta', text: 'Partial text' }], 'close'),
  },
  {
    name: 'an HTTP 502',
    backend: () =>
      (async () =>
        new Response(JSON.stringify({ error: 'Bad gateway.' }), {
          status: 502,
          headers: { 'content-type': 'application/json' },
        })) as typeof fetch,
  },
  {
    name: 'fetch failing (the backend unreachable)',
    backend: () =>
      (async () => {
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
  },
];

/** The text the provider streams for the lab's prompt (unrecorded). */
async function expectedText(ctx: Ctx): Promise<string> {
  const response = await ctx.request(
    '/v1/chat/completions',
    { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: PROMPT }] },
    { record: false, scenario: 'default', headers: { 'x-streamlab-knobs': FAST } },
  );
  return readChatText(response);
}

/** Fails unless the page's request is a POST of JSON to the default endpoint, `/api/chat`. */
function expectChatRequest(request: Request | undefined): void {
  assert(request, 'streamToPage never called fetch: POST the prompt to the backend');
  const path = new URL(request.url).pathname;
  const type = request.headers.get('content-type') ?? '';
  if (path !== '/api/chat' || request.method !== 'POST' || !type.startsWith('application/json'))
    fail(
      `called without options.url, streamToPage sent ${request.method} ${path} with content-type ${JSON.stringify(type)}, expected POST /api/chat with content-type application/json. Likely cause: ${path !== '/api/chat' ? 'the default url is not /api/chat' : request.method !== 'POST' ? 'the method is left to fetch, which defaults to GET' : "the header is missing; a JSON body sent without it is text/plain, which a server's JSON body parser (express.json(), for one) leaves unread"}`,
    );
}

/** Runs the learner's `streamToPage` against `backend` (without `url` when `withUrl` is false). */
async function run(
  ctx: Ctx,
  backend: typeof fetch,
  signal?: AbortSignal,
  ms = 2_000,
  withUrl = true,
): Promise<{ outcome: Solution.ChatOutcome } & ReturnType<typeof fakeView>> {
  const page = fakeView();
  let outcome: Solution.ChatOutcome;
  const options = withUrl
    ? { signal, fetch: backend, url: '/api/chat' }
    : { signal, fetch: backend };
  try {
    outcome = await ctx.within(
      ms,
      ctx.learner.streamToPage(PROMPT, page.view, options),
      `streamToPage did not return within ${ms / 1000} s`,
    );
  } catch (error) {
    if ((error as Error).name === 'CheckFailure') throw error;
    fail(
      `streamToPage threw (${(error as Error).message}): a page must not crash on a bad stream; resolve with 'incomplete' or 'error' and say so in the status line`,
    );
  }
  return { outcome, ...page };
}

const status = (page: { status: { textContent: string | null } }): string =>
  JSON.stringify(page.status.textContent ?? '');

export default defineChecks<typeof Solution>([
  {
    id: 'shows-answer',
    name: 'Shows the streamed answer, then Done',
    scenario: 'default',
    async run(ctx) {
      const sent: Request[] = [];
      const reference = referenceBackend(ctx, 'default');
      const backend = (async (input: RequestInfo | URL, init?: RequestInit) => {
        sent.push(new Request(new URL(String(input), 'http://app.streamlab.local/'), init));
        return reference(input, init);
      }) as typeof fetch;
      const page = await run(ctx, backend, undefined, 2_000, false);
      expectChatRequest(sent[0]);
      const expected = await expectedText(ctx);
      assert(
        page.output.text === expected,
        `the output shows ${JSON.stringify(page.output.text.slice(0, 60))}, not the answer ${JSON.stringify(expected.slice(0, 60))}`,
      );
      assert(
        page.outcome === 'complete',
        `the backend sent done, so the outcome is 'complete', got '${page.outcome}'`,
      );
      assert(
        /^done/i.test(page.status.textContent ?? ''),
        `the status line should start with "Done", got ${status(page)}`,
      );
      assert(
        page.stopStates.includes(false),
        'the Stop button was never enabled: enable it (stop.disabled = false) while the answer streams',
      );
      assert(page.stopStates.at(-1) === true, 'disable the Stop button once the answer has ended');
    },
  },
  {
    id: 'stop-cancels-request',
    name: 'Stop cancels the request and keeps the partial answer',
    scenario: 'default',
    async run(ctx) {
      const controller = new AbortController();
      const backend = referenceBackend(ctx, 'default', 'tps=80');
      const page = fakeView();
      let abortedAt = 0;
      page.output.onWrite = () => {
        if (!abortedAt && page.output.text.length > 10) {
          abortedAt = ctx.now();
          controller.abort();
        }
      };
      const outcome = await ctx.within(
        2_500,
        ctx.learner.streamToPage(PROMPT, page.view, {
          signal: controller.signal,
          fetch: backend,
          url: '/api/chat',
        }),
        'streamToPage did not return after Stop',
      );
      assert(abortedAt > 0, 'no text was shown, so Stop was never pressed');
      assert(
        ctx.now() - abortedAt < 300,
        `streamToPage returned ${Math.round(ctx.now() - abortedAt)} ms after Stop: give the signal to fetch so the read ends at once`,
      );
      assert(outcome === 'stopped', `after Stop the outcome is 'stopped', got '${outcome}'`);
      assert(page.output.text.length > 0, 'Stop wiped the partial answer: keep it on the page');
      assert(
        /^stopped/i.test(page.status.textContent ?? ''),
        `the status line should start with "Stopped", got ${status(page)}`,
      );
      const upstream = ctx.attempts()[0];
      const since = ctx.now();
      while (upstream && upstream.tEnd === undefined && ctx.now() - since < 400) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert(
        upstream?.tEnd !== undefined && upstream.end !== 'done',
        'after Stop the request stayed open, so the backend never saw the disconnect and the model kept generating: pass the signal to fetch',
      );
    },
  },
  {
    id: 'error-event',
    name: 'Shows an error the backend reports in-band',
    hidden: true,
    scenario: 'overloaded',
    condition: 'the backend sending an error event half-way',
    async run(ctx) {
      const page = await run(ctx, referenceBackend(ctx, 'overloaded'));
      assert(
        page.outcome === 'error',
        `the backend sent an error event, so the outcome is 'error', got '${page.outcome}'`,
      );
      assert(
        (page.status.textContent ?? '').includes('The model is overloaded.'),
        `the status line should show the error event's message ("The model is overloaded."), got ${status(page)}`,
      );
      assert(page.output.text.length > 0, 'the partial answer was wiped: keep it, labelled');
    },
  },
  {
    id: 'cut-stream',
    name: 'Labels an answer cut without done as incomplete',
    hidden: true,
    scenario: 'default',
    condition: 'a backend stream that closes without done',
    async run(ctx) {
      const page = await run(
        ctx,
        scriptedBackend(
          [
            { type: 'delta', text: 'The first half of ' },
            { type: 'delta', text: 'an answer' },
          ],
          'close',
        ),
      );
      if (page.outcome === 'complete') {
        fail(
          'the stream closed without a done event and the page called the answer complete: only done means complete; label it incomplete',
        );
      }
      assert(page.outcome === 'incomplete', `expected outcome 'incomplete', got '${page.outcome}'`);
      assert(
        /^incomplete/i.test(page.status.textContent ?? ''),
        `the status line should start with "Incomplete", got ${status(page)}`,
      );
      assert(page.output.text === 'The first half of an answer', 'the partial answer was not kept');
    },
  },
  {
    id: 'network-drop',
    name: 'Survives a dropped connection',
    hidden: true,
    scenario: 'disconnect',
    condition: 'the connection to the backend dropping mid-stream',
    async run(ctx) {
      const page = await run(
        ctx,
        scriptedBackend([{ type: 'delta', text: 'Partial text' }], 'error'),
      );
      assert(
        page.outcome === 'incomplete',
        `after a dropped connection the outcome is 'incomplete', got '${page.outcome}'`,
      );
      assert(page.output.text === 'Partial text', 'the partial answer was not kept');
      assert(
        /^incomplete/i.test(page.status.textContent ?? ''),
        `after a dropped connection the status line should start with "Incomplete", got ${status(page)}`,
      );
      assert(page.stopStates.at(-1) === true, 'the Stop button is still enabled after the drop');
    },
  },
  {
    id: 'http-error',
    name: 'Shows the backend’s HTTP error message',
    hidden: true,
    scenario: 'server-error',
    condition: 'the backend answering 502 with a JSON error',
    async run(ctx) {
      const message = 'The model is unavailable right now. Please try again.';
      const backend = (async () =>
        new Response(JSON.stringify({ error: message }), {
          status: 502,
          headers: { 'content-type': 'application/json' },
        })) as typeof fetch;
      const page = await run(ctx, backend);
      assert(page.outcome === 'error', `expected outcome 'error', got '${page.outcome}'`);
      assert(
        (page.status.textContent ?? '').includes(message),
        `show the backend's error message in the status line, got ${status(page)}`,
      );
    },
  },
  {
    id: 'split-reads',
    name: 'Reads events split across reads',
    hidden: true,
    scenario: 'fragmented',
    condition: 'backend events split into 3-byte reads',
    async run(ctx) {
      const reference = referenceBackend(ctx, 'default');
      const backend = (async (input: RequestInfo | URL, init?: RequestInit) =>
        rechunk(await reference(input, init), 3)) as typeof fetch;
      const page = await run(ctx, backend);
      const expected = await expectedText(ctx);
      assert(
        page.output.text === expected,
        `with 3-byte reads the output shows ${JSON.stringify(page.output.text.slice(0, 60))}: keep a buffer across reads and handle only complete events`,
      );
      assert(page.outcome === 'complete', `expected 'complete', got '${page.outcome}'`);
    },
  },
  {
    id: 'proxy-error-page',
    name: 'Shows an HTTP error without a JSON body',
    hidden: true,
    scenario: 'server-error',
    condition: 'a proxy answering 502 with an HTML error page',
    async run(ctx) {
      const backend = (async () =>
        new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        })) as typeof fetch;
      const page = await run(ctx, backend);
      const line = page.status.textContent ?? '';
      if (page.outcome !== 'error' || !/^error/i.test(line) || !line.includes('502'))
        fail(
          `a proxy answered 502 with an HTML page (no JSON error); the outcome was '${page.outcome}' and the status line ${status(page)}, expected 'error' and a line that starts with "Error" and names the status (502). Likely cause: the error body is parsed as JSON without a fallback; when it is not JSON, say the HTTP status instead`,
        );
    },
  },
  {
    id: 'data-without-space',
    name: 'Reads data: lines without a space after the colon',
    hidden: true,
    scenario: 'default',
    condition: 'a backend writing data: without the optional space',
    async run(ctx) {
      const text = 'Hello world, from a backend without spaces.';
      const events: BackendEvent[] = [
        { type: 'delta', text },
        { type: 'done', finishReason: 'stop' },
      ];
      const backend = (async (_input: RequestInfo | URL, init?: RequestInit) =>
        asFetched(
          new Response(
            events.map((e) => `event:${e.type}\ndata:${JSON.stringify(e)}\n\n`).join(''),
            { headers: { 'content-type': 'text/event-stream' } },
          ),
          init?.signal,
        )) as typeof fetch;
      const page = await run(ctx, backend);
      if (page.output.text !== text || page.outcome !== 'complete')
        fail(
          `the backend wrote "data:{…}" with no space after the colon, which SSE allows; the output shows ${JSON.stringify(page.output.text)} and the outcome is '${page.outcome}', expected ${JSON.stringify(text)} and 'complete'. Likely cause: the data line is read as if it always had a space after "data:"; remove one leading space only when there is one`,
        );
    },
  },
  {
    id: 'keep-alive-comments',
    name: 'Ignores keep-alive comments between events',
    hidden: true,
    scenario: 'heartbeats',
    condition: 'a backend sending ": keep-alive" comment lines between events',
    async run(ctx) {
      const events: BackendEvent[] = [
        { type: 'delta', text: 'Thinking takes ' },
        { type: 'delta', text: 'a while.' },
        { type: 'done', finishReason: 'stop' },
      ];
      const keepAlive = ': keep-alive\n\n';
      const wire =
        keepAlive + events.map((e) => new TextDecoder().decode(sse(e)) + keepAlive).join('');
      const backend = (async (_input: RequestInfo | URL, init?: RequestInit) =>
        asFetched(
          new Response(wire, { headers: { 'content-type': 'text/event-stream' } }),
          init?.signal,
        )) as typeof fetch;
      const page = await run(ctx, backend);
      if (page.output.text !== 'Thinking takes a while.' || page.outcome !== 'complete')
        fail(
          `the backend sent ": keep-alive" comment lines between its events (lesson 6 sends one every 15 s); the output shows ${JSON.stringify(page.output.text)} and the outcome is '${page.outcome}', expected "Thinking takes a while." and 'complete'. Likely cause: a block without a data: line is parsed as JSON; skip blocks that carry no data`,
        );
    },
  },
  {
    id: 'text-not-html',
    name: 'Shows model output as text, never as HTML',
    hidden: true,
    scenario: 'default',
    condition: 'model output containing markup',
    async run(ctx) {
      const markup = 'Use <img src=x onerror="alert(1)"> carefully.';
      const page = await run(
        ctx,
        scriptedBackend(
          [
            { type: 'delta', text: markup },
            { type: 'done', finishReason: 'stop' },
          ],
          'close',
        ),
      );
      assert(
        page.output.htmlWrites === 0,
        'the answer was written with innerHTML, which parses model output as HTML (an injection hole, and it re-parses the whole answer on every token): use output.append(text)',
      );
      assert(page.output.text === markup, 'the markup in the answer should appear as literal text');
    },
  },
  {
    id: 'stop-state',
    name: 'Disables Stop however the answer ends',
    hidden: true,
    scenario: 'default',
    condition:
      'answers ending with done, an error event, Stop, a dropped connection, a clean close, an HTTP 502 and a failed fetch',
    async run(ctx) {
      const leftEnabled: string[] = [];
      let notEnabledWhileStreaming = false;
      for (const ending of ENDINGS) {
        const controller = new AbortController();
        const page = fakeView();
        if (ending.pressStop)
          page.output.onWrite = () => {
            if (page.output.text.length === 0 || controller.signal.aborted) return;
            if (page.view.stop.disabled) notEnabledWhileStreaming = true;
            controller.abort();
          };
        try {
          await ctx.within(
            2_000,
            ctx.learner.streamToPage(PROMPT, page.view, {
              signal: controller.signal,
              fetch: ending.backend(),
              url: '/api/chat',
            }),
            ending.pressStop
              ? 'streamToPage did not return after the user pressed Stop, while the backend held the connection open. Likely cause: the signal is not given to fetch, so the pending reader.read() never ends'
              : `streamToPage did not return after ${ending.name}`,
          );
        } catch (error) {
          if ((error as Error).name === 'CheckFailure') throw error;
          fail(
            `after ${ending.name}, streamToPage threw (${(error as Error).message}). Likely cause: a path that does not catch; resolve with the outcome, and say it in the status line`,
          );
        }
        if (page.view.stop.disabled === false) leftEnabled.push(ending.name);
      }
      if (notEnabledWhileStreaming)
        fail(
          'the Stop button was disabled while the answer was streaming, so the user could not press it: set stop.disabled = false before reading',
        );
      if (leftEnabled.length > 0)
        fail(
          `after ${leftEnabled.join(', after ')}, the Stop button was left enabled (stop.disabled false) although nothing is streaming any more; it ended disabled after ${ENDINGS.length - leftEnabled.length} of the ${ENDINGS.length} endings. Likely cause: the button is disabled on some paths only; disable it in one place every ending goes through (a finally block, or one finish function)`,
        );
    },
  },
]);
