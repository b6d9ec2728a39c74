/**
 * A scripted upstream for checks: a `fetch` that serves each request from the next planned mock
 * scenario (attempt 1 fails one way, attempt 2 succeeds...), every request recorded on the timeline
 * under one mock run id, plus the reference answer to compare with. Labs whose learner code takes a
 * `fetch` (a retrying client, a backend handler) build their checks on it.
 */
import { assert } from './failure.ts';
import type { CheckContext } from './index.ts';
import { cutAfterEvents, readChatText } from './streams.ts';

/** What one request is served. */
export interface PlanStep {
  /** The mock scenario (`default`, `rate-limited`, `disconnect`, ...). */
  scenario: string;
  /** Knobs added after the plan's base knobs (`retry_after_ms=150`). */
  knobs?: string;
  /** Close the body cleanly after three events, with no terminator (a proxy that cut the stream). */
  truncate?: boolean;
  /** Rewrites the request body before the mock sees it (the recorded body stays the learner's). */
  mapBody?: (body: string) => string;
  /**
   * Response headers to set (a string) or remove (null), computed when the answer arrives: a 429 with
   * `retry-after` in seconds only, `retry-after-ms` only, or an HTTP date.
   */
  responseHeaders?: () => Record<string, string | null>;
}

export interface PlannedFetch {
  fetch: typeof fetch;
  /** The request bodies the learner's code sent, in order. */
  bodies: string[];
}

/** Knobs that make an answer take a few milliseconds: no wait for the first token, a fast token rate. */
export const FAST_KNOBS = 'ttft_ms=0,tps=2000';

let runCounter = 0;

/**
 * A fetch serving `steps` in order (the last one repeats for further requests), with `baseKnobs` on
 * every request and a fresh mock run id (`label` names it in the request log).
 */
export function plannedFetch(
  ctx: CheckContext<unknown>,
  steps: readonly PlanStep[],
  { label = 'plan', baseKnobs = FAST_KNOBS }: { label?: string; baseKnobs?: string } = {},
): PlannedFetch {
  assert(steps.length > 0, 'plannedFetch needs at least one step');
  const bodies: string[] = [];
  // Every request made here stays reachable for the plan's life: the signal passed on follows the
  // caller's through a link only its Request keeps (nodejs/node#55428), and a garbage collection that
  // took it would keep the caller's abort from reaching the mock (`run/recorder.ts` holds its own).
  const linked: unknown[] = [];
  const run = `${label}-${++runCounter}-${Math.round(ctx.now())}`;
  const planFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const step = steps[Math.min(bodies.length, steps.length - 1)]!;
    const request = new Request(
      input instanceof Request ? input : new URL(String(input), ctx.mockOrigin),
      init,
    );
    linked.push(input, request);
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/scenarios\/[^/]+/, '');
    const sent = request.method === 'GET' ? '' : await request.text();
    bodies.push(sent);
    const body = step.mapBody ? step.mapBody(sent) : sent;
    const headers = new Headers(request.headers);
    headers.set('x-streamlab-knobs', step.knobs ? `${baseKnobs},${step.knobs}` : baseKnobs);
    headers.set('x-streamlab-run', run);
    const response = await ctx.fetch(
      `${ctx.mockOrigin}/scenarios/${step.scenario}${path}${url.search}`,
      { method: request.method, headers, body: body || null, signal: request.signal },
    );
    const shaped = step.responseHeaders ? withHeaders(response, step.responseHeaders()) : response;
    return step.truncate ? cutAfterEvents(shaped, 3) : shaped;
  };
  return { fetch: planFetch as typeof fetch, bodies };
}

/** The same response with `changes` applied to its headers (null removes one). */
function withHeaders(response: Response, changes: Record<string, string | null>): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, headers });
}

/**
 * The text the mock streams for a Chat Completions request `body` when nothing goes wrong (under
 * `scenario`, whose reply may differ: `unicode`): an unrecorded reference request. `missing` is the failure when the learner's code never made a request.
 */
export async function expectedChatText(
  ctx: CheckContext<unknown>,
  body: string | undefined,
  missing: string,
  knobs = FAST_KNOBS,
  scenario = 'default',
): Promise<string> {
  assert(body, missing);
  const response = await ctx.request('/v1/chat/completions', JSON.parse(body), {
    record: false,
    scenario,
    headers: { 'x-streamlab-knobs': knobs },
  });
  return readChatText(response);
}
