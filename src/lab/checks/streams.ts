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
  const decoder = new TextDecoder();
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
