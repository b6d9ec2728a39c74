import type { SseParseError } from './errors.ts';

/**
 * One dispatched Server-Sent Event, as the WHATWG EventSource would deliver it.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#dispatchMessage
 */
export interface SseEvent {
  /**
   * The event type: the last `event:` field of the block, or `"message"` when the block had none (or
   * an empty one), exactly as a browser `EventSource` names it.
   */
  type: string;
  /** The `data:` field values of the block joined with `"\n"` (one trailing LF removed, per spec). */
  data: string;
  /**
   * The stream's last event ID at the moment of dispatch. Per spec it persists: an `id:` field in one
   * block applies to every later event until another `id:` field changes it (an empty `id:` sets it to
   * `""`). Absent while the stream has never sent a valid `id:` field.
   */
  id?: string;
  /**
   * The reconnection time in milliseconds, present only when this event's own block contained a valid
   * `retry:` field (the last one wins). The spec applies `retry` at once, line by line; the parser
   * reports that through {@link SseParserCallbacks.onRetry} as well.
   */
  retry?: number;
}

/**
 * What the parser reports. Only `onEvent` is required; everything else is optional side information,
 * called synchronously from inside `feed()` in stream order.
 */
export interface SseParserCallbacks {
  /** Called for every dispatched event (a blank line ending a block that had at least one `data:`). */
  onEvent(event: SseEvent): void;
  /**
   * Called for every comment line (a line starting with `:`), with the text after the colon and one
   * leading space removed — the same rule field values follow.
   */
  onComment?(text: string): void;
  /** Called as soon as a valid `retry:` line is read (the spec applies it immediately). */
  onRetry?(ms: number): void;
  /**
   * Called when a blank line ends a block that contained a valid `id:` field, with the new last event
   * ID, before `onEvent` (if the block dispatches an event at all: an id-only block does not).
   */
  onId?(id: string): void;
  /**
   * Called for recoverable problems (`invalid-retry`, `unknown-field`, `invalid-id`); the offending line is ignored
   * as the spec requires and parsing continues. Fatal problems are thrown from `feed()` instead.
   */
  onError?(error: SseParseError): void;
}

/** Options for {@link createSseParser}. */
export interface SseParserOptions {
  /**
   * Upper bound, in UTF-16 code units, on what the parser may hold between calls: the unterminated
   * line plus the data of the event being assembled. Exceeding it throws a `max-buffer-size-exceeded`
   * {@link SseParseError} from `feed()` and leaves the parser failed until `reset()`. This protects a
   * page from a stream that never sends a line break. Default: unbounded.
   */
  maxBufferSize?: number;
}

/** An incremental SSE parser: text in, callbacks out, no I/O. */
export interface SseParser {
  /**
   * Parses the next piece of the stream. Pieces may be cut anywhere, even between the CR and LF of a
   * CRLF; incomplete lines are kept until their terminator arrives.
   *
   * @throws {SseParseError} `max-buffer-size-exceeded` (then again on every call until `reset()`).
   * @throws {SseParserStateError} if called after `end()` without `reset()`.
   */
  feed(text: string): void;
  /**
   * Marks the end of the stream. An event whose closing blank line never arrived is discarded without
   * being reported, as the spec requires ("any pending data must be discarded").
   */
  end(): void;
  /**
   * Forgets everything, including the last event ID and a failed or ended state, so the parser can
   * read a new stream from its first byte (where a BOM is allowed again).
   */
  reset(): void;
  /** The spec's last event ID as of the latest dispatch, or `undefined` if never set. */
  readonly lastEventId: string | undefined;
}
