/**
 * The transport shaper: turns a provider's events into the bytes of a response body, on a schedule
 * kept by an injectable clock, and applies the transport knobs (line endings, heartbeat comments,
 * reads that split events, lines, CRLF pairs and UTF-8 characters) and the connection faults (drop,
 * stall). It never changes what is said: only when and in which pieces the bytes travel.
 *
 * The body is a pull-based `ReadableStream` with `highWaterMark: 0`, so nothing is produced ahead of the
 * reader (backpressure), and an abort of the request or a cancel of the body stops the schedule and frees
 * its timer at once.
 */
import { encodeSseEvent } from '../../sse/index.ts';
import { withBodySource, type BodySource } from './bodySource.ts';
import type { Clock } from './clock.ts';
import type { Knobs } from './knobs.ts';
import type { Prng } from './prng.ts';
import type { WireEvent } from './providers/provider.ts';

/** How the body ends after its last event. */
export type Ending = 'end' | 'disconnect' | 'stall';

/** Outcome of one body, for logs and tests. */
export interface TransportStats {
  /** Events whose bytes were all handed to the reader. */
  events: number;
  bytes: number;
  /** `complete`: ended normally; `dropped`: a fault errored the stream; `aborted`: the client went away. */
  outcome: 'complete' | 'dropped' | 'aborted';
  /** What dropped the stream (the error it was failed with). */
  reason?: string;
  /** Clock time when the first token-carrying event was handed to the reader. */
  firstTokenAt?: number;
}

export interface TransportOptions {
  clock: Clock;
  knobs: Knobs;
  rng: Prng;
  ending: Ending;
  /** Aborts the schedule (the request's signal). */
  signal?: AbortSignal;
  onDone?: (stats: TransportStats) => void;
}

/** Thrown into the body stream when a scenario drops the connection. */
export class ConnectionDropped extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionDropped';
  }
}

/**
 * One SSE event as text, LF line endings (CRLF is applied later, to comments too): the shared encoder
 * from `src/sse`, so the mock and the course's own parser agree on the format.
 */
export function formatEvent(event: Pick<WireEvent, 'event' | 'data'>): string {
  return encodeSseEvent({ type: event.event, data: event.data });
}

/**
 * When each event is due, in ms after the headers: structural events go with their neighbours, the first
 * token-carrying event at `ttft_ms`, each later one `tokens / tps` seconds after the previous, shifted by
 * seeded jitter but never earlier than the event before it.
 */
export function schedule(events: readonly WireEvent[], knobs: Knobs, rng: Prng): number[] {
  const out: number[] = [];
  let t = 0;
  let seenToken = false;
  let prev = 0;
  for (const e of events) {
    if (e.tokens > 0) {
      t = seenToken ? t + (e.tokens / knobs.tps) * 1000 : knobs.ttft_ms;
      seenToken = true;
      const jitter = knobs.jitter_ms > 0 ? (rng.next() * 2 - 1) * knobs.jitter_ms : 0;
      prev = Math.max(prev, t + jitter);
    }
    out.push(prev);
  }
  return out;
}

const encoder = new TextEncoder();

/** The response body for `events`, paced and shaped by `options.knobs`. */
export function createEventStream(
  events: readonly WireEvent[],
  options: TransportOptions,
): ReadableStream<Uint8Array> {
  const { clock, knobs, rng, ending } = options;
  const abort = new AbortController();
  const onOuterAbort = (): void => {
    abort.abort(options.signal?.reason);
    finish('aborted');
  };
  if (options.signal?.aborted) abort.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const due = schedule(events, knobs, rng);
  const eol = knobs.crlf ? '\r\n' : '\n';
  const stats: TransportStats = { events: 0, bytes: 0, outcome: 'complete' };
  let finished = false;
  const finish = (outcome: TransportStats['outcome']): void => {
    if (finished) return;
    finished = true;
    stats.outcome = outcome;
    options.signal?.removeEventListener('abort', onOuterAbort);
    options.onDone?.(stats);
  };
  const start = clock.now();
  const text = (s: string): Uint8Array => encoder.encode(knobs.crlf ? s.replace(/\n/g, eol) : s);

  /** Waits until `at` (ms after start), sending heartbeat comments while waiting when enabled. */
  async function* waitUntil(at: number): AsyncGenerator<Uint8Array> {
    for (;;) {
      const wait = start + at - clock.now();
      if (wait <= 0) return;
      if (knobs.heartbeat && wait > knobs.heartbeat_ms) {
        await clock.sleep(knobs.heartbeat_ms, abort.signal);
        yield text(': heartbeat\n');
      } else {
        return sleepUntil(at);
      }
    }
  }

  /** Sleeps until `at` ms after the stream's start (at once if that has passed). */
  async function sleepUntil(at: number): Promise<void> {
    const wait = start + at - clock.now();
    if (wait > 0) await clock.sleep(wait, abort.signal);
  }

  /** Cuts `bytes` into reads per `max_read_bytes`; returns the pieces to send now and the carry. */
  function cut(bytes: Uint8Array, last: boolean): { now: Uint8Array[]; carry: Uint8Array } {
    const max = knobs.max_read_bytes;
    if (max === 0) return { now: [bytes], carry: new Uint8Array(0) };
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const n = max === 1 ? 1 : rng.int(1, max);
      pieces.push(bytes.subarray(i, i + n));
      i += n;
    }
    // Hold back the tail of this event until the next one half of the time, so reads cross events.
    if (!last && max > 1 && pieces.length > 1 && rng.next() < 0.5) {
      return { now: pieces.slice(0, -1), carry: pieces[pieces.length - 1]! };
    }
    return { now: pieces, carry: new Uint8Array(0) };
  }

  /** How the body ends after its last event was handed over: done, or a dropped connection. */
  async function afterLast(): Promise<void> {
    if (ending === 'stall') await clock.sleep(knobs.stall_ms, abort.signal);
    if (ending !== 'end') {
      throw new ConnectionDropped(
        ending === 'stall'
          ? `streamlab: connection dropped after a ${knobs.stall_ms} ms stall (scenario stall)`
          : 'streamlab: connection dropped mid-stream (scenario disconnect)',
      );
    }
  }

  /** The text of the events due together from `events[i]` on (several when due at the same moment). */
  function groupText(i: number, merge: boolean): { s: string; last: number } {
    let s = '';
    for (;;) {
      if (knobs.trace) s += `: sched ${due[i]!.toFixed(1)}\n`;
      if (knobs.heartbeat && i > 0) s += ': heartbeat\n';
      s += formatEvent(events[i]!);
      // Events due at the same moment travel in one read (as a server's write buffer would send them),
      // unless reads are being cut on purpose.
      if (!merge || i + 1 >= events.length || due[i + 1] !== due[i]) return { s, last: i };
      i++;
    }
  }

  /** Counts an event once the reader has come back for more (it has all its bytes). */
  function handedOver(i: number): void {
    if (stats.firstTokenAt === undefined && events[i]!.tokens > 0) stats.firstTokenAt = clock.now();
    stats.events++;
  }

  /**
   * The plain case (no heartbeats, reads not cut), which is what nearly every request asks: a step
   * per read, one clock sleep then the next group's bytes, without `produce()`'s async generator and
   * the promises its awaits and yields cost per event. The same bytes, timing, stats and endings.
   */
  function plainSteps(): { next(): Promise<IteratorResult<Uint8Array, void>> } {
    let i = 0;
    let handed = -1;
    let ended = false;
    const group = (): IteratorResult<Uint8Array, void> => {
      const { s, last } = groupText(i, true);
      stats.events += last - i;
      const value = text(s);
      stats.bytes += value.length;
      handed = last;
      i = last + 1;
      return { done: false, value };
    };
    return {
      next() {
        if (handed >= 0) handedOver(handed);
        handed = -1;
        if (i < events.length) {
          const wait = start + due[i]! - clock.now();
          if (wait <= 0) return Promise.resolve(group());
          return clock.sleep(wait, abort.signal).then(group);
        }
        if (ended) return Promise.resolve({ done: true, value: undefined });
        ended = true;
        return afterLast().then(() => ({ done: true, value: undefined }));
      },
    };
  }

  /** Every other case: heartbeats while waiting, reads cut and spread out (see `cut`). */
  async function* produce(): AsyncGenerator<Uint8Array> {
    let carry: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < events.length; i++) {
      // Heartbeats need a generator, to send while waiting; without them, no generator per event.
      if (knobs.heartbeat) yield* waitUntil(due[i]!);
      else await sleepUntil(due[i]!);
      // One event per read here: this path is taken only for heartbeats or cut reads.
      const body = text(groupText(i, false).s);
      const bytes = carry.length ? concat(carry, body) : body;
      const { now, carry: rest } = cut(bytes, i === events.length - 1 && ending === 'end');
      carry = rest;
      for (let p = 0; p < now.length; p++) {
        if (p > 0 && knobs.read_gap_ms > 0) await clock.sleep(knobs.read_gap_ms, abort.signal);
        stats.bytes += now[p]!.length;
        yield now[p]!;
      }
      handedOver(i);
    }
    if (carry.length) {
      stats.bytes += carry.length;
      yield carry;
    }
    await afterLast();
  }

  const it = knobs.heartbeat || knobs.max_read_bytes !== 0 ? produce() : plainSteps();
  let cancelled = false;
  const source: BodySource = {
    read() {
      if (cancelled) return Promise.resolve(undefined);
      return it.next().then(
        (r) => {
          if (!r.done) return r.value;
          finish('complete');
          return undefined;
        },
        (error: unknown) => {
          // A cancelled stream's pending read ends quietly, as `ReadableStream` does.
          if (cancelled) return undefined;
          if (abort.signal.aborted) {
            finish('aborted');
            throw abort.signal.reason;
          }
          stats.reason =
            error instanceof Error ? error.message.replace(/^streamlab: /, '') : String(error);
          finish('dropped');
          throw error;
        },
      );
    },
    cancel(reason) {
      cancelled = true;
      abort.abort(reason);
      finish('aborted');
    },
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await source.read();
          if (chunk === undefined) controller.close();
          else controller.enqueue(chunk);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return withBodySource(stream, source);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
