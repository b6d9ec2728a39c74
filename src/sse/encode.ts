import { SseEncodeError } from './errors.ts';

/** Options for {@link encodeSseEvent} and {@link encodeSseComment}. */
export interface SseEncodeOptions {
  /** The line terminator to write. All three are valid SSE; default `"\n"`, what providers send. */
  lineEnding?: '\n' | '\r\n' | '\r';
}

/** The fields of an event to write; the same shape the parser produces. */
export interface SseEventInit {
  /** Written as an `event:` line when given and non-empty (an empty type means "message" anyway). */
  type?: string;
  /** Split into one `data:` line per line of text; always written, so the event always dispatches. */
  data: string;
  /** Written as an `id:` line when given (`""` is meaningful: it clears the last event ID). */
  id?: string;
  /** Written as a `retry:` line when given: the reconnection time in milliseconds. */
  retry?: number;
}

// Any of the three SSE line terminators; used to split data into `data:` lines.
const LINE_BREAK = /\r\n|\r|\n/;

function lineEndingOf(options: SseEncodeOptions): string {
  const eol = options.lineEnding ?? '\n';
  if (eol !== '\n' && eol !== '\r\n' && eol !== '\r') {
    throw new SseEncodeError(
      `lineEnding must be "\\n", "\\r\\n" or "\\r", got ${JSON.stringify(eol)}`,
      { type: 'invalid-line-ending', field: 'lineEnding' },
    );
  }
  return eol;
}

/** `field: value`, or a bare `field:` for an empty value (avoids a trailing space). */
function fieldLine(field: string, value: string, eol: string): string {
  // The space after the colon is always written when there is a value, because the parser strips
  // exactly one: a value that itself starts with a space then survives the round trip.
  return value === '' ? `${field}:${eol}` : `${field}: ${value}${eol}`;
}

function assertSingleLine(field: 'event' | 'id', value: string): void {
  if (value.includes('\n') || value.includes('\r')) {
    throw new SseEncodeError(
      `The ${field} field cannot contain CR or LF (it would end the line early): ${JSON.stringify(value)}`,
      { type: 'invalid-field-value', field },
    );
  }
}

/**
 * Writes one event as SSE text, ending with the blank line that dispatches it.
 *
 * Data containing line breaks becomes several `data:` lines, which a receiver joins with LF; so CR
 * and CRLF inside data arrive as LF (SSE cannot carry a CR in data).
 *
 * @throws {SseEncodeError} `invalid-field-value` if `type` or `id` contains CR or LF, or `id`
 *   contains NUL; `invalid-retry` if `retry` is not a non-negative safe integer;
 *   `invalid-line-ending` for an unknown `lineEnding`.
 *
 * @example
 * ```ts
 * encodeSseEvent({ type: 'message_stop', data: '{"type":"message_stop"}' });
 * // 'event: message_stop\ndata: {"type":"message_stop"}\n\n'
 * ```
 */
export function encodeSseEvent(event: SseEventInit, options: SseEncodeOptions = {}): string {
  const eol = lineEndingOf(options);
  if (typeof event.data !== 'string') {
    throw new TypeError(`encodeSseEvent: data must be a string, got ${typeof event.data}`);
  }
  let out = '';
  if (event.type !== undefined && event.type !== '') {
    assertSingleLine('event', event.type);
    out += fieldLine('event', event.type, eol);
  }
  if (event.id !== undefined) {
    assertSingleLine('id', event.id);
    if (event.id.includes('\0')) {
      throw new SseEncodeError(
        `The id field cannot contain U+0000 NULL (receivers ignore such an id): ${JSON.stringify(event.id)}`,
        { type: 'invalid-field-value', field: 'id' },
      );
    }
    out += fieldLine('id', event.id, eol);
  }
  if (event.retry !== undefined) {
    if (!Number.isSafeInteger(event.retry) || event.retry < 0) {
      throw new SseEncodeError(
        `retry must be a non-negative integer number of milliseconds, got ${String(event.retry)}`,
        { type: 'invalid-retry', field: 'retry' },
      );
    }
    out += fieldLine('retry', String(event.retry), eol);
  }
  const data = event.data;
  // One line (the common case, e.g. a JSON chunk) needs no split.
  if (!data.includes('\n') && !data.includes('\r')) out += fieldLine('data', data, eol);
  else for (const line of data.split(LINE_BREAK)) out += fieldLine('data', line, eol);
  return out + eol;
}

/**
 * Writes a comment: one `:` line per line of `text`. Comments dispatch nothing; servers send them
 * as heartbeats so proxies keep an idle connection open.
 *
 * @example
 * ```ts
 * encodeSseComment('keep-alive'); // ': keep-alive\n'
 * ```
 */
export function encodeSseComment(text = '', options: SseEncodeOptions = {}): string {
  const eol = lineEndingOf(options);
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += line === '' ? `:${eol}` : `: ${line}${eol}`;
  return out;
}
