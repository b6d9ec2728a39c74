/**
 * The streamlab mock server, pure core: OpenAI Chat Completions, OpenAI Responses and Anthropic Messages,
 * streaming and not, as one Web-standard handler `(request: Request) => Promise<Response>`. It uses no
 * Node or DOM API, and every delay goes through the injected `Clock`, so the same code runs in the Node
 * CLI (`src/mock/node`), in a lab's Web Worker behind `createMockFetch`, and in tests on a virtual clock.
 *
 * The room (`room.ts`): defaults for requests that name no scenario, switched by the instructor through
 * `/control/room` (guarded by `options.controlToken`).
 *
 * URL scheme (paths relative to the mock origin):
 * - `POST /v1/chat/completions`, `POST /v1/responses`, `POST /v1/messages`, `GET /v1/models`.
 * - Batches (`batches.ts`): OpenAI `/v1/files` + `/v1/batches`, Anthropic `/v1/messages/batches`;
 *   a batch finishes after the `batch_ms` knob (clock time) and answers each request as a plain call.
 * - Structured output: `response_format` / `text.format` / `output_config.format` with a JSON schema
 *   gets a JSON document of that schema (`generateFromSchema`).
 * - `GET /scenarios`: the scenarios as JSON (`{ knobs, data: [{ name, description, knobs, fault }] }`).
 * - Scenario by path prefix: `/scenarios/<name>/v1/...`. SDK base URLs: OpenAI
 *   `http://host/scenarios/<name>/v1`, Anthropic `http://host/scenarios/<name>` (the SDK adds `/v1`).
 *   Plain `/v1/...` is the `default` scenario.
 * - Knob overrides (see `Knobs`): path segment `/knobs/ttft_ms=0,tps=200` before `/v1` (usable inside a
 *   base URL), header `x-streamlab-knobs: ttft_ms=0,tps=200`, or query `?ttft_ms=0&tps=200` on the final
 *   URL; later ones win. An unknown knob or a value out of range is a 400 naming it.
 * - Runs, for fail-then-succeed scenarios (`rate-limited`, `server-error`, `overloaded` with
 *   `before_stream=1`): attempts are counted per run. A run is the header `x-streamlab-run: <id>` or the
 *   path segment `/run/<id>` before `/v1`; without one, the run is "this exact request body", and it is
 *   forgotten after its successful attempt, so every fresh program run sees the failure first, whether
 *   the retry comes from an SDK (`maxRetries`) or from the learner's own loop. Body-keyed runs are kept
 *   apart per client address when the host passes one (`handle(request, { client })`). Runs expire 60 s after their
 *   last attempt (clock time); at most 10,000 are kept.
 *
 * Determinism: the reply (text, tool arguments, ids, jitter, fragment sizes) depends only on the request
 * body (minus `stream`/`stream_options`), the route and `options.seed`. Transport scenarios
 * (`fragmented`, `one-byte-reads`, `crlf`, `heartbeats`) change only how bytes travel.
 *
 * For the lab engine: run `createMockHandler()` inside the worker and hand learner code
 * `createMockFetch(handler, { baseUrl })`. Timeline and check code key on `ScenarioName`.
 */
export { createMockHandler, indexDocument, MODELS } from './handle.ts';
export type { MockHandler, MockHandlerOptions, RequestInfo, RequestLog } from './handle.ts';
export { createRoom, RoomError } from './room.ts';
export type { Room, RoomDefaults } from './room.ts';
export { createMockFetch } from './fetch.ts';
export type { MockFetchOptions } from './fetch.ts';
export { getScenario, isScenarioName, listScenarios, SCENARIO_NAMES } from './scenarios/index.ts';
export type { Fault, ReplyKind, Scenario, ScenarioInfo, ScenarioName } from './scenarios/index.ts';
export { DEFAULT_KNOBS, KNOB_DOCS, KNOB_NAMES } from './knobs.ts';
export type { Knobs } from './knobs.ts';
export { createPrng, hashString } from './prng.ts';
export type { Prng } from './prng.ts';
export { realClock, createVirtualClock } from './clock.ts';
export type { Clock, VirtualClock } from './clock.ts';
export { ConnectionDropped, formatEvent } from './transport.ts';
export { takeBodySource } from './bodySource.ts';
export { errorBody } from './errors.ts';
export type { Flavor } from './errors.ts';
export type { BodyPlan, BodySource } from './bodySource.ts';
export { frameBytes } from './bodyPlan.ts';
export type { PlannedFrames } from './bodyPlan.ts';
export type { TransportStats } from './transport.ts';
