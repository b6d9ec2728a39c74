import type { SseParseError } from './errors.ts';
import { createSseParser } from './parse.ts';
import type { SseEvent, SseParser } from './types.ts';

/** Options for {@link SseParserStream}: side channels and limits; events flow through the stream. */
export interface SseParserStreamOptions {
  /** Called for each comment line (text after `:` with one leading space removed). */
  onComment?: (text: string) => void;
  /** Called as soon as a valid `retry:` line is read. */
  onRetry?: (ms: number) => void;
  /** Called when a block with a valid `id:` field is dispatched, with the new last event ID. */
  onId?: (id: string) => void;
  /**
   * Recoverable parse problems (`invalid-retry`, `unknown-field`, `invalid-id`): pass a function to
   * observe them, or `'terminate'` to error the stream on the first one. Default: ignored, as a
   * browser `EventSource` ignores them. A `max-buffer-size-exceeded` error always errors the stream.
   */
  onError?: ((error: SseParseError) => void) | 'terminate';
  /** See {@link SseParserOptions.maxBufferSize}. */
  maxBufferSize?: number;
}

/**
 * A `TransformStream` from a response body to {@link SseEvent}s.
 *
 * It takes bytes (`Uint8Array`, decoded as UTF-8 with one streaming `TextDecoder`, so a character
 * split across reads survives) or already-decoded strings. A leading BOM is stripped once, whether
 * it arrives as bytes or as U+FEFF; the decoder keeps it (`ignoreBOM: true`) so that stripping
 * happens in exactly one place and a second BOM stays content, as the spec says. Malformed UTF-8
 * becomes U+FFFD, as UTF-8 decode requires. When the input ends, an unterminated event is discarded.
 *
 * @example
 * ```ts
 * const events = response.body!.pipeThrough(new SseParserStream());
 * for await (const event of events) console.log(event.type, event.data);
 * ```
 */
export class SseParserStream extends TransformStream<Uint8Array | string, SseEvent> {
  readonly #parser: SseParser;

  constructor(options: SseParserStreamOptions = {}) {
    const { onComment, onRetry, onId, onError, maxBufferSize } = options;
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    // Set in `start`, which the TransformStream constructor runs synchronously before returning.
    let controller!: TransformStreamDefaultController<SseEvent>;
    // True while the decoder may hold the first bytes of a split character.
    let decoding = false;
    const parser = createSseParser(
      {
        onEvent: (event) => controller.enqueue(event),
        onComment,
        onRetry,
        onId,
        onError(error) {
          // Throwing out of `feed()` stops parsing and errors the stream with this error.
          if (onError === 'terminate') throw error;
          onError?.(error);
        },
      },
      { maxBufferSize },
    );
    super({
      start(c) {
        controller = c;
      },
      transform(input) {
        // Typed loosely on purpose: plain-JS callers can pipe anything, and deserve a clear error.
        const chunk: unknown = input;
        if (typeof chunk === 'string') {
          // Bytes followed by text: whatever the decoder still holds can never be completed.
          if (decoding) parser.feed(decoder.decode());
          decoding = false;
          parser.feed(chunk);
        } else if (ArrayBuffer.isView(chunk) || chunk instanceof ArrayBuffer) {
          decoding = true;
          parser.feed(decoder.decode(chunk, { stream: true }));
        } else {
          throw new TypeError(
            `SseParserStream: expected Uint8Array or string chunks, got ${describe(chunk)}`,
          );
        }
      },
      flush() {
        if (decoding) parser.feed(decoder.decode());
        parser.end();
      },
    });
    this.#parser = parser;
  }

  /** The spec's last event ID as of the latest dispatched block (for a `Last-Event-ID` header). */
  get lastEventId(): string | undefined {
    return this.#parser.lastEventId;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
