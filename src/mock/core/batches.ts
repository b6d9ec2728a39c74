/**
 * Batch APIs of the mock: OpenAI Files + Batches (`/v1/files`, `/v1/batches`) and Anthropic Message
 * Batches (`/v1/messages/batches`). Pure like the rest of the core: state lives in one store per
 * handler, time comes from the injected clock, and each request of a batch is answered by the same
 * reply generator as a plain call (the handler passes `answer`), so a batch says exactly what the same
 * requests sent one by one would.
 *
 * A batch takes the `batch_ms` knob of the request that created it to finish (clock time). OpenAI
 * batches go `validating` (first 10%), `in_progress`, `finalizing` (last 10%), `completed`; Anthropic
 * batches go `in_progress`, `ended`. Request counts grow as the batch runs. Results come back in a
 * seeded, shuffled order, as the real services promise no order: match them by `custom_id`.
 */
import type { Clock } from './clock.ts';
import { errorResponse, type ErrorSpec, type Flavor } from './errors.ts';
import { createPrng, hashString } from './prng.ts';
import { makeId } from './reply.ts';
import { parseJsonObject, validate } from './validate.ts';
import { z } from 'zod';

/** One answered request: its HTTP status and JSON body (an error body when the status is not 200). */
export interface Answer {
  status: number;
  body: unknown;
  /** Reply tokens generated for it (the work it cost), when known. */
  tokens?: number;
}

/** What the handler gives the store for one request. */
export interface BatchRequestContext {
  /** The route after the scenario/knob prefix, e.g. `/v1/batches/batch_abc`. */
  route: string;
  method: string;
  request: Request;
  /** The absolute URL of the prefix (origin, scenario, knobs), without `/v1`: for `results_url`. */
  base: string;
  /** `batch_ms` of this request's knobs: how long a batch created now takes. */
  batchMs: number;
  /** `reply_tokens` of this request's knobs (0: natural length), for the batch's token budget. */
  replyTokens: number;
  requestId: string;
  /** The request body, read within the server's size limit (throws a 413 the handler maps). */
  readBody(): Promise<Uint8Array<ArrayBuffer>>;
  /** Answers one request of a batch as a non-streaming call of `route` would. */
  answer(route: string, body: unknown): Answer;
}

export interface BatchStoreOptions {
  clock: Clock;
  epochMs: () => number;
  /** Files and batches kept at most, each (oldest forgotten first). Default 1,000. */
  maxItems?: number;
  /** Bytes of uploaded and written files kept at most (oldest forgotten first). Default 64 MiB. */
  maxFileBytes?: number;
  /** Requests one batch may hold. Default 10,000. */
  maxBatchRequests?: number;
  /** Reply tokens one batch may ask for in all (requests x their reply length). Default 2,000,000. */
  maxBatchTokens?: number;
  /** Called between two slices of a batch's answers (with the slice's work), so streams keep flowing. Default: a macrotask. */
  yieldToLoop?: (slice: BatchSlice) => Promise<void>;
}

/** The work one slice did: requests answered and reply tokens generated, or requests checked at creation. */
export interface BatchSlice {
  requests: number;
  tokens: number;
  /** Requests whose shape was checked (while a batch is created). */
  checked?: number;
  /** Result lines encoded (while results are written or downloaded). */
  written?: number;
}

/** A slice of a batch's work ends after this many reply tokens or this many requests. */
export const SLICE_TOKENS = 20_000;
export const SLICE_REQUESTS = 25;
/** The reply length a batch's token budget assumes for a request without `reply_tokens`. */
export const NATURAL_REPLY_TOKENS = 200;

/** A macrotask: lets timers and I/O run (setTimeout exists in browsers, workers and Node). */
const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const OPENAI_ENDPOINTS = ['/v1/chat/completions', '/v1/responses'] as const;
const FILE_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'] as const;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: Uint8Array;
  createdAt: number;
}

interface BatchItem {
  customId: string;
  body: unknown;
  /** The request's position in the batch's shuffled completion order. */
  order: number;
}

interface Batch {
  flavor: Flavor;
  id: string;
  /** Clock time of creation and the batch's duration. */
  startedAt: number;
  durationMs: number;
  /** Epoch seconds (and ms, for Anthropic's ISO dates) of creation. */
  createdEpochMs: number;
  endpoint: string;
  inputFileId?: string;
  completionWindow?: string;
  metadata: unknown;
  items: BatchItem[];
  /** Answers one request as the creating request's scenario and knobs would. */
  answer: BatchRequestContext['answer'];
  /** The answers being computed, in slices (set by the first retrieval after the end). */
  settling?: Promise<void>;
  /** Input-file problems: the batch fails after validation. */
  invalid?: { code: string; line: number | null; message: string; param: string | null }[];
  /** Clock time of a cancel request. */
  cancelAt?: number;
  /** Requests finished before the cancel (frozen at the cancel). */
  doneAtCancel?: number;
  answers?: Map<string, Answer>;
  /** Each answered request as its JSONL results line, serialized within its slice. */
  lines?: Map<string, string>;
  outputFileId?: string | null;
  errorFileId?: string | null;
}

type Route =
  | { kind: 'files' }
  | { kind: 'file'; id: string; content: boolean }
  | { kind: 'batches'; flavor: Flavor }
  | { kind: 'batch'; flavor: Flavor; id: string; action?: 'cancel' | 'results' };

/** Matches a batch route, or returns null for every other path. */
export function matchBatchRoute(route: string): Route | null {
  if (route === '/v1/files') return { kind: 'files' };
  if (route === '/v1/batches') return { kind: 'batches', flavor: 'openai' };
  if (route === '/v1/messages/batches') return { kind: 'batches', flavor: 'anthropic' };
  let m = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(route);
  if (m) return { kind: 'file', id: m[1]!, content: m[2] !== undefined };
  m = /^\/v1\/batches\/([^/]+)(?:\/(cancel))?$/.exec(route);
  if (m)
    return { kind: 'batch', flavor: 'openai', id: m[1]!, action: m[2] as 'cancel' | undefined };
  m = /^\/v1\/messages\/batches\/([^/]+)(?:\/(cancel|results))?$/.exec(route);
  if (m)
    return {
      kind: 'batch',
      flavor: 'anthropic',
      id: m[1]!,
      action: m[2] as 'cancel' | 'results' | undefined,
    };
  return null;
}

const openaiBatchSchema = z.looseObject({
  input_file_id: z.string().min(1),
  endpoint: z.string(),
  completion_window: z.literal('24h'),
  metadata: z.record(z.string(), z.string()).nullish(),
});

/** The envelope only: its requests are checked one by one, in slices (`checkRequests`). */
const anthropicBatchSchema = z.looseObject({
  requests: z.array(z.unknown()).min(1),
});

const anthropicRequestSchema = z.looseObject({
  custom_id: z.string().regex(CUSTOM_ID, 'must be 1 to 64 letters, digits, underscores or dashes'),
  params: z.record(z.string(), z.unknown()),
});
type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;

/** Requests checked between two yields while a batch is created. */
export const CHECK_SLICE_REQUESTS = 100;
/** Result lines encoded between two yields while results are written or downloaded. */
export const WRITE_SLICE_LINES = 200;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The store of files and batches behind one mock handler. */
export function createBatchStore(options: BatchStoreOptions) {
  const { clock, epochMs } = options;
  const maxItems = options.maxItems ?? 1000;
  const maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  const maxBatchRequests = options.maxBatchRequests ?? 10_000;
  const maxBatchTokens = options.maxBatchTokens ?? 2_000_000;
  const yieldToLoop = options.yieldToLoop ?? macrotask;
  const files = new Map<string, StoredFile>();
  let fileBytes = 0;
  const batches = new Map<string, Batch>();
  let counter = 0;

  const newId = (prefix: string, salt: string): string => {
    counter += 1;
    return prefix + makeId(createPrng(hashString(`${salt}|${counter}|${epochMs()}`)), 24);
  };
  const keep = <T>(map: Map<string, T>, id: string, value: T): void => {
    map.set(id, value);
    while (map.size > maxItems) map.delete(map.keys().next().value!);
  };
  const keepFile = (file: StoredFile): void => {
    files.set(file.id, file);
    fileBytes += file.bytes.length;
    for (const [id, f] of files) {
      if (files.size <= maxItems && fileBytes <= maxFileBytes) break;
      dropFile(id, f);
    }
  };
  const dropFile = (id: string, f: StoredFile | undefined = files.get(id)): void => {
    if (f && files.delete(id)) fileBytes -= f.bytes.length;
  };

  /** Refuses a batch over the request or token budget, before any work is done. */
  function checkBudget(count: number, replyTokens: number): void {
    if (count > maxBatchRequests)
      throw new BatchError({
        status: 400,
        message: `The batch has ${count} requests; the mock takes at most ${maxBatchRequests} in one batch. Split it.`,
      });
    const perRequest = replyTokens > 0 ? replyTokens : NATURAL_REPLY_TOKENS;
    if (count * perRequest > maxBatchTokens)
      throw new BatchError({
        status: 400,
        message: `The batch asks for ${count} requests x ${perRequest} reply tokens = ${count * perRequest} tokens; the mock takes at most ${maxBatchTokens} in one batch. Lower reply_tokens or split the batch.`,
      });
  }

  function json(body: unknown, status = 200): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }

  /** Progress of a batch at clock time `now`. */
  function progress(b: Batch, now: number) {
    const total = b.items.length;
    const elapsed = now - b.startedAt;
    const T = b.durationMs;
    const validated = elapsed >= T * 0.1;
    if (b.invalid) return { phase: validated ? 'failed' : 'validating', done: 0 } as const;
    // Requests run during [10%, 90%) of the duration, evenly spread.
    const runFraction = T === 0 ? 1 : Math.min(1, Math.max(0, (elapsed - T * 0.1) / (T * 0.8)));
    const doneNow = Math.floor(total * runFraction);
    if (b.cancelAt !== undefined) {
      const cancelled = now - b.cancelAt >= T * 0.1;
      return { phase: cancelled ? 'cancelled' : 'cancelling', done: b.doneAtCancel ?? 0 } as const;
    }
    if (elapsed >= T) return { phase: 'completed', done: total } as const;
    if (!validated) return { phase: 'validating', done: 0 } as const;
    if (runFraction >= 1) return { phase: 'finalizing', done: total } as const;
    return { phase: 'in_progress', done: doneNow } as const;
  }

  /** When a batch ended, in ms after its creation: its duration, or shortly after a cancel. */
  const endOffset = (b: Batch): number =>
    b.cancelAt === undefined ? b.durationMs : b.cancelAt - b.startedAt + b.durationMs * 0.1;

  /**
   * Answers (once) every request of a finished batch, in slices of at most `SLICE_TOKENS` reply tokens
   * or `SLICE_REQUESTS` requests with `yieldToLoop` between them, so a 10,000-request batch never holds
   * the event loop; then writes OpenAI's output and error files. Concurrent retrievals share the work.
   */
  function settle(b: Batch, done: number): Promise<void> {
    b.settling ??= answerAll(b, done);
    return b.settling;
  }

  /** One request's line: of OpenAI's output/error file, or of Anthropic's results. */
  function resultLine(b: Batch, customId: string, a: Answer): string {
    if (b.flavor === 'anthropic') {
      const result =
        a.status === 200
          ? { type: 'succeeded', message: a.body }
          : { type: 'errored', error: a.body };
      return JSON.stringify({ custom_id: customId, result });
    }
    return JSON.stringify({
      id: `batch_req_${hashString(b.id + customId).toString(16)}`,
      custom_id: customId,
      response: {
        status_code: a.status,
        request_id: `req_${hashString(customId + b.id, 7).toString(16)}`,
        body: a.body,
      },
      error: null,
    });
  }

  async function answerAll(b: Batch, done: number): Promise<void> {
    const answers = new Map<string, Answer>();
    const lines = new Map<string, string>();
    const finished = [...b.items].sort((x, y) => x.order - y.order).slice(0, done);
    let tokens = 0;
    let requests = 0;
    for (const item of finished) {
      const a = b.answer(b.endpoint, item.body);
      answers.set(item.customId, { status: a.status, body: null });
      lines.set(item.customId, resultLine(b, item.customId, a));
      tokens += a.tokens ?? 1;
      requests++;
      if (tokens >= SLICE_TOKENS || requests >= SLICE_REQUESTS) {
        await yieldToLoop({ requests, tokens });
        tokens = 0;
        requests = 0;
      }
    }
    b.answers = answers;
    b.lines = lines;
    if (b.flavor !== 'openai') return;
    const ok: string[] = [];
    const failed: string[] = [];
    for (const item of finished)
      (answers.get(item.customId)!.status === 200 ? ok : failed).push(lines.get(item.customId)!);
    const write = async (
      lines: string[],
      name: string,
      purpose: string,
    ): Promise<string | null> => {
      if (lines.length === 0) return null;
      const chunks: Uint8Array[] = [];
      for await (const chunk of encodeLines(lines, yieldToLoop)) chunks.push(chunk);
      const id = newId('file-', b.id + name);
      keepFile({
        id,
        filename: `${b.id}_${name}.jsonl`,
        purpose,
        bytes: concatBytes(chunks),
        createdAt: Math.floor(epochMs() / 1000),
      });
      return id;
    };
    b.outputFileId = await write(ok, 'output', 'batch_output');
    b.errorFileId = await write(failed, 'error', 'batch_output');
  }

  function fileObject(f: StoredFile) {
    return {
      id: f.id,
      object: 'file',
      bytes: f.bytes.length,
      created_at: f.createdAt,
      filename: f.filename,
      purpose: f.purpose,
      status: 'processed',
      expires_at: null,
      status_details: null,
    };
  }

  async function openaiBatchObject(b: Batch) {
    const now = clock.now();
    const p = progress(b, now);
    const at = (fraction: number) =>
      Math.floor((b.createdEpochMs + b.durationMs * fraction) / 1000);
    const reached = (fraction: number) => now - b.startedAt >= b.durationMs * fraction;
    const terminal = p.phase === 'completed' || p.phase === 'cancelled';
    if (terminal) await settle(b, p.done);
    const answers = b.answers ? [...b.answers.values()] : [];
    const failedCount = answers.filter((a) => a.status !== 200).length;
    const cancelSec =
      b.cancelAt === undefined ? null : at((b.cancelAt - b.startedAt) / (b.durationMs || 1));
    return {
      id: b.id,
      object: 'batch',
      endpoint: b.endpoint,
      model: null,
      errors: b.invalid && p.phase === 'failed' ? { object: 'list', data: b.invalid } : null,
      input_file_id: b.inputFileId,
      completion_window: b.completionWindow,
      status: p.phase,
      output_file_id: terminal ? (b.outputFileId ?? null) : null,
      error_file_id: terminal ? (b.errorFileId ?? null) : null,
      created_at: at(0),
      in_progress_at: !b.invalid && reached(0.1) ? at(0.1) : null,
      expires_at: at(0) + 24 * 3600,
      finalizing_at: p.phase === 'finalizing' || p.phase === 'completed' ? at(0.9) : null,
      completed_at: p.phase === 'completed' ? at(1) : null,
      failed_at: p.phase === 'failed' ? at(0.1) : null,
      expired_at: null,
      cancelling_at: cancelSec,
      cancelled_at: p.phase === 'cancelled' ? cancelSec : null,
      request_counts: {
        total: b.items.length,
        completed: terminal ? answers.length - failedCount : p.done,
        failed: terminal ? failedCount : 0,
      },
      metadata: b.metadata ?? null,
    };
  }

  async function anthropicBatchObject(b: Batch, ctx: BatchRequestContext) {
    const now = clock.now();
    const p = progress(b, now);
    const iso = (ms: number) => new Date(ms).toISOString();
    const ended = p.phase === 'completed' || p.phase === 'cancelled';
    if (ended) await settle(b, p.done);
    const answers = b.answers ? [...b.answers.values()] : [];
    const errored = answers.filter((a) => a.status !== 200).length;
    const total = b.items.length;
    return {
      id: b.id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : p.phase === 'cancelling' ? 'canceling' : 'in_progress',
      request_counts: {
        processing: ended ? 0 : total - p.done,
        succeeded: ended ? answers.length - errored : p.done,
        errored: ended ? errored : 0,
        canceled: ended ? total - answers.length : 0,
        expired: 0,
      },
      created_at: iso(b.createdEpochMs),
      expires_at: iso(b.createdEpochMs + 24 * 3600 * 1000),
      ended_at: ended ? iso(b.createdEpochMs + endOffset(b)) : null,
      archived_at: null,
      cancel_initiated_at:
        b.cancelAt === undefined ? null : iso(b.createdEpochMs + (b.cancelAt - b.startedAt)),
      results_url: ended ? `${ctx.base}/v1/messages/batches/${b.id}/results` : null,
    };
  }

  /** Parses OpenAI's JSONL input; problems are reported per line, as the real validation step does. */
  function parseInput(text: string, endpoint: string) {
    const items: Omit<BatchItem, 'order'>[] = [];
    const invalid: NonNullable<Batch['invalid']> = [];
    const seen = new Set<string>();
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, i) => {
      const line = i + 1;
      if (raw.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        invalid.push({
          code: 'invalid_json_line',
          line,
          message: `Line ${line} is not valid JSON.`,
          param: null,
        });
        return;
      }
      const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<
        string,
        unknown
      >;
      const problem = (param: string, message: string) =>
        invalid.push({ code: 'invalid_request', line, message: `Line ${line}: ${message}`, param });
      if (typeof obj.custom_id !== 'string' || obj.custom_id === '')
        return problem('custom_id', "'custom_id' must be a non-empty string.");
      if (seen.has(obj.custom_id))
        return problem(
          'custom_id',
          `duplicate custom_id '${obj.custom_id}': each request needs its own.`,
        );
      seen.add(obj.custom_id);
      if (obj.method !== 'POST') return problem('method', "'method' must be 'POST'.");
      if (obj.url !== endpoint)
        return problem(
          'url',
          `'url' is '${String(obj.url)}' but the batch endpoint is '${endpoint}'.`,
        );
      if (typeof obj.body !== 'object' || obj.body === null || Array.isArray(obj.body))
        return problem('body', "'body' must be a JSON object.");
      if ((obj.body as { stream?: unknown }).stream === true)
        return problem('body.stream', 'batch requests cannot stream.');
      items.push({ customId: obj.custom_id, body: obj.body });
    });
    if (items.length === 0 && invalid.length === 0)
      invalid.push({
        code: 'empty_file',
        line: null,
        message: 'The input file has no requests.',
        param: null,
      });
    return { items, invalid };
  }

  /** Gives each item its place in a seeded shuffle: the order in which results are written. */
  function shuffled(items: Omit<BatchItem, 'order'>[], seed: string): BatchItem[] {
    const rng = createPrng(hashString(seed));
    const order = items.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    // Never the input order (a shuffle can draw it): code that matches by position must fail.
    if (order.every((o, i) => o === i)) order.push(order.shift()!);
    return items.map((item, i) => ({ ...item, order: order[i]! }));
  }

  /** The request body as a validated JSON object, or a 400 naming what is wrong. */
  async function readBody<T>(ctx: BatchRequestContext, schema: z.ZodType<T>): Promise<T> {
    const parsed = parseJsonObject(decoder.decode(await ctx.readBody()));
    if (!parsed.ok) throw new BatchError({ status: 400, message: parsed.message });
    const checked = validate(schema, parsed.value);
    if (!checked.ok)
      throw new BatchError({ status: 400, message: checked.message, param: checked.param });
    return checked.value;
  }

  /**
   * Checks a Message Batch's requests (shape, unique ids, no streaming), `CHECK_SLICE_REQUESTS` at a time
   * with `yieldToLoop` between slices, so creating a 10,000-request batch never holds the event loop.
   */
  async function checkRequests(list: readonly unknown[]): Promise<AnthropicRequest[]> {
    const seen = new Set<string>();
    const checked: AnthropicRequest[] = [];
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && i % CHECK_SLICE_REQUESTS === 0) {
        await yieldToLoop({ requests: 0, tokens: 0, checked: CHECK_SLICE_REQUESTS });
      }
      const result = validate(anthropicRequestSchema, list[i], ['requests', i]);
      if (!result.ok)
        throw new BatchError({ status: 400, message: result.message, param: result.param });
      const item = result.value;
      if (seen.has(item.custom_id))
        throw new BatchError({
          status: 400,
          message: `requests[${i}].custom_id: duplicate custom_id '${item.custom_id}': each request needs its own.`,
          param: `requests[${i}].custom_id`,
        });
      seen.add(item.custom_id);
      if (item.params.stream === true)
        throw new BatchError({
          status: 400,
          message: `requests[${i}].params.stream: batch requests cannot stream.`,
          param: `requests[${i}].params.stream`,
        });
      checked.push(item);
    }
    return checked;
  }

  function allowed(ctx: BatchRequestContext, methods: string[]): void {
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    if (!methods.includes(method))
      throw new BatchError({
        status: 405,
        message: `Method ${ctx.method} not allowed on ${ctx.route}; use ${methods.join(' or ')}.`,
        headers: { allow: `${methods.join(', ')}, OPTIONS` },
      });
  }

  function find<T>(map: Map<string, T>, id: string, what: string): T {
    const found = map.get(id);
    if (!found) throw new BatchError({ status: 404, message: `No ${what} found with id '${id}'.` });
    return found;
  }

  function list<T extends { id: string }>(items: T[], flavor: Flavor) {
    const data = items.reverse();
    return flavor === 'anthropic'
      ? { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
      : {
          object: 'list',
          data,
          has_more: false,
          first_id: data[0]?.id ?? null,
          last_id: data.at(-1)?.id ?? null,
        };
  }

  async function route(r: Route, ctx: BatchRequestContext): Promise<Response> {
    if (r.kind === 'files') {
      allowed(ctx, ['GET', 'POST']);
      if (ctx.method !== 'POST') return json(list([...files.values()].map(fileObject), 'openai'));
      const type = ctx.request.headers.get('content-type') ?? '';
      if (!type.startsWith('multipart/form-data'))
        throw new BatchError({
          status: 400,
          message: `Upload files as multipart/form-data with the fields 'file' and 'purpose' (got content-type '${type || 'none'}').`,
        });
      let form: FormData;
      try {
        form = await new Response(await ctx.readBody(), {
          headers: { 'content-type': type },
        }).formData();
      } catch {
        throw new BatchError({
          status: 400,
          message: 'The multipart/form-data body could not be parsed.',
        });
      }
      const purpose = form.get('purpose');
      const file = form.get('file');
      if (typeof purpose !== 'string')
        throw new BatchError({
          status: 400,
          message: "Missing required parameter: 'purpose'.",
          param: 'purpose',
        });
      if (!(FILE_PURPOSES as readonly string[]).includes(purpose))
        throw new BatchError({
          status: 400,
          message: `Invalid value for 'purpose': expected one of ${FILE_PURPOSES.join(', ')}.`,
          param: 'purpose',
        });
      if (file === null || typeof file === 'string')
        throw new BatchError({
          status: 400,
          message: "Missing required parameter: 'file' (a file part).",
          param: 'file',
        });
      const id = newId('file-', file.name);
      const stored: StoredFile = {
        id,
        filename: file.name || 'upload',
        purpose,
        bytes: new Uint8Array(await file.arrayBuffer()),
        createdAt: Math.floor(epochMs() / 1000),
      };
      keepFile(stored);
      return json(fileObject(stored));
    }

    if (r.kind === 'file') {
      allowed(ctx, r.content ? ['GET'] : ['GET', 'DELETE']);
      const f = find(files, r.id, 'file');
      if (ctx.method === 'DELETE') {
        dropFile(r.id);
        return json({ id: r.id, object: 'file', deleted: true });
      }
      if (!r.content) return json(fileObject(f));
      return new Response(f.bytes.slice(), {
        headers: { 'content-type': 'application/octet-stream' },
      });
    }

    if (r.kind === 'batches') {
      allowed(ctx, ['GET', 'POST']);
      if (ctx.method !== 'POST') {
        const own = [...batches.values()].filter((b) => b.flavor === r.flavor);
        const objects: { id: string }[] = [];
        for (const b of own)
          objects.push(
            r.flavor === 'openai' ? await openaiBatchObject(b) : await anthropicBatchObject(b, ctx),
          );
        return json(list(objects, r.flavor));
      }
      const base = {
        startedAt: clock.now(),
        durationMs: ctx.batchMs,
        createdEpochMs: epochMs(),
        answer: ctx.answer,
      };
      if (r.flavor === 'openai') {
        const req = await readBody(ctx, openaiBatchSchema);
        if (!(OPENAI_ENDPOINTS as readonly string[]).includes(req.endpoint))
          throw new BatchError({
            status: 400,
            message: `Invalid value for 'endpoint': the mock runs batches for ${OPENAI_ENDPOINTS.join(' and ')}.`,
            param: 'endpoint',
          });
        const input = files.get(req.input_file_id);
        if (!input)
          throw new BatchError({
            status: 400,
            message: `Invalid value for 'input_file_id': no file '${req.input_file_id}'. Upload it first with purpose 'batch'.`,
            param: 'input_file_id',
          });
        if (input.purpose !== 'batch')
          throw new BatchError({
            status: 400,
            message: `Invalid value for 'input_file_id': the file's purpose is '${input.purpose}', not 'batch'.`,
            param: 'input_file_id',
          });
        const { items, invalid } = parseInput(decoder.decode(input.bytes), req.endpoint);
        checkBudget(items.length, ctx.replyTokens);
        const id = newId('batch_', input.id);
        const batch: Batch = {
          ...base,
          flavor: 'openai',
          id,
          endpoint: req.endpoint,
          inputFileId: input.id,
          completionWindow: req.completion_window,
          metadata: req.metadata ?? null,
          items: shuffled(items, id),
          invalid: invalid.length > 0 ? invalid : undefined,
        };
        keep(batches, id, batch);
        return json(await openaiBatchObject(batch));
      }
      const envelope = await readBody(ctx, anthropicBatchSchema);
      checkBudget(envelope.requests.length, ctx.replyTokens);
      const requests = await checkRequests(envelope.requests);
      const id = newId('msgbatch_', requests.map((x) => x.custom_id).join(','));
      const batch: Batch = {
        ...base,
        flavor: 'anthropic',
        id,
        endpoint: '/v1/messages',
        metadata: null,
        items: shuffled(
          requests.map((x) => ({ customId: x.custom_id, body: x.params })),
          id,
        ),
      };
      keep(batches, id, batch);
      return json(await anthropicBatchObject(batch, ctx));
    }

    // One batch.
    const b = batches.get(r.id);
    if (!b || b.flavor !== r.flavor)
      throw new BatchError({ status: 404, message: `No batch found with id '${r.id}'.` });
    const render = () =>
      b.flavor === 'openai' ? openaiBatchObject(b) : anthropicBatchObject(b, ctx);
    if (r.action === 'cancel') {
      allowed(ctx, ['POST']);
      const p = progress(b, clock.now());
      if (p.phase === 'completed' || p.phase === 'failed' || p.phase === 'cancelled')
        throw new BatchError({
          status: 409,
          message: `Batch '${b.id}' has already ${p.phase === 'completed' ? 'ended' : p.phase}; it cannot be cancelled.`,
        });
      if (b.cancelAt === undefined) {
        b.doneAtCancel = p.done;
        b.cancelAt = clock.now();
      }
      return json(await render());
    }
    if (r.action === 'results') {
      allowed(ctx, ['GET']);
      const p = progress(b, clock.now());
      if (p.phase !== 'completed' && p.phase !== 'cancelled')
        throw new BatchError({
          status: 400,
          message: `Batch '${b.id}' has not ended yet: poll it until processing_status is 'ended'.`,
        });
      await settle(b, p.done);
      const lines = [...b.items]
        .sort((x, y) => x.order - y.order)
        .map(
          (item) =>
            b.lines!.get(item.customId) ??
            JSON.stringify({ custom_id: item.customId, result: { type: 'canceled' } }),
        );
      // Streamed in slices: 10,000 results are megabytes, and encoding them at once holds the loop.
      const slices = encodeLines(lines, yieldToLoop);
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            const next = await slices.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
        }),
        { headers: { 'content-type': 'application/binary' } },
      );
    }
    allowed(ctx, r.flavor === 'anthropic' ? ['GET', 'DELETE'] : ['GET']);
    if (ctx.method === 'DELETE') {
      const p = progress(b, clock.now());
      if (p.phase !== 'completed' && p.phase !== 'cancelled')
        throw new BatchError({
          status: 400,
          message: `Batch '${b.id}' is still processing: cancel it and wait until it has ended before deleting it.`,
        });
      batches.delete(b.id);
      return json({ id: b.id, type: 'message_batch_deleted' });
    }
    return json(await render());
  }

  return {
    /** Answers a batch route, or returns null when `ctx.route` is not one. */
    async handle(ctx: BatchRequestContext, flavor: Flavor): Promise<Response | null> {
      const r = matchBatchRoute(ctx.route);
      if (!r) return null;
      try {
        return await route(r, ctx);
      } catch (error) {
        if (error instanceof BatchError)
          return errorResponse(r.kind === 'batches' || r.kind === 'batch' ? r.flavor : flavor, {
            ...error.spec,
            requestId: ctx.requestId,
          });
        throw error;
      }
    },
  };
}

/**
 * JSONL lines as UTF-8, `WRITE_SLICE_LINES` lines a chunk, with `yieldToLoop` between chunks: a batch's
 * results are megabytes, and encoding them in one piece would hold the event loop.
 */
async function* encodeLines(
  lines: readonly string[],
  yieldToLoop: (slice: BatchSlice) => Promise<void>,
): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < lines.length; i += WRITE_SLICE_LINES) {
    if (i > 0) await yieldToLoop({ requests: 0, tokens: 0, written: WRITE_SLICE_LINES });
    yield encoder.encode(lines.slice(i, i + WRITE_SLICE_LINES).join('\n') + '\n');
  }
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A client error of a batch route, turned into a provider-shaped error answer. */
export class BatchError extends Error {
  readonly spec: ErrorSpec;
  constructor(spec: ErrorSpec) {
    super(spec.message);
    this.spec = spec;
  }
}
