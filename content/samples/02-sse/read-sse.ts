/** One Server-Sent Event: what a blank-line-terminated block of fields means. */
export interface SseEvent {
  /** The `event:` field, or `"message"` when the block had none. */
  event: string;
  /** All `data:` lines of the block, joined with "\n". */
  data: string;
  /** The last `id:` seen so far in the stream (it persists across events), if any. */
  id?: string;
  /** The last valid `retry:` value in milliseconds, if any. */
  retry?: number;
}

/**
 * Reads a `text/event-stream` body and yields one event per block, following the WHATWG rules that
 * matter in practice: any line ending (CRLF, LF, CR), comments, multi-line data, one optional space
 * after the colon, and UTF-8 characters split between network reads.
 *
 * Leaving the `for await` loop early (break, return, throw) cancels the body, which closes the
 * connection: the server stops sending and, for a model, stops generating.
 */
export async function* readSse(body: ReadableStream<BufferSource>): AsyncGenerator<SseEvent> {
  // TextDecoderStream keeps an incomplete multi-byte character until the next read completes it,
  // and drops a leading byte-order mark, as the SSE spec asks.
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  let retry: number | undefined;

  /** Handles one complete line; returns an event when the line was the blank line ending a block. */
  function line(text: string): SseEvent | undefined {
    if (text === '') {
      const done =
        data.length > 0
          ? { event: event || 'message', data: data.join('\n'), id, retry }
          : undefined;
      data = [];
      event = '';
      return done;
    }
    if (text.startsWith(':')) return undefined; // a comment, often a keep-alive
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1); // `data:x` and `data: x` are the same
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
    return undefined; // unknown fields are ignored
  }

  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) {
        // A final CR is a complete line ending once we know no LF follows it.
        if (buffer.endsWith('\r')) {
          const last = line(buffer.slice(0, -1));
          if (last) yield last;
        }
        // Anything else left over never got its blank line: the spec says to discard it.
        return;
      }
      buffer += value;
      let start = 0;
      while (start < buffer.length) {
        const lf = buffer.indexOf('\n', start);
        const cr = buffer.indexOf('\r', start);
        const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
        if (end === -1) break; // no complete line yet: keep the rest for the next read
        // A CR at the very end of what we have may be the first half of a CRLF: wait for more.
        if (end === cr && end === buffer.length - 1) break;
        const next = end === cr && buffer[end + 1] === '\n' ? end + 2 : end + 1;
        const complete = line(buffer.slice(start, end));
        start = next;
        if (complete) yield complete;
      }
      buffer = buffer.slice(start);
    }
  } finally {
    // Runs on normal end, on error and when the consumer stops early.
    await reader.cancel().catch(() => {});
  }
}
