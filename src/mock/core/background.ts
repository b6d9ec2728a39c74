/**
 * Responses background mode (`background: true`): the answer is generated on the server, on the clock,
 * whether or not anyone is connected. A client that lost its stream resumes it with
 * `GET /v1/responses/{id}?stream=true&starting_after=N` (events after sequence number N; from the start
 * without it), polls with `GET /v1/responses/{id}`, and stops the generation with
 * `POST /v1/responses/{id}/cancel`. Pure like the rest of the core: one store per handler, time from
 * the injected clock.
 */
import type { Clock } from './clock.ts';
import { errorResponse } from './errors.ts';
import type { WireEvent } from './providers/provider.ts';
import { formatEvent } from './transport.ts';

/** A background response as the store keeps it. */
interface Stored {
  id: string;
  events: WireEvent[];
  /** When each event is generated, in ms after `startedAt`. */
  due: number[];
  startedAt: number;
  cancelledAt?: number;
  /** The finished response object (`status: completed` or `incomplete`). */
  final: Record<string, unknown>;
  /** Wakes the live streams when the response is cancelled. */
  cancel: AbortController;
}

/** `/v1/responses/{id}` and `/v1/responses/{id}/cancel`, or null for any other route. */
export function matchBackgroundRoute(route: string): { id: string; cancel: boolean } | null {
  const m = /^\/v1\/responses\/([^/]+)(\/cancel)?$/.exec(route);
  return m ? { id: m[1]!, cancel: m[2] !== undefined } : null;
}

export interface BackgroundStoreOptions {
  clock: Clock;
  /** Background responses kept at most (oldest forgotten first). Default 1,000. */
  maxItems?: number;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};
const encoder = new TextEncoder();
const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The store of one mock handler. */
export function createBackgroundStore(options: BackgroundStoreOptions) {
  const { clock } = options;
  const maxItems = options.maxItems ?? 1000;
  const items = new Map<string, Stored>();

  /** How far the generation has got: events generated so far, and whether it is over. */
  function progress(item: Stored): { generated: number; done: boolean } {
    const end = item.cancelledAt ?? clock.now();
    const elapsed = end - item.startedAt;
    const generated = item.due.filter((t) => t <= elapsed).length;
    return { generated, done: generated === item.events.length };
  }

  /** The response object as `GET` sees it now. */
  function snapshot(item: Stored): Record<string, unknown> {
    const { done } = progress(item);
    if (done && item.cancelledAt === undefined) return item.final;
    const status = item.cancelledAt !== undefined ? 'cancelled' : 'in_progress';
    return { ...item.final, status, output: [], usage: null, incomplete_details: null };
  }

  /**
   * Events after `startingAfter` as SSE: those already generated at once, the rest as they are
   * generated. `dropAfter` cuts the body (a dropped connection) after that many events; the generation
   * goes on regardless. A cancel ends the body cleanly, with no terminal event.
   */
  function stream(item: Stored, startingAfter: number, signal: AbortSignal, dropAfter?: number) {
    let i = Math.max(0, startingAfter + 1);
    let sent = 0;
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          if (i >= item.events.length || item.cancelledAt !== undefined) return controller.close();
          if (dropAfter !== undefined && sent >= dropAfter) {
            return controller.error(
              new Error('streamlab: connection dropped mid-stream (scenario disconnect)'),
            );
          }
          const wait = item.startedAt + item.due[i]! - clock.now();
          if (wait > 0) {
            try {
              await clock.sleep(wait, AbortSignal.any([signal, item.cancel.signal]));
            } catch (error) {
              if (item.cancel.signal.aborted && !signal.aborted) return controller.close();
              return controller.error(error);
            }
          }
          controller.enqueue(encoder.encode(formatEvent(item.events[i]!)));
          i++;
          sent++;
        },
      },
      { highWaterMark: 0 },
    );
  }

  function remember(item: Stored): void {
    items.set(item.id, item);
    while (items.size > maxItems) items.delete(items.keys().next().value!);
  }

  return {
    /**
     * Starts a background response; returns the answer to the `POST`: the live stream (dropped after
     * `dropAfter` events, for the `disconnect` scenario) or the queued response object.
     */
    start(init: {
      id: string;
      events: WireEvent[];
      due: number[];
      final: Record<string, unknown>;
      stream: boolean;
      signal: AbortSignal;
      dropAfter?: number;
    }): Response {
      const item: Stored = {
        id: init.id,
        events: init.events,
        due: init.due,
        startedAt: clock.now(),
        final: init.final,
        cancel: new AbortController(),
      };
      remember(item);
      if (!init.stream) return json({ ...snapshot(item), status: 'queued' });
      return new Response(stream(item, -1, init.signal, init.dropAfter), {
        headers: SSE_HEADERS,
      });
    },

    /** `GET /v1/responses/{id}` (JSON or `?stream=true`), `POST …/cancel`, `DELETE`. */
    handle(route: { id: string; cancel: boolean }, method: string, url: URL, signal: AbortSignal) {
      const item = items.get(route.id);
      if (!item) {
        return errorResponse('openai', {
          status: 404,
          message: `No response found with id '${route.id}'. The mock keeps background responses only (background: true), and only while it runs.`,
          param: 'response_id',
        });
      }
      if (route.cancel) {
        if (method !== 'POST') return methodNotAllowed('POST');
        if (progress(item).done && item.cancelledAt === undefined) {
          return errorResponse('openai', {
            status: 400,
            message: `Cannot cancel a response that has already finished (status: ${String(item.final.status)}).`,
          });
        }
        if (item.cancelledAt === undefined) {
          item.cancelledAt = clock.now();
          item.cancel.abort();
        }
        return json(snapshot(item));
      }
      if (method === 'DELETE') {
        items.delete(item.id);
        item.cancel.abort();
        return json({ id: item.id, object: 'response', deleted: true });
      }
      if (method !== 'GET') return methodNotAllowed('GET, DELETE');
      if (url.searchParams.get('stream') !== 'true') return json(snapshot(item));
      const after = url.searchParams.get('starting_after');
      const n = after === null ? -1 : Number(after);
      if (!Number.isInteger(n) || n < -1) {
        return errorResponse('openai', {
          status: 400,
          message: `Invalid value for 'starting_after': expected a sequence number (an integer ≥ 0), got '${after}'.`,
          param: 'starting_after',
        });
      }
      return new Response(stream(item, n, signal), { headers: SSE_HEADERS });
    },
  };
}

function methodNotAllowed(allow: string): Response {
  return errorResponse('openai', {
    status: 405,
    message: `Method not allowed; use ${allow}.`,
    headers: { allow: `${allow}, OPTIONS` },
  });
}
