/**
 * The pull source behind a streaming body, for hosts that can skip the `ReadableStream` around it.
 *
 * The handler stays Web-standard: every streaming `Response` has an ordinary `ReadableStream` body, and
 * the browser, Hono and `fetch` hosts read it as usual. The transport also registers the source that
 * stream pulls from (`read()` one chunk at a time, `cancel()`), keyed by the stream itself, so a host
 * that serves thousands of streams (the Node adapter) can take the source and read it directly, saving
 * the stream's pull/enqueue/read machinery on every event. A host that finds no source (another kind of
 * body, or a stream already being read) reads the stream.
 */
import type { PlannedFrames } from './bodyPlan.ts';

/**
 * A plain body's whole byte schedule (`bodyPlan.ts`), for a host that writes each frame when it is due
 * instead of reading one frame per read. The host reports what it wrote (`sent`) and how it ended, so
 * the request log is the same as for a body read through its stream.
 */
export interface BodyPlan {
  /** Every frame, in order: when it is due (ms after the headers) and its bytes. */
  readonly frames: PlannedFrames;
  /** Ms until `frames[i]` is due (0 or less: now), on the handler's clock. */
  dueIn(i: number): number;
  /** Resolves once `frames[i]` is due; rejects once the body is cancelled or its request aborted. */
  wait(i: number): Promise<void>;
  /**
   * `wait` with callbacks, for a host that writes each frame when it is due: the plan's alarm
   * (`Clock.alarm`). `at(i)` calls `due` once `frames[i]` is due, or `aborted` if the body is cancelled
   * or its request aborted meanwhile.
   */
  alarm(due: () => void, aborted: (reason: unknown) => void): { at(i: number): void };
  /** The frames before `upTo` have been written: counts their events and bytes for the log. */
  sent(upTo: number): void;
  /**
   * Call after the last frame: resolves when the body ends normally; rejects (after the stall, if the
   * scenario stalls) with `ConnectionDropped` when the scenario drops the connection, or with the abort
   * reason. Either way the log is written.
   */
  end(): Promise<void>;
  /** Stops the body as cancelling its stream would. */
  cancel(reason?: unknown): void;
}

/** What a streaming body pulls from: the same chunks, timing and outcome as reading the stream. */
export interface BodySource {
  /** The plain body's plan (no heartbeats, reads not cut); `undefined` for the other kinds. */
  readonly plan?: BodyPlan | undefined;
  /** The next chunk, or `undefined` at the end (and after `cancel()`); rejects as the stream would error. */
  read(): Promise<Uint8Array | undefined>;
  /** Stops the source as cancelling the stream would (frees its timers). */
  cancel(reason?: unknown): void;
}

const sources = new WeakMap<ReadableStream<Uint8Array>, BodySource>();

/** Registers `source` as what `stream` pulls from; returns `stream`. */
export function withBodySource(
  stream: ReadableStream<Uint8Array>,
  source: BodySource,
): ReadableStream<Uint8Array> {
  sources.set(stream, source);
  return stream;
}

/**
 * Takes the source behind `body`, if it has one and nobody reads the stream yet: the stream is locked
 * (so it cannot be read as well) and the caller reads the source instead. Otherwise `undefined`.
 */
export function takeBodySource(
  body: ReadableStream<Uint8Array> | null | undefined,
): BodySource | undefined {
  if (!body || body.locked) return undefined;
  const source = sources.get(body);
  if (!source) return undefined;
  sources.delete(body);
  body.getReader();
  return source;
}
