/**
 * The plain body's frames, worked out once per response: which events travel together (those due at the
 * same moment), when, and their bytes. The plain case (no heartbeats, reads not cut) is what nearly every
 * request asks, and its whole byte schedule is known at the start: the transport reads it out one frame
 * per read, and a host that serves thousands of streams (the Node adapter, `src/mock/node/pushBody.ts`)
 * can take the plan and write each frame when it is due, without a read per event.
 *
 * The frames are encoded in one pass into one buffer, so a frame is a view, not a copy.
 */
import { encodeSseEvent } from '../../sse/index.ts';
import type { Knobs } from './knobs.ts';
import type { WireEvent } from './providers/provider.ts';

/**
 * The frames of a plain body: bytes that leave together at one moment, all in one buffer. Kept as
 * columns, not an object per frame: a mock serving a thousand streams holds every one of them for the
 * stream's life, and the garbage collector would otherwise walk (and copy) some 160 small objects per
 * stream at each young collection.
 */
export interface PlannedFrames {
  readonly count: number;
  /**
   * Every frame's bytes, back to back. A host that writes the plan itself may take them over (the Node
   * host frames them as HTTP/1.1 chunks in place, detaching this view); the columns below stay valid.
   */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Where frame k ends in `bytes` (it starts where frame k - 1 ends, the first at 0). */
  readonly ends: Uint32Array;
  /** When frame k is due, in ms after the headers. */
  readonly at: Float64Array;
  /** How many events frame k completes. */
  readonly events: Uint32Array;
  /** 1 if one of frame k's events carries tokens (the log's time to first token), else 0. */
  readonly tokens: Uint8Array;
}

/** Frame k's bytes (a view, not a copy). */
export function frameBytes(frames: PlannedFrames, k: number): Uint8Array {
  return frames.bytes.subarray(k === 0 ? 0 : frames.ends[k - 1]!, frames.ends[k]!);
}

/**
 * One SSE event as text, LF line endings (CRLF is applied later, to comments too): the shared encoder
 * from `src/sse`, so the mock and the course's own parser agree on the format.
 */
export function formatEvent(event: Pick<WireEvent, 'event' | 'data'>): string {
  return encodeSseEvent({ type: event.event, data: event.data });
}

/**
 * The text of the events due together from `events[i]` on (several when due at the same moment, if
 * `merge`), with the trace and heartbeat comments the knobs ask for, LF line endings.
 */
export function groupText(
  events: readonly WireEvent[],
  due: readonly number[],
  knobs: Pick<Knobs, 'trace' | 'heartbeat'>,
  i: number,
  merge: boolean,
): { s: string; last: number } {
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

const encoder = new TextEncoder();

/** The plain body's frames: events due at the same moment merged, CRLF applied if asked. */
export function planFrames(
  events: readonly WireEvent[],
  due: readonly number[],
  knobs: Pick<Knobs, 'trace' | 'heartbeat' | 'crlf'>,
): PlannedFrames {
  const texts: string[] = [];
  const at: number[] = [];
  const counts: number[] = [];
  const tokens: number[] = [];
  for (let i = 0; i < events.length;) {
    const { s, last } = groupText(events, due, knobs, i, true);
    texts.push(knobs.crlf ? s.replace(/\n/g, '\r\n') : s);
    let carries = 0;
    for (let k = i; k <= last; k++) if (events[k]!.tokens > 0) carries = 1;
    at.push(due[i]!);
    counts.push(last - i + 1);
    tokens.push(carries);
    i = last + 1;
  }
  const all = texts.join('');
  let bytes = encoder.encode(all);
  const ends = new Uint32Array(texts.length);
  let end = 0;
  if (bytes.length === all.length) {
    // All ASCII (nearly every reply): a frame's bytes end where its text ends.
    for (let f = 0; f < texts.length; f++) ends[f] = end += texts[f]!.length;
  } else {
    const parts = texts.map((t) => encoder.encode(t));
    bytes = new Uint8Array(bytes.length);
    for (let f = 0; f < parts.length; f++) {
      bytes.set(parts[f]!, end);
      ends[f] = end += parts[f]!.length;
    }
  }
  return {
    count: texts.length,
    bytes,
    ends,
    at: Float64Array.from(at),
    events: Uint32Array.from(counts),
    tokens: Uint8Array.from(tokens),
  };
}
