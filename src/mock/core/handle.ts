/**
 * The mock server as one Web-standard function, `(request: Request) => Promise<Response>`: routing,
 * scenario and knob selection, validation, fail-then-succeed attempt counting, and the three providers.
 * No Node or DOM API here; every delay goes through the injected clock.
 */
import { withOwnIds } from './ids.ts';
import { createBackgroundStore, matchBackgroundRoute } from './background.ts';
import { createBatchStore, matchBatchRoute, BatchError, type BatchSlice } from './batches.ts';
import { clip, LOG_ECHO_MAX } from './clip.ts';
import { realClock, type Clock } from './clock.ts';
import { contentTypeProblem } from './contentType.ts';
import { preflight, withCors } from './cors.ts';
import { errorBody, errorResponse, type ErrorSpec, type Flavor } from './errors.ts';
import {
  DEFAULT_KNOBS,
  KNOB_DOCS as KNOB_MEANINGS,
  KnobError,
  parseKnobOverrides,
  queryKnobPairs,
  splitKnobList,
  KNOB_NAMES,
  type Knobs,
} from './knobs.ts';
import { createPrng, hashString } from './prng.ts';
import { anthropic } from './providers/anthropic.ts';
import { openaiChat } from './providers/openai-chat.ts';
import { openaiResponses } from './providers/openai-responses.ts';
import type { Provider, WireEvent } from './providers/provider.ts';
import { planReply, type ReplyRequest } from './reply.ts';
import {
  getScenario,
  listScenarios,
  SCENARIO_NAMES,
  type ScenarioName,
} from './scenarios/index.ts';
import { createEventStream, schedule, type Ending } from './transport.ts';
import { createRoom, handleControl, type Room } from './room.ts';
import { createRunTable } from './runs.ts';
import type { Scenario } from './scenarios/scenario.ts';
import { parseJsonObject, validate, type ResponsesRequest } from './validate.ts';

/** One line of the request log (the Node CLI prints it; the lab engine may record it). */
export interface RequestLog {
  /** The client's address, when the host passed it (`RequestInfo.client`). */
  client?: string;
  method: string;
  path: string;
  scenario: ScenarioName | null;
  /** The knob overrides in effect (room, path, header, query), `k=v,...`; '' for none. */
  knobs?: string;
  /** The run this request counted against (`x-streamlab-run`, `/run/<id>`), when it named one. */
  runId?: string;
  status: number;
  /** SSE events sent (0 for JSON answers). */
  events: number;
  bytes: number;
  /** Clock time from request to the end of the body (or to the answer, for JSON). */
  durationMs: number;
  /**
   * `complete`: answered in full (`json` for a JSON answer, whatever its status); `failed`: a stream that
   * broke mid-way on purpose (dropped, stalled, an error event, a malformed event); `aborted`: the
   * client went away.
   */
  outcome: 'complete' | 'failed' | 'aborted' | 'json';
  /** Why: the error message of a 4xx/5xx answer, or what broke a failed stream. */
  reason?: string;
  /** Clock time from the request to the first token-carrying event, for streams that sent one. */
  ttftMs?: number;
  /** Attempt number within the run, for fail-then-succeed scenarios. */
  attempt?: number;
}

/** What the host knows about a request beyond the `Request` itself. */
export interface RequestInfo {
  /** The client's address (e.g. `127.0.0.2`): runs without an id are kept apart per client. */
  client?: string;
}

export interface MockHandlerOptions {
  /** Time source for every delay. Default: the real clock. Tests pass `createVirtualClock()`. */
  clock?: Clock;
  /** Mixed into every per-request seed: change it to get different (still deterministic) replies. */
  seed?: number;
  /** Epoch milliseconds for `created` fields. Default `Date.now`. */
  epochMs?: () => number;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** How long a run's attempt count is remembered after its last attempt. Default 60 s. */
  runTtlMs?: number;
  /** How many runs are remembered at most (oldest forgotten first). Default 10,000. */
  maxRuns?: number;
  /** Bytes the run table may hold at most (oldest forgotten first). Default 4 MiB. */
  maxRunBytes?: number;
  /** The room's defaults for requests that name no scenario (see `room.ts`). Default: `default`. */
  room?: Room;
  /** Enables `/control/room` guarded by this token. Default: no control endpoint. */
  controlToken?: string;
  /** Between two slices of a batch's work, to keep the event loop free. Default: a macrotask. */
  yieldToLoop?: (slice: BatchSlice) => Promise<void>;
  /** Called once per request when its answer is complete. */
  onLog?: (entry: RequestLog) => void;
  /**
   * Every reply gets ids of its own (message, response and tool-call ids), as the real APIs give:
   * `streamlab mock` sets it, so a room asking the same question never shares ids. Off in the labs,
   * whose checks predict a reply, ids included, from the request alone. Default false.
   */
  ownIds?: boolean;
}

/** A mock request handler. */
export type MockHandler = (request: Request, info?: RequestInfo) => Promise<Response>;

/** Longest accepted run id (`x-streamlab-run`, `/run/<id>`). */
export const MAX_RUN_ID_LENGTH = 200;

/** Every route, for the index document and 404 answers. */
const ROUTE_LIST = [
  'POST /v1/chat/completions',
  'POST /v1/responses',
  'POST /v1/messages',
  'GET /v1/models',
  'POST|GET /v1/files',
  'GET|DELETE /v1/files/<id>',
  'GET /v1/files/<id>/content',
  'POST|GET /v1/batches',
  'GET /v1/batches/<id>',
  'POST /v1/batches/<id>/cancel',
  'POST|GET /v1/messages/batches',
  'GET|DELETE /v1/messages/batches/<id>',
  'GET /v1/messages/batches/<id>/results',
  'POST /v1/messages/batches/<id>/cancel',
  'GET|DELETE /v1/responses/<id> (?stream=true&starting_after=N)',
  'POST /v1/responses/<id>/cancel',
  'GET /scenarios',
];

/** Models listed by `GET /v1/models` (any model name is accepted in requests). */
export const MODELS = [
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-5',
  'claude-sonnet-4-6',
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
  'streamlab-echo',
];

const ROUTES: Record<string, { method: 'GET' | 'POST'; provider?: Provider<never> }> = {
  '/v1/chat/completions': { method: 'POST', provider: openaiChat as Provider<never> },
  '/v1/responses': { method: 'POST', provider: openaiResponses as Provider<never> },
  '/v1/messages': { method: 'POST', provider: anthropic as Provider<never> },
  '/v1/models': { method: 'GET' },
};

/** The parsed URL prefix: `/scenarios/<name>`, `/run/<id>`, `/knobs/<k=v,...>`, in any order, then `/v1/...`. */
interface Prefix {
  scenario: ScenarioName;
  /** false when the URL named no scenario (the room's applies). */
  explicit: boolean;
  runId?: string;
  knobList?: string;
  route: string;
}

function parsePrefix(
  pathname: string,
  roomScenario: ScenarioName,
): Prefix | { error: string; status?: number } | { listing: true } {
  let segs: string[];
  try {
    segs = pathname
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
  } catch {
    return {
      status: 400,
      error: 'the path has malformed percent-encoding (a % not followed by two hex digits)',
    };
  }
  let scenario: ScenarioName = roomScenario;
  let explicit = false;
  let runId: string | undefined;
  let knobList: string | undefined;
  let i = 0;
  while (i < segs.length && segs[i] !== 'v1') {
    const key = segs[i]!;
    const value = segs[i + 1];
    if (key === 'scenarios' && value === undefined && i === segs.length - 1)
      return { listing: true };
    if (value === undefined) return { error: `unknown path segment '${clip(key)}'` };
    if (key === 'scenarios') {
      const found = getScenario(value);
      if (!found)
        return { error: `unknown scenario '${clip(value)}' (known: ${SCENARIO_NAMES.join(', ')})` };
      scenario = value as ScenarioName;
      explicit = true;
    } else if (key === 'run') runId = value;
    else if (key === 'knobs') knobList = value;
    else
      return {
        error: `unknown path segment '${clip(key)}' (expected scenarios, run, knobs or v1)`,
      };
    i += 2;
  }
  return { scenario, explicit, runId, knobList, route: '/' + segs.slice(i).join('/') };
}

class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  const tooLarge = `Request body is larger than ${limit} bytes.`;
  if (declared > limit) throw new BodyError(413, tooLarge);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyError(413, tooLarge);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all;
}

/** The reply seed of a request: its conversation and tools, mixed with the handler's seed. */
function replySeed(replyRequest: ReplyRequest, baseSeed: number): number {
  return hashString(
    [
      replyRequest.lastUserText,
      replyRequest.toolResultText ?? '',
      ...replyRequest.tools.map((t) => t.name),
    ].join('\u0000'),
    (baseSeed ^ 0x811c9dc5) >>> 0,
  );
}

const json = (body: unknown, status = 200, headers?: Headers): Response => {
  const h = headers ?? new Headers();
  h.set('content-type', 'application/json');
  return new Response(JSON.stringify(body), { status, headers: h });
};

/** Creates the mock handler. See `index.ts` for the URL scheme, scenarios and knobs. */
/** Echoed input as a log line keeps it (`clip.ts`). */
const clipForLog = (text: string | undefined): string | undefined =>
  text === undefined ? text : clip(text, LOG_ECHO_MAX);

export function createMockHandler(options: MockHandlerOptions = {}): MockHandler {
  const clock = options.clock ?? realClock;
  const baseSeed = options.seed ?? 0;
  const epochMs = options.epochMs ?? Date.now;
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const runs = createRunTable({
    clock,
    ttlMs: options.runTtlMs,
    maxRuns: options.maxRuns,
    maxBytes: options.maxRunBytes,
  });
  const room = options.room ?? createRoom();
  let requestCounter = 0;
  let replyCounter = 0;
  const batches = createBatchStore({ clock, epochMs, yieldToLoop: options.yieldToLoop });
  const background = createBackgroundStore({ clock });
  let backgroundCount = 0;

  /** The non-streaming answer of `route` to `body` (a batch request), without waiting. */
  function answerNow(
    route: string,
    body: unknown,
    scenario: Scenario,
    knobs: Knobs,
  ): { status: number; body: unknown; tokens?: number } {
    const provider = ROUTES[route]!.provider as Provider<unknown>;
    const checked = validate(provider.schema, body);
    if (!checked.ok)
      return {
        status: 400,
        body: errorBody(provider.flavor, {
          status: 400,
          message: checked.message,
          param: checked.param,
        }),
      };
    const { plan, ctx } = reply(provider, checked.value, scenario, knobs);
    return {
      status: 200,
      body: provider.json(plan, checked.value, ctx),
      tokens: plan.outputTokens,
    };
  }

  /**
   * The reply to a validated request: the same for a stream, a JSON answer and a batch line. It depends
   * on the conversation only, not on `stream`, the model or the provider, so the same question gets the
   * same answer through every API and SDK.
   */
  function reply(provider: Provider<unknown>, req: unknown, scenario: Scenario, knobs: Knobs) {
    const replyRequest = provider.toReplyRequest(req);
    const seed = replySeed(replyRequest, baseSeed);
    const planned = planReply(replyRequest, {
      kind: scenario.reply,
      seed,
      replyTokens: knobs.reply_tokens,
      redactThinking: scenario.thinking === 'redacted',
    });
    const plan = options.ownIds ? withOwnIds(planned, seed, ++replyCounter) : planned;
    const ctx = {
      model: String((req as { model: string }).model),
      created: Math.floor(epochMs() / 1000),
      tokensPerEvent: knobs.tokens_per_event,
    };
    return { plan, ctx, seed };
  }

  return async function handle(request: Request, info: RequestInfo = {}): Promise<Response> {
    const started = clock.now();
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const requestId = `req_${(hashString(url.pathname + ++requestCounter) >>> 0).toString(16)}${requestCounter}`;
    let scenarioName: ScenarioName | null = null;
    let knobText: string | undefined;
    let runId = undefined as string | undefined;
    const log = (status: number, extra: Partial<RequestLog> = {}): void =>
      options.onLog?.({
        client: info.client,
        method,
        // What the client sent, cut to a line's worth (a legal run id is kept whole).
        path: clip(url.pathname, LOG_ECHO_MAX),
        scenario: scenarioName,
        knobs: clipForLog(knobText),
        runId: clipForLog(runId),
        status,
        events: 0,
        bytes: 0,
        durationMs: clock.now() - started,
        outcome: 'json',
        ...extra,
      });
    const finishJson = (response: Response, extra?: Partial<RequestLog>): Response => {
      withCors(response.headers);
      log(response.status, extra);
      return response;
    };

    if (method === 'OPTIONS') return finishJson(preflight(request));
    if (url.pathname === '/control' || url.pathname.startsWith('/control/')) {
      const answer = await handleControl(request, room, options.controlToken);
      // The log says what the room is now, or why a switch was refused (its error's message).
      const now = room.get();
      scenarioName = now.scenario;
      knobText = now.knobs;
      return finishJson(
        answer,
        answer.status >= 400 ? { reason: `control: ${await errorMessageOf(answer)}` } : {},
      );
    }
    const prefix = parsePrefix(url.pathname, room.get().scenario);
    const anthropicHeader = request.headers.has('anthropic-version');
    if ('listing' in prefix) {
      if (method !== 'GET')
        return finishJson(
          errorResponse('openai', {
            status: 405,
            message: `Method ${method} not allowed on /scenarios; use GET.`,
            headers: { allow: 'GET, OPTIONS' },
          }),
        );
      const doc = indexDocument() as Record<string, unknown>;
      return finishJson(
        json({
          object: 'list',
          usage: { scenarios: doc.scenarios, knobs: doc.knobs, runs: doc.runs },
          knobs: knobDocs(),
          data: listScenarios(),
        }),
      );
    }
    if ('error' in prefix) {
      const status = prefix.status ?? 404;
      const message = `${status === 404 ? 'Not found' : 'Bad request'}: ${clip(url.pathname)}: ${prefix.error}.`;
      return finishJson(
        errorResponse(anthropicHeader ? 'anthropic' : 'openai', { status, message, requestId }),
        { reason: message },
      );
    }
    scenarioName = prefix.scenario;
    runId = request.headers.get('x-streamlab-run') ?? prefix.runId;
    const route = ROUTES[prefix.route];
    const backgroundRoute = route ? null : matchBackgroundRoute(prefix.route);
    const batchRoute = route || backgroundRoute ? null : matchBatchRoute(prefix.route);
    const flavor: Flavor =
      prefix.route.startsWith('/v1/messages') || anthropicHeader ? 'anthropic' : 'openai';
    const fail = (spec: ErrorSpec, extra?: Partial<RequestLog>): Response =>
      finishJson(errorResponse(flavor, { requestId, ...spec }), { reason: spec.message, ...extra });
    if (method === 'GET' && (prefix.route === '/' || prefix.route === '/v1')) {
      return finishJson(json(indexDocument()));
    }
    if (backgroundRoute) {
      return finishJson(background.handle(backgroundRoute, method, url, request.signal));
    }
    if (!route && !batchRoute) {
      return fail({
        status: 404,
        message: `Unknown route ${method} ${clip(url.pathname)}. Routes: ${ROUTE_LIST.join(', ')}.`,
        code: 'unknown_url',
      });
    }
    if (route && method !== route.method && !(method === 'HEAD' && route.method === 'GET')) {
      return fail({
        status: 405,
        message: `Method ${method} not allowed on ${prefix.route}; use ${route.method}.`,
        headers: { allow: `${route.method}, OPTIONS` },
      });
    }

    const scenario = getScenario(prefix.scenario)!;
    let knobs: Knobs;
    try {
      const overrides = {
        ...room.get().knobValues,
        ...parseKnobOverrides(prefix.knobList ? splitKnobList(prefix.knobList) : []),
        ...parseKnobOverrides(splitKnobList(request.headers.get('x-streamlab-knobs') ?? '')),
        ...parseKnobOverrides(queryKnobPairs(url.searchParams)),
      };
      knobText = Object.entries(overrides)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      knobs = { ...DEFAULT_KNOBS, ...scenario.knobs, ...overrides };
    } catch (error) {
      if (error instanceof KnobError)
        return fail({ status: 400, message: error.message, param: error.knob });
      throw error;
    }

    if (!route) {
      const batchContext = {
        route: prefix.route,
        method,
        request,
        base: url.origin + url.pathname.slice(0, url.pathname.length - prefix.route.length),
        batchMs: knobs.batch_ms,
        replyTokens: knobs.reply_tokens,
        requestId,
        readBody: async () => {
          try {
            return await readBody(request, maxBody);
          } catch (error) {
            if (error instanceof BodyError)
              throw new BatchError({ status: error.status, message: error.message });
            throw error;
          }
        },
        answer: (endpoint: string, body: unknown) => answerNow(endpoint, body, scenario, knobs),
      };
      return finishJson((await batches.handle(batchContext, flavor))!);
    }
    if (!route.provider) {
      return finishJson(json(modelsDocument(flavor, epochMs())));
    }
    const provider = route.provider as Provider<unknown>;

    const typeProblem = contentTypeProblem(request.headers.get('content-type'));
    if (typeProblem) return fail({ status: 415, message: typeProblem });
    let text: string;
    try {
      text = new TextDecoder().decode(await readBody(request, maxBody));
    } catch (error) {
      if (error instanceof BodyError) return fail({ status: error.status, message: error.message });
      if (request.signal.aborted)
        return fail({ status: 499, message: 'Client closed the request.' }, { outcome: 'aborted' });
      throw error;
    }
    const parsed = parseJsonObject(text);
    if (!parsed.ok) return fail({ status: 400, message: parsed.message });
    const checked = validate(provider.schema, parsed.value);
    if (!checked.ok) return fail({ status: 400, message: checked.message, param: checked.param });
    const req = checked.value;

    const streaming = provider.isStream(req);

    // Fail-then-succeed scenarios.
    const fault = scenario.fault;
    const failsBefore =
      fault === 'rate-limited' ||
      fault === 'server-error' ||
      (fault === 'overloaded' && knobs.before_stream === 1);
    let attempt: number | undefined;
    const runHeader = runId;
    if (runHeader !== undefined && runHeader.length > MAX_RUN_ID_LENGTH)
      return fail({
        status: 400,
        message: `The run id is ${runHeader.length} characters long; at most ${MAX_RUN_ID_LENGTH} are accepted.`,
        param: 'x-streamlab-run',
      });
    const headers = new Headers({ 'x-streamlab-scenario': scenario.name });
    headers.set(flavor === 'anthropic' ? 'request-id' : 'x-request-id', requestId);
    if (failsBefore) {
      // Without a run id, a run is this client's exact request: a room sending one lesson prompt from
      // thirty laptops must not share one attempt count.
      const key = `${scenario.name}|${runHeader !== undefined ? 'run:' + runHeader : `body:${info.client ?? ''}:${prefix.route}:${hashString(text).toString(16)}:${text.length}`}`;
      attempt = runs.count(key);
      headers.set('x-streamlab-attempt', String(attempt));
      if (runHeader !== undefined) headers.set('x-streamlab-run', runHeader);
      if (attempt <= knobs.fail_attempts) {
        const retry = {
          'retry-after-ms': String(knobs.retry_after_ms),
          'retry-after': String(Math.ceil(knobs.retry_after_ms / 1000)),
          ...Object.fromEntries(headers),
        };
        if (fault === 'rate-limited') {
          return fail(
            {
              status: 429,
              message:
                flavor === 'anthropic'
                  ? 'Number of requests has exceeded your rate limit. Please try again later.'
                  : `Rate limit reached for requests on ${String((req as { model?: string }).model)}: Limit 60, Used 60, Requested 1. Please try again in ${knobs.retry_after_ms}ms.`,
              type: flavor === 'anthropic' ? 'rate_limit_error' : 'requests',
              code: 'rate_limit_exceeded',
              headers: { ...retry, ...rateLimitHeaders(flavor, knobs, epochMs()) },
            },
            { attempt },
          );
        }
        if (fault === 'server-error') {
          return fail(
            {
              status: 500,
              message:
                flavor === 'anthropic'
                  ? 'Internal server error'
                  : 'The server had an error while processing your request. Sorry about that!',
              headers: retry,
            },
            { attempt },
          );
        }
        return fail(
          flavor === 'anthropic'
            ? { status: 529, message: 'Overloaded', type: 'overloaded_error', headers: retry }
            : {
                status: 503,
                message: 'The engine is currently overloaded, please try again later.',
                code: 'server_overloaded',
                headers: retry,
              },
          { attempt },
        );
      }
      if (runHeader === undefined) runs.forget(key);
    }

    const { plan, ctx, seed } = reply(provider, req, scenario, knobs);
    for (const [k, v] of Object.entries(rateLimitHeaders(flavor, knobs, epochMs(), false)))
      headers.set(k, v);
    const rng = createPrng(seed ^ 0x5bd1e995);

    if (provider === openaiResponses && (req as ResponsesRequest).background === true) {
      if ((req as ResponsesRequest).store === false)
        return fail({
          status: 400,
          message:
            "Background mode requires 'store' to be true: the response must be stored to be resumed or polled.",
          param: 'store',
        });
      // Each background response is its own: two learners asking the same question get two ids.
      const own = { ...plan, id: `${plan.id}${(++backgroundCount).toString(36)}` };
      const events = provider.events(own, req, ctx);
      const response = background.start({
        id: `resp_${own.id}`,
        events,
        due: schedule(events, knobs, rng),
        final: provider.json(own, req, ctx) as Record<string, unknown>,
        stream: streaming,
        signal: request.signal,
        dropAfter: fault === 'disconnect' ? midTokenEvent(events) + 1 : undefined,
      });
      for (const [k, v] of headers) response.headers.set(k, v);
      return finishJson(response);
    }

    if (!streaming) {
      // A JSON answer takes as long as the stream would have.
      try {
        await clock.sleep(knobs.ttft_ms + (plan.outputTokens / knobs.tps) * 1000, request.signal);
      } catch {
        return fail({ status: 499, message: 'Client closed the request.' }, { outcome: 'aborted' });
      }
      if (fault === 'overloaded' && !failsBefore) {
        return fail(
          flavor === 'anthropic'
            ? { status: 529, message: 'Overloaded', type: 'overloaded_error' }
            : {
                status: 503,
                message: 'The engine is currently overloaded, please try again later.',
                code: 'server_overloaded',
              },
        );
      }
      let payload = JSON.stringify(provider.json(plan, req, ctx));
      if (fault === 'malformed') payload = payload.slice(0, Math.floor(payload.length / 2));
      if (fault === 'disconnect' || fault === 'stall') {
        headers.set('content-type', 'application/json');
        const bodyStream = createEventStream([], {
          clock,
          knobs,
          rng,
          ending: fault,
          signal: request.signal,
        });
        return finishJson(new Response(bodyStream, { status: 200, headers }), {
          outcome: 'failed',
          reason: `the body is cut off on purpose (scenario ${fault})`,
        });
      }
      headers.set('content-type', 'application/json');
      return finishJson(new Response(payload, { status: 200, headers }), { attempt });
    }

    let events = provider.events(plan, req, ctx);
    let ending: Ending = 'end';
    let failure: string | undefined;
    const mid = midTokenEvent(events);
    if (fault === 'disconnect' || fault === 'stall') {
      events = events.slice(0, mid + 1);
      ending = fault;
    } else if (fault === 'malformed') {
      failure = 'a malformed event mid-stream (scenario malformed)';
      const e = events[mid]!;
      events = [
        ...events.slice(0, mid),
        { ...e, data: e.data.slice(0, Math.max(1, Math.floor(e.data.length / 2))) },
        ...events.slice(mid + 1),
      ];
    } else if (fault === 'overloaded' && !failsBefore) {
      events = provider.withStreamError(events, mid, { kind: 'overloaded', message: 'Overloaded' });
      failure = 'an overloaded error event mid-stream (scenario overloaded)';
    }
    headers.set('content-type', 'text/event-stream; charset=utf-8');
    headers.set('cache-control', 'no-cache');
    headers.set('x-accel-buffering', 'no');
    withCors(headers);
    const bodyStream = createEventStream(events, {
      clock,
      knobs,
      rng,
      ending,
      signal: request.signal,
      onDone: ({ firstTokenAt, reason, outcome, ...stats }) =>
        log(200, {
          ...stats,
          attempt,
          ttftMs: firstTokenAt === undefined ? undefined : firstTokenAt - started,
          ...(outcome === 'aborted'
            ? { outcome }
            : outcome === 'dropped' || failure
              ? { outcome: 'failed', reason: reason ?? failure }
              : { outcome }),
        }),
    });
    return new Response(bodyStream, { status: 200, headers });
  };
}

/** Index of the token-carrying event at the middle of the reply (where faults strike). */
function midTokenEvent(events: readonly WireEvent[]): number {
  const tokenIdx = events.flatMap((e, i) => (e.tokens > 0 ? [i] : []));
  return tokenIdx[Math.floor(tokenIdx.length / 2)] ?? Math.max(0, events.length - 2);
}

function rateLimitHeaders(
  flavor: Flavor,
  knobs: Knobs,
  epoch: number,
  exhausted = true,
): Record<string, string> {
  const remaining = exhausted ? '0' : '59';
  const resetSeconds = Math.max(1, Math.ceil(knobs.retry_after_ms / 1000));
  if (flavor === 'anthropic') {
    return {
      'anthropic-ratelimit-requests-limit': '60',
      'anthropic-ratelimit-requests-remaining': remaining,
      'anthropic-ratelimit-requests-reset': new Date(epoch + resetSeconds * 1000).toISOString(),
    };
  }
  return {
    'x-ratelimit-limit-requests': '60',
    'x-ratelimit-remaining-requests': remaining,
    'x-ratelimit-reset-requests': `${resetSeconds}s`,
    'x-ratelimit-limit-tokens': '150000',
    'x-ratelimit-remaining-tokens': exhausted ? '0' : '149000',
    'x-ratelimit-reset-tokens': `${resetSeconds}s`,
  };
}

function modelsDocument(flavor: Flavor, epoch: number): unknown {
  const created = Math.floor(epoch / 1000);
  if (flavor === 'anthropic') {
    const data = MODELS.filter((m) => m.startsWith('claude') || m.startsWith('streamlab')).map(
      (id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: new Date(epoch).toISOString(),
      }),
    );
    return {
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data[data.length - 1]?.id ?? null,
    };
  }
  return {
    object: 'list',
    data: MODELS.map((id) => ({ id, object: 'model', created, owned_by: 'streamlab' })),
  };
}

function knobDocs(): Record<string, { default: number; meaning: string }> {
  return Object.fromEntries(
    KNOB_NAMES.map((k) => [k, { default: DEFAULT_KNOBS[k], meaning: KNOB_MEANINGS[k] }]),
  );
}

/** `GET /` and `GET /v1`: what this server is and how to use it. */
export function indexDocument(): unknown {
  return {
    name: 'streamlab mock',
    routes: ROUTE_LIST,
    scenarios:
      'prefix any route with /scenarios/<name>, e.g. /scenarios/fragmented/v1/chat/completions',
    knobs:
      'path segment /knobs/ttft_ms=0,tps=200 before /v1, header x-streamlab-knobs: ttft_ms=0,tps=200, or query ?ttft_ms=0&tps=200 on the final URL',
    runs: 'fail-then-succeed scenarios count attempts per run: header x-streamlab-run: <id> or path /run/<id> before /v1; without one, per identical request body (forgotten after success or 60 s)',
  };
}

/** The `error.message` of a JSON error answer (read from a copy), or its status when it has none. */
async function errorMessageOf(response: Response): Promise<string> {
  try {
    const body = (await response.clone().json()) as { error?: { message?: unknown } };
    const message = body?.error?.message;
    return typeof message === 'string' ? message : `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}
