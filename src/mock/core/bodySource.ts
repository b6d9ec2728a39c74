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

/** What a streaming body pulls from: the same chunks, timing and outcome as reading the stream. */
export interface BodySource {
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
