/**
 * What went wrong while parsing an event stream:
 * - `invalid-retry`: a `retry:` value that is not all ASCII digits (the line is ignored);
 * - `unknown-field`: a line whose field name is not `event`, `data`, `id` or `retry` (ignored);
 * - `invalid-id`: an `id:` value containing U+0000 NULL (ignored, so the previous ID stays);
 * - `max-buffer-size-exceeded`: the stream held more than `maxBufferSize` code units without
 *   completing a line or an event (fatal).
 */
export type SseParseErrorType =
  'invalid-retry' | 'unknown-field' | 'invalid-id' | 'max-buffer-size-exceeded';

/** A problem in the event stream itself, with enough detail to point at the offending line. */
export class SseParseError extends Error {
  override name = 'SseParseError';
  /** Which rule the stream broke. */
  readonly type: SseParseErrorType;
  /** The field name, for the line-level errors (`unknown-field`, `invalid-retry`, `invalid-id`). */
  readonly field: string | undefined;
  /** The field value (after the colon and one optional space). */
  readonly value: string | undefined;
  /** The whole offending line, without its terminator. */
  readonly line: string | undefined;
  /** 1-based number of the offending line in the stream (the line being assembled, for overflows). */
  readonly lineNumber: number;

  constructor(
    message: string,
    details: {
      type: SseParseErrorType;
      lineNumber: number;
      field?: string;
      value?: string;
      line?: string;
    },
  ) {
    super(message);
    this.type = details.type;
    this.lineNumber = details.lineNumber;
    this.field = details.field;
    this.value = details.value;
    this.line = details.line;
  }
}

/** The parser was used out of order: `feed()` after `end()` without a `reset()` in between. */
export class SseParserStateError extends Error {
  override name = 'SseParserStateError';
}

/**
 * Why an event could not be encoded:
 * - `invalid-field-value`: an `event` type or `id` containing CR or LF (it would end the line early
 *   and corrupt the stream), or an `id` containing NUL (receivers must ignore such an id);
 * - `invalid-retry`: `retry` is not a non-negative safe integer;
 * - `invalid-line-ending`: a line ending other than `"\n"`, `"\r\n"` or `"\r"`.
 */
export type SseEncodeErrorType = 'invalid-field-value' | 'invalid-retry' | 'invalid-line-ending';

/** An event or comment that cannot be written as SSE without changing its meaning. */
export class SseEncodeError extends Error {
  override name = 'SseEncodeError';
  /** Which rule the input broke. */
  readonly type: SseEncodeErrorType;
  /** The offending field (`event`, `id`, `retry`) or option (`lineEnding`). */
  readonly field: string;

  constructor(message: string, details: { type: SseEncodeErrorType; field: string }) {
    super(message);
    this.type = details.type;
    this.field = details.field;
  }
}
