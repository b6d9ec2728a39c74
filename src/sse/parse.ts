/**
 * The SSE parsing engine: text in, callbacks out, no I/O. It follows the WHATWG rules for
 * "interpreting an event stream" line by line and is written for throughput, because it sits on the
 * hot path of every lab run and of the timeline: lines are found with `indexOf` on the whole piece,
 * values are `slice`d out once, and the two line shapes that dominate real AI streams (`data:` and
 * `event:`) are recognised by char codes without building the field name.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { SseParseError, SseParserStateError } from './errors.ts';
import type { SseEvent, SseParser, SseParserCallbacks, SseParserOptions } from './types.ts';

const LF = 10;
const SPACE = 32;
const COLON = 58;
const BOM = 0xfeff;

/** Readable form of a value for error messages: long values are cut, control characters shown. */
function show(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(cut);
}

/**
 * Creates an incremental SSE parser. Feed it the decoded text of one stream in pieces of any size;
 * it calls `callbacks.onEvent` for every complete event, in order, synchronously inside `feed()`.
 *
 * If a callback throws, the error propagates out of `feed()` and the rest of that piece is not
 * parsed; call `reset()` before reusing the parser.
 *
 * @example
 * ```ts
 * const parser = createSseParser({ onEvent: (e) => console.log(e.type, e.data) });
 * parser.feed('event: ping\ndata: {}\n');
 * parser.feed('\n'); // logs "ping {}"
 * parser.end();
 * ```
 */
export function createSseParser(
  callbacks: SseParserCallbacks,
  options: SseParserOptions = {},
): SseParser {
  if (
    typeof callbacks !== 'object' ||
    callbacks === null ||
    typeof callbacks.onEvent !== 'function'
  ) {
    throw new TypeError(
      'createSseParser(callbacks): expected an object with an onEvent function, e.g. createSseParser({ onEvent(e) {} })',
    );
  }
  const limit = options.maxBufferSize ?? Infinity;
  if (!(limit >= 0)) {
    throw new RangeError(
      `createSseParser: maxBufferSize must be a non-negative number, got ${String(options.maxBufferSize)}`,
    );
  }
  // Callbacks are called as methods of `callbacks` (so `this` works in them), and looked up at each
  // call, which V8 inlines; binding them up front measured slower in the bench.

  // --- Line assembly state (what is held between feeds). ---
  // An unterminated line, kept as fragments and joined once its terminator arrives: concatenating
  // on every feed would be quadratic when one huge `data:` line arrives in many small pieces.
  let fragments: string[] = [];
  let pendingLength = 0;
  // The previous piece ended in CR. That CR already ended its line, but it may be the first half of
  // a CRLF, so one LF at the start of the next piece must be swallowed, not read as a blank line.
  let skipLF = false;
  // One U+FEFF is stripped at the very start of the stream only (UTF-8 decode's BOM sniffing);
  // stays false until the first non-empty piece arrives.
  let bomChecked = false;
  // Number of the line being read (1-based), for error reports.
  let lineNumber = 1;

  // --- Event assembly state (the spec's buffers). ---
  let data = '';
  let hasData = false;
  let eventType = 'message';
  // The block's own `id:` value, committed to `lastEventId` when the block is dispatched.
  let blockId: string | undefined;
  let blockRetry = -1;
  let lastEventId: string | undefined;

  let ended = false;
  let failure: SseParseError | undefined;

  function dispatch(): void {
    if (blockId !== undefined) {
      lastEventId = blockId;
      blockId = undefined;
      callbacks.onId?.(lastEventId);
    }
    if (hasData) {
      const event: SseEvent =
        lastEventId === undefined
          ? { type: eventType, data }
          : { type: eventType, data, id: lastEventId };
      if (blockRetry !== -1) event.retry = blockRetry;
      data = '';
      hasData = false;
      eventType = 'message';
      blockRetry = -1;
      callbacks.onEvent(event);
      return;
    }
    eventType = 'message';
    blockRetry = -1;
  }

  function report(
    type: 'invalid-retry' | 'unknown-field' | 'invalid-id',
    message: string,
    field: string,
    value: string,
    line: string,
  ): void {
    callbacks.onError?.(new SseParseError(message, { type, field, value, line, lineNumber }));
  }

  /**
   * Interprets one complete line `text[start, end)`. `data:` and `event:` are matched by char code
   * first because they are nearly every line in practice; the rest goes through the general rule.
   * No bounds check is needed: the characters before `end` are never CR or LF and the one at `end`
   * is (or lies past the string), so matching five literal characters implies they are in the line.
   */
  function parseLine(text: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    const c = text.charCodeAt(start);
    if (
      c === 100 /* d */ &&
      text.charCodeAt(start + 1) === 97 &&
      text.charCodeAt(start + 2) === 116 &&
      text.charCodeAt(start + 3) === 97 &&
      text.charCodeAt(start + 4) === COLON
    ) {
      const value = text.slice(text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end);
      if (hasData) data += '\n' + value;
      else {
        data = value;
        hasData = true;
      }
      return;
    }
    if (
      c === 101 /* e */ &&
      text.charCodeAt(start + 1) === 118 &&
      text.charCodeAt(start + 2) === 101 &&
      text.charCodeAt(start + 3) === 110 &&
      text.charCodeAt(start + 4) === 116 &&
      text.charCodeAt(start + 5) === COLON
    ) {
      // An empty `event:` sets the type buffer to "", which dispatches as "message".
      eventType =
        text.slice(text.charCodeAt(start + 6) === SPACE ? start + 7 : start + 6, end) || 'message';
      return;
    }
    if (c === COLON) {
      if (callbacks.onComment !== undefined) {
        callbacks.onComment(
          text.slice(text.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1, end),
        );
      }
      return;
    }
    parseField(text.slice(start, end));
  }

  /** The general rule for the rarer lines: split at the first colon, strip one space, match. */
  function parseField(line: string): void {
    const colon = line.indexOf(':');
    let field: string;
    let value: string;
    if (colon === -1) {
      // "If the line is not empty but does not contain a colon": the whole line is the field name.
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    }
    // Field names are compared literally: `Data`, ` data` and `data ` are unknown fields.
    switch (field) {
      case 'data':
        if (hasData) data += '\n' + value;
        else {
          data = value;
          hasData = true;
        }
        return;
      case 'event':
        eventType = value || 'message';
        return;
      case 'id':
        if (value.includes('\0')) {
          report(
            'invalid-id',
            `Ignored an id containing U+0000 NULL: ${show(value)}`,
            field,
            value,
            line,
          );
        } else blockId = value;
        return;
      case 'retry':
        if (isAsciiDigits(value)) {
          const ms = Number(value);
          blockRetry = ms;
          callbacks.onRetry?.(ms);
        } else {
          report(
            'invalid-retry',
            `Ignored a retry value that is not all ASCII digits: ${show(value)}`,
            field,
            value,
            line,
          );
        }
        return;
      default:
        report('unknown-field', `Ignored unknown field ${show(field)}`, field, value, line);
    }
  }

  /**
   * Reads every complete line of `text` from `pos` on and returns where the unterminated rest starts.
   * `cr` is the index of the first CR at or after `pos` (or -1), already found by the caller.
   */
  function processLines(text: string, pos: number, cr: number): number {
    const length = text.length;
    if (cr === -1) {
      // LF-only piece, the shape of nearly every real stream: one indexOf per line.
      let lf = text.indexOf('\n', pos);
      while (lf !== -1) {
        if (lf === pos) {
          dispatch();
        } else if (
          // `data:value\n\n` opening a block is the single most common event shape (every
          // OpenAI chunk): dispatch straight from the slice without touching the data buffer.
          !hasData &&
          text.charCodeAt(lf + 1) === LF &&
          text.charCodeAt(pos) === 100 &&
          text.charCodeAt(pos + 1) === 97 &&
          text.charCodeAt(pos + 2) === 116 &&
          text.charCodeAt(pos + 3) === 97 &&
          text.charCodeAt(pos + 4) === COLON
        ) {
          const value = text.slice(text.charCodeAt(pos + 5) === SPACE ? pos + 6 : pos + 5, lf);
          lineNumber++;
          lf++;
          if (blockId === undefined && blockRetry === -1) {
            const type = eventType;
            eventType = 'message';
            callbacks.onEvent(
              lastEventId === undefined
                ? { type, data: value }
                : { type, data: value, id: lastEventId },
            );
          } else {
            data = value;
            hasData = true;
            dispatch();
          }
        } else if (
          // `event:` lines precede every Responses and Anthropic event: handled inline too.
          text.charCodeAt(pos) === 101 &&
          text.charCodeAt(pos + 1) === 118 &&
          text.charCodeAt(pos + 2) === 101 &&
          text.charCodeAt(pos + 3) === 110 &&
          text.charCodeAt(pos + 4) === 116 &&
          text.charCodeAt(pos + 5) === COLON
        ) {
          eventType =
            text.slice(text.charCodeAt(pos + 6) === SPACE ? pos + 7 : pos + 6, lf) || 'message';
        } else {
          parseLine(text, pos, lf);
        }
        lineNumber++;
        pos = lf + 1;
        lf = text.indexOf('\n', pos);
      }
      return pos;
    }

    // Mixed endings: a line ends at whichever of CR and LF comes first, and a CR directly followed
    // by LF is one terminator. Both positions are reused until passed, so each is scanned once.
    let lf = text.indexOf('\n', pos);
    for (;;) {
      let end: number;
      if (cr === -1) {
        if (lf === -1) return pos;
        end = lf;
      } else end = lf === -1 || cr < lf ? cr : lf;
      parseLine(text, pos, end);
      lineNumber++;
      if (end === cr) {
        if (end + 1 === length) {
          // Ambiguous CR at the very end of the piece: the line is done, the LF may follow.
          skipLF = true;
          return length;
        }
        pos = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        cr = text.indexOf('\r', pos);
      } else pos = end + 1;
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
    }
  }

  function fail(error: SseParseError): never {
    failure = error;
    fragments = [];
    pendingLength = 0;
    data = '';
    hasData = false;
    throw error;
  }

  function feed(text: string): void {
    if (failure !== undefined) throw failure;
    if (ended) {
      throw new SseParserStateError(
        'SseParser.feed() was called after end(); call reset() first to parse a new stream',
      );
    }
    if (typeof text !== 'string') {
      throw new TypeError(`SseParser.feed(text): expected a string, got ${typeof text}`);
    }
    const length = text.length;
    if (length === 0) return;
    let pos = 0;
    if (!bomChecked) {
      bomChecked = true;
      if (text.charCodeAt(0) === BOM) pos = 1;
    }
    if (skipLF) {
      skipLF = false;
      if (text.charCodeAt(pos) === LF) pos++;
    }
    let cr = text.indexOf('\r', pos);

    if (pendingLength !== 0) {
      // Finish the line left over from earlier pieces without gluing it to this whole piece:
      // only the head of this piece up to the first terminator is joined.
      const lf = text.indexOf('\n', pos);
      const end = cr === -1 ? lf : lf === -1 || cr < lf ? cr : lf;
      if (end === -1) {
        if (pos < length) {
          fragments.push(pos === 0 ? text : text.slice(pos));
          pendingLength += length - pos;
        }
        if (pendingLength + data.length > limit) overflow();
        return;
      }
      const head = text.slice(pos, end);
      const line = (fragments.length === 1 ? fragments[0]! : fragments.join('')) + head;
      fragments = [];
      pendingLength = 0;
      parseLine(line, 0, line.length);
      lineNumber++;
      if (end === cr) {
        if (end + 1 === length) {
          skipLF = true;
          return;
        }
        pos = text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        cr = text.indexOf('\r', pos);
      } else pos = end + 1;
    }

    pos = processLines(text, pos, cr);
    if (pos < length) {
      fragments.push(pos === 0 ? text : text.slice(pos));
      pendingLength = length - pos;
    }
    if (pendingLength + data.length > limit) overflow();
  }

  function overflow(): never {
    return fail(
      new SseParseError(
        `The stream held more than maxBufferSize (${limit}) characters without completing a line or an event (line ${lineNumber})`,
        { type: 'max-buffer-size-exceeded', lineNumber },
      ),
    );
  }

  function clearStream(): void {
    fragments = [];
    pendingLength = 0;
    skipLF = false;
    data = '';
    hasData = false;
    eventType = 'message';
    blockId = undefined;
    blockRetry = -1;
  }

  return {
    feed,
    end(): void {
      // "Once the end of the file is reached, any pending data must be discarded": an event without
      // its closing blank line is never dispatched, and neither is its `id:`.
      clearStream();
      ended = true;
    },
    reset(): void {
      clearStream();
      bomChecked = false;
      lineNumber = 1;
      lastEventId = undefined;
      ended = false;
      failure = undefined;
    },
    get lastEventId(): string | undefined {
      return lastEventId;
    },
  };
}

/** True for a non-empty string of `0`–`9` only (no sign, space, dot or exponent), as `retry` needs. */
function isAsciiDigits(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
