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
import { planFrames } from './bodyPlan.ts';
export { formatEvent } from './bodyPlan.ts';
import { withBodySource, type BodySource } from './bodySource.ts';
import type { Clock } from './clock.ts';
import type { Knobs } from './knobs.ts';
import { plainPlan, plainSteps } from './plainBody.ts';
import type { Prng } from './prng.ts';
import type { WireEvent } from './providers/provider.ts';
import { shapedSteps } from './shapedBody.ts';

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

/**
 * What every body shares, whichever way its bytes are made: the clock and the moment the schedule
 * counts from, the abort that stops it, its stats, how it ends after its last event, and the log.
 */
export interface BodyLife {
  clock: Clock;
  knobs: Knobs;
  rng: Prng;
  /** How the body ends after its last event. */
  ending: Ending;
  /** Clock time the schedule's offsets count from (the headers). */
  start: number;
  /** Aborted when the body is cancelled or its request aborted: every sleep of the body takes it. */
  signal: AbortSignal;
  stats: TransportStats;
  /** Call after the last event was handed over: resolves, or rejects as the scenario drops. */
  afterLast(): Promise<void>;
  /** Records how a body that failed ended (aborted, or dropped by its scenario); returns what to throw. */
  failed(error: unknown): unknown;
  /** Records the outcome and writes the log, once. */
  finish(outcome: TransportStats['outcome']): void;
}

/** The response body for `events`, paced and shaped by `options.knobs`. */
export function createEventStream(
  events: readonly WireEvent[],
  options: TransportOptions,
): ReadableStream<Uint8Array> {
  const { knobs } = options;
  const abort = new AbortController();
  const life = bodyLife(options, abort);
  const due = schedule(events, knobs, options.rng);
  // The plain case keeps only its frames: the events (and their strings) are not held by the body.
  const plan =
    knobs.heartbeat || knobs.max_read_bytes !== 0
      ? undefined
      : plainPlan(planFrames(events, due, knobs), life, (reason) => source.cancel(reason));
  const it = plan ? plainSteps(plan, life) : shapedSteps(events, due, life);
  let cancelled = false;
  const source: BodySource = {
    plan,
    read() {
      if (cancelled) return Promise.resolve(undefined);
      return it.next().then(
        (r) => {
          if (!r.done) return r.value;
          life.finish('complete');
          return undefined;
        },
        (error: unknown) => {
          // A cancelled stream's pending read ends quietly, as `ReadableStream` does.
          if (cancelled) return undefined;
          throw life.failed(error);
        },
      );
    },
    cancel(reason) {
      cancelled = true;
      abort.abort(reason);
      life.finish('aborted');
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

/** The body's shared life (`BodyLife`): `abort` is aborted with the request's signal. */
function bodyLife(options: TransportOptions, abort: AbortController): BodyLife {
  const { clock, knobs, ending } = options;
  const onOuterAbort = (): void => {
    abort.abort(options.signal?.reason);
    finish('aborted');
  };
  if (options.signal?.aborted) abort.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const stats: TransportStats = { events: 0, bytes: 0, outcome: 'complete' };
  let finished = false;
  const finish = (outcome: TransportStats['outcome']): void => {
    if (finished) return;
    finished = true;
    stats.outcome = outcome;
    options.signal?.removeEventListener('abort', onOuterAbort);
    options.onDone?.(stats);
  };
  return {
    clock,
    knobs,
    rng: options.rng,
    ending,
    start: clock.now(),
    signal: abort.signal,
    stats,
    finish,
    async afterLast() {
      if (ending === 'stall') await clock.sleep(knobs.stall_ms, abort.signal);
      if (ending !== 'end') {
        throw new ConnectionDropped(
          ending === 'stall'
            ? `streamlab: connection dropped after a ${knobs.stall_ms} ms stall (scenario stall)`
            : 'streamlab: connection dropped mid-stream (scenario disconnect)',
        );
      }
    },
    failed(error) {
      if (abort.signal.aborted) {
        finish('aborted');
        return abort.signal.reason;
      }
      stats.reason =
        error instanceof Error ? error.message.replace(/^streamlab: /, '') : String(error);
      finish('dropped');
      return error;
    },
  };
}
