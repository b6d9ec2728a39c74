/**
 * The recorder: a `fetch` for lab code that serves the mock and records everything the code sees. Every
 * request becomes an attempt; every chunk the code's reader receives is recorded with its time and bytes
 * (the body is re-wrapped with a pull-through stream, so a chunk is recorded when the read resolves, not
 * when the server produced it); the same bytes go through streamlab's SSE parser so each event is recorded
 * with the read that completed it. Messages go out as they happen, so the timeline draws live.
 *
 * Requests to any origin but the mock's fail, as a network error would, with a message saying why.
 */
import type { Clock } from '../../mock/core/clock.ts';
import { abortReason } from '../../mock/core/timerBatch.ts';
import { createSseParser } from '../../sse/index.ts';
import type { RunMessage } from './messages.ts';
import type { Provider } from './recording.ts';
import { isErrorLike, safeRead, safeText } from './safe.ts';

/** The origin lab code reaches the mock at (never resolved: the recorder serves it in-process). */
export const MOCK_ORIGIN = 'http://mock.streamlab.local';

/** `process.env` for lab code: SDKs and the learner's own code find the mock here, as they would in Node. */
export const LAB_ENV: Readonly<Record<string, string>> = {
  OPENAI_BASE_URL: `${MOCK_ORIGIN}/v1`,
  ANTHROPIC_BASE_URL: MOCK_ORIGIN,
  OPENAI_API_KEY: 'sk-streamlab-mock',
  ANTHROPIC_API_KEY: 'sk-ant-streamlab-mock',
};

export interface RecorderOptions {
  /** The mock server (`createMockHandler()`). */
  handler: (request: Request) => Promise<Response>;
  /** Times are `clock.now() - t0`. */
  clock: Pick<Clock, 'now'>;
  t0: number;
  emit: (message: RunMessage) => void;
}

export interface Recorder {
  /**
   * A `fetch` serving mock paths under `scenario` (unless the path names its own `/scenarios/<name>/`),
   * recording each request as an attempt, tagged with `check` when a check made it.
   */
  fetchFor(scenario: string, check?: string, knobs?: string): typeof fetch;
  /** Milliseconds since the run started. */
  now(): number;
}

export function providerOf(path: string): Provider {
  const rest = path.replace(/^\/scenarios\/[^/]+/, '');
  if (rest.startsWith('/v1/chat/completions')) return 'openai-chat';
  if (rest.startsWith('/v1/responses')) return 'openai-responses';
  if (rest.startsWith('/v1/messages')) return 'anthropic';
  if (rest.startsWith('/v1/models')) return 'models';
  return 'other';
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function isAbort(error: unknown): boolean {
  return safeRead(error, 'name') === 'AbortError';
}

/** The message of an error learner code may have made (an abort reason); never throws. */
function messageOf(error: unknown): string {
  return isErrorLike(error) ? safeText(safeRead(error, 'message'), '') : safeText(error, '');
}

export function createRecorder(options: RecorderOptions): Recorder {
  const { handler, clock, t0, emit } = options;
  const now = (): number => Math.max(0, Math.round((clock.now() - t0) * 1000) / 1000);
  let nextAttempt = 0;
  /**
   * Each attempt's requests (the code's own, and the two made here), held until the attempt ends. Node's
   * `new Request(input, { signal })` follows `signal` through a link that only the new Request keeps
   * alive (nodejs/node#55428): once a garbage collection takes that Request, aborting the code's signal
   * no longer reaches the mock, which streams on as if nobody had let go.
   */
  const linked = new Set<readonly unknown[]>();

  async function recordedFetch(
    scenario: string,
    check: string | undefined,
    knobs: string | undefined,
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> {
    const raw = input instanceof Request ? input.url : String(input);
    let url: URL;
    try {
      url = new URL(raw, MOCK_ORIGIN);
    } catch {
      throw new TypeError(`fetch: '${raw}' is not a valid URL`);
    }
    if (url.origin !== MOCK_ORIGIN) {
      throw new TypeError(
        `fetch to ${url.origin} is blocked: lab code can reach only the mock server (${MOCK_ORIGIN}, ` +
          `which process.env.OPENAI_BASE_URL and ANTHROPIC_BASE_URL point to)`,
      );
    }
    const source = new Request(input instanceof Request ? input : url, init);
    // As a real fetch does: a request whose signal is already aborted is never sent.
    if (source.signal.aborted) throw abortReason(source.signal);
    const body = source.body ? await source.arrayBuffer() : undefined;
    const named = /^\/scenarios\/([^/]+)/.exec(url.pathname);
    const served = named ? decodeURIComponent(named[1]!) : scenario;
    // Knobs go in as the path's `/knobs/` segment, the lowest priority: the code's own header or query wins.
    const knobSegment = knobs ? `/knobs/${encodeURIComponent(knobs)}` : '';
    const path = named
      ? url.pathname
      : `/scenarios/${encodeURIComponent(scenario)}${knobSegment}${url.pathname}`;
    const request = new Request(`${MOCK_ORIGIN}${path}${url.search}`, {
      method: source.method,
      headers: source.headers,
      body,
      signal: source.signal,
    });

    const links = [input, source, request] as const;
    linked.add(links);
    const attempt = nextAttempt++;
    const start: Extract<RunMessage, { type: 'attempt-start' }> = {
      type: 'attempt-start',
      attempt,
      t: now(),
      method: source.method,
      url: `${url.pathname}${url.search}`,
      provider: providerOf(url.pathname),
      scenario: served,
    };
    if (body && body.byteLength > 0) {
      try {
        start.request = JSON.parse(new TextDecoder().decode(body));
      } catch {
        // Not JSON: the timeline shows the request without a body.
      }
    }
    if (check !== undefined) start.check = check;
    emit(start);

    let response: Response;
    try {
      response = await handler(request);
    } catch (error) {
      linked.delete(links);
      emit({
        type: 'attempt-end',
        attempt,
        t: now(),
        end: isAbort(error) ? 'cancelled' : 'error',
        error: messageOf(error),
      });
      throw error;
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    emit({ type: 'headers', attempt, t: now(), status: response.status, headers });

    const upstream = response.body?.getReader();
    if (!upstream) {
      linked.delete(links);
      emit({ type: 'attempt-end', attempt, t: now(), end: 'done' });
      return response;
    }
    const isSse = (response.headers.get('content-type') ?? '').includes('text/event-stream');
    // The SSE parser strips the stream's one leading BOM itself; a decoder that also stripped it would
    // hide a second U+FEFF, which is content.
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    let readIndex = -1;
    let readTime = 0;
    const parser = isSse
      ? createSseParser({
          onEvent: (event) => {
            const recorded: Extract<RunMessage, { type: 'event' }>['event'] = {
              t: readTime,
              read: readIndex,
              type: event.type,
              data: event.data,
            };
            if (event.id !== undefined) recorded.id = event.id;
            emit({ type: 'event', attempt, event: recorded });
          },
        })
      : undefined;
    let ended = false;
    const end = (kind: 'done' | 'error' | 'cancelled', error?: unknown): void => {
      if (ended) return;
      ended = true;
      linked.delete(links);
      const message: Extract<RunMessage, { type: 'attempt-end' }> = {
        type: 'attempt-end',
        attempt,
        t: now(),
        end: kind,
      };
      if (error !== undefined) message.error = messageOf(error);
      emit(message);
    };

    const body$ = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await upstream.read();
          } catch (error) {
            end(isAbort(error) ? 'cancelled' : 'error', error);
            controller.error(error);
            return;
          }
          if (result.done) {
            parser?.feed(decoder.decode());
            end('done');
            controller.close();
            return;
          }
          const chunk = result.value;
          readIndex++;
          readTime = now();
          emit({
            type: 'read',
            attempt,
            read: { t: readTime, bytes: toBase64(chunk), size: chunk.byteLength },
          });
          parser?.feed(decoder.decode(chunk, { stream: true }));
          controller.enqueue(chunk);
        },
        cancel(reason) {
          end('cancelled');
          return upstream.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
    const recorded = new Response(body$, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    Object.defineProperty(recorded, 'url', { value: url.href });
    return recorded;
  }

  return {
    now,
    fetchFor: (scenario, check, knobs) => (input, init) =>
      recordedFetch(scenario, check, knobs, input, init),
  };
}
