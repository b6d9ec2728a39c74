/**
 * Stream-shaping helpers for checks: conditions a scenario alone cannot create, applied to any Response.
 */
import { createSseParser } from '../../sse/index.ts';

export interface HeldOpen {
  /** A Response with the same status and headers whose body never ends on its own. */
  response: Response;
  /** Whether the reader cancelled the body (the polite way to stop reading). */
  cancelled(): boolean;
}

/**
 * Passes `response`'s body through, then keeps the connection open instead of ending it, like a server or
 * proxy that does not close after the last event. Code that waits for the end of the stream instead of its
 * terminal event (`data: [DONE]`) hangs on it.
 */
export function holdOpen(response: Response): HeldOpen {
  let cancelled = false;
  const reader = response.body?.getReader();
  let drained = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!reader || drained) return new Promise<void>(() => {});
        const { done, value } = await reader.read();
        if (done) {
          drained = true;
          // Never resolves: the stream stays open until cancelled.
          return new Promise<void>(() => {});
        }
        controller.enqueue(value);
      },
      cancel(reason) {
        cancelled = true;
        if (!drained) return reader?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return {
    response: new Response(body, { status: response.status, headers: response.headers }),
    cancelled: () => cancelled,
  };
}

/** Re-slices `response`'s body into reads of exactly `size` bytes (the last may be shorter). */
export function rechunk(response: Response, size: number): Response {
  if (!(size >= 1)) throw new RangeError(`rechunk: size must be at least 1, got ${size}`);
  const reader = response.body?.getReader();
  let pending = new Uint8Array(0);
  let ended = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (pending.length < size && !ended && reader) {
          const { done, value } = await reader.read();
          if (done) ended = true;
          else {
            const joined = new Uint8Array(pending.length + value.length);
            joined.set(pending);
            joined.set(value, pending.length);
            pending = joined;
          }
        }
        if (pending.length === 0) return controller.close();
        controller.enqueue(pending.slice(0, size));
        pending = pending.slice(size);
      },
      cancel(reason) {
        return reader?.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { status: response.status, headers: response.headers });
}

/** One event as the reference parser saw it. */
export interface ReferenceEvent {
  type: string;
  data: string;
  id?: string;
}

/** Reads a whole SSE body with streamlab's own spec-conformant parser (the reference for expectations). */
export async function readSseEvents(response: Response): Promise<ReferenceEvent[]> {
  const events: ReferenceEvent[] = [];
  const parser = createSseParser({
    onEvent: (event) => {
      const copy: ReferenceEvent = { type: event.type, data: event.data };
      if (event.id !== undefined) copy.id = event.id;
      events.push(copy);
    },
  });
  // The SSE parser strips the stream's one leading BOM itself; a decoder that also stripped it would
  // hide a second U+FEFF, which is content.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const reader = response.body?.getReader();
  if (!reader) return events;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  parser.feed(decoder.decode());
  return events;
}

/**
 * The same response, closed cleanly after `events` events (the rest is never sent): a stream cut short
 * without its terminator, as a proxy that gave up would leave it. Events are counted by their blank
 * line (LF LF), including one split across reads.
 */
export function cutAfterEvents(response: Response, events: number): Response {
  const reader = response.body!.getReader();
  let count = 0;
  let previous = 0; // the last byte of the previous read, for a blank line split across reads
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) return controller.close();
      for (let i = 0; i < value.length; i++) {
        const before = i > 0 ? value[i - 1] : previous;
        if (value[i] === 10 && before === 10 && ++count === events) {
          controller.enqueue(value.subarray(0, i + 1));
          controller.close();
          await reader.cancel();
          return;
        }
      }
      previous = value[value.length - 1] ?? previous;
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

/**
 * The text of a Chat Completions stream: every `choices[0].delta.content` up to `data: [DONE]`, read with
 * streamlab's own parser. What checks compare a learner's output with.
 */
export async function readChatText(response: Response): Promise<string> {
  return chatTextOf(await readSseEvents(response));
}

/** The text of Chat Completions events already read (`readSseEvents`), up to `[DONE]`. */
export function chatTextOf(events: readonly ReferenceEvent[]): string {
  let text = '';
  for (const event of events) {
    if (event.data === '[DONE]') break;
    const chunk = JSON.parse(event.data) as {
      choices?: Array<{ delta?: { content?: string | null } }>;
    };
    text += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return text;
}
