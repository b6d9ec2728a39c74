/**
 * The shaped body: heartbeat comments while waiting, and reads cut to split events, lines, CRLF pairs and
 * UTF-8 characters, spread out in time (`max_read_bytes`, `read_gap_ms`). One event per read before it
 * is cut; the cut is seeded, so the same request is cut the same way.
 */
import { groupText } from './bodyPlan.ts';
import type { WireEvent } from './providers/provider.ts';
import type { BodyLife } from './transport.ts';

const encoder = new TextEncoder();

/** The shaped body's reads, as an async generator: it ends with the body's ending (`afterLast`). */
export async function* shapedSteps(
  events: readonly WireEvent[],
  due: readonly number[],
  life: BodyLife,
): AsyncGenerator<Uint8Array, void> {
  const { clock, knobs, rng, start, stats, signal } = life;
  const eol = knobs.crlf ? '\r\n' : '\n';
  const text = (s: string): Uint8Array => encoder.encode(knobs.crlf ? s.replace(/\n/g, eol) : s);

  /** Waits until `at` (ms after start), sending heartbeat comments while waiting when enabled. */
  async function* waitUntil(at: number): AsyncGenerator<Uint8Array> {
    for (;;) {
      const wait = start + at - clock.now();
      if (wait <= 0) return;
      if (knobs.heartbeat && wait > knobs.heartbeat_ms) {
        await clock.sleep(knobs.heartbeat_ms, signal);
        yield text(': heartbeat\n');
      } else {
        return sleepUntil(at);
      }
    }
  }

  /** Sleeps until `at` ms after the stream's start (at once if that has passed). */
  async function sleepUntil(at: number): Promise<void> {
    const wait = start + at - clock.now();
    if (wait > 0) await clock.sleep(wait, signal);
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

  /** Counts an event once the reader has come back for more (it has all its bytes). */
  function handedOver(i: number): void {
    if (stats.firstTokenAt === undefined && events[i]!.tokens > 0) stats.firstTokenAt = clock.now();
    stats.events++;
  }

  let carry: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < events.length; i++) {
    // Heartbeats need a generator, to send while waiting; without them, no generator per event.
    if (knobs.heartbeat) yield* waitUntil(due[i]!);
    else await sleepUntil(due[i]!);
    // One event per read here: this path is taken only for heartbeats or cut reads.
    const body = text(groupText(events, due, knobs, i, false).s);
    const bytes = carry.length ? concat(carry, body) : body;
    const { now, carry: rest } = cut(bytes, i === events.length - 1 && life.ending === 'end');
    carry = rest;
    for (let p = 0; p < now.length; p++) {
      if (p > 0 && knobs.read_gap_ms > 0) await clock.sleep(knobs.read_gap_ms, signal);
      stats.bytes += now[p]!.length;
      yield now[p]!;
    }
    handedOver(i);
  }
  if (carry.length) {
    stats.bytes += carry.length;
    yield carry;
  }
  await life.afterLast();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
