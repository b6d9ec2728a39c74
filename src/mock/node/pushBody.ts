/**
 * Writes a planned body (`BodyPlan`: a plain stream's whole byte schedule, known from the start) to the
 * response's socket, each frame when it is due: no read, promise chain or framing per event. The frames
 * are framed as HTTP/1.1 chunks once, in the plan's own buffer (`frameInPlace`), so the frames due at a moment (one, or several
 * after a late wake-up) leave as one `write` of a view of that buffer. Waits for the plan's clock between
 * frames; sleepers due in the same millisecond share one timer (`timerBatch.ts`), so a thousand streams
 * cost about one timer per millisecond, as a bare replay server's would.
 *
 * Only for a response that owns its socket and frames its body as chunks (`directSocket`): the headers
 * wait, corked, for the frames due at once and leave in the same write. Backpressure is the socket's
 * `drain`: frames that fall due meanwhile leave together after it, in writes of at most `MAX_WRITE`
 * bytes (a slow reader's backlog stays in the plan, not in the socket's buffer). After the last frame
 * the plan says how the body ends: the terminating chunk (`res.end()`), or the connection dropped as
 * the scenario asks.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { BodyPlan, PlannedFrames } from '../core/index.ts';
import { waitForDrain } from './coalesce.ts';
import { dropConnection } from './drop.ts';

/**
 * The most one write sends (unless one frame is larger): a socket's default high-water mark. Past it the
 * socket asks for a drain, and the frames due meanwhile wait for it.
 */
export const MAX_WRITE = 64 * 1024;

const CR = 13;
const LF = 10;
const HEX = '0123456789abcdef';

/** Hex digits of `n` (n > 0). */
function hexDigits(n: number): number {
  let digits = 1;
  while (n >= 16 ** digits) digits++;
  return digits;
}

/**
 * Every frame as an HTTP/1.1 chunk, back to back in one buffer; frame k is `wire[offsets[k], offsets[k+1])`.
 * Made in place: the plan's `bytes` are taken over (`ArrayBuffer.prototype.transfer`, which detaches
 * them: the plan keeps only its columns) and grown by the chunk heads and line ends, and the frames are
 * moved to their places, last first. So a pushed stream holds its reply once, not twice, and framing it
 * allocates nothing per frame.
 */
export function frameInPlace(frames: PlannedFrames): { wire: Buffer; offsets: Uint32Array } {
  const { count, ends } = frames;
  const sizeOf = (k: number): number => ends[k]! - (k === 0 ? 0 : ends[k - 1]!);
  const offsets = new Uint32Array(count + 1);
  for (let k = 0; k < count; k++) {
    offsets[k + 1] = offsets[k]! + hexDigits(sizeOf(k)) + 2 + sizeOf(k) + 2;
  }
  const from = frames.bytes;
  // The view may start inside its buffer: take over only what it covers.
  const owned = from.byteOffset === 0 ? from.buffer : from.slice().buffer;
  const wire = Buffer.from(owned.transfer(offsets[count]!));
  for (let k = count - 1; k >= 0; k--) {
    const size = sizeOf(k);
    const digits = hexDigits(size);
    let at = offsets[k]!;
    wire.copyWithin(at + digits + 2, ends[k]! - size, ends[k]!);
    for (let d = digits - 1; d >= 0; d--) wire[at++] = HEX.charCodeAt((size >> (4 * d)) & 15);
    wire[at++] = CR;
    wire[at] = LF;
    wire[offsets[k + 1]! - 2] = CR;
    wire[offsets[k + 1]! - 1] = LF;
  }
  return { wire, offsets };
}

/**
 * Sends `plan` on `socket` (the response's own, see `directSocket`), after `res.writeHead()`. Resolves
 * once the body has ended, been dropped, or `signal` aborted (the client left); never rejects.
 */
export function pushBody(
  res: ServerResponse,
  socket: Socket,
  plan: BodyPlan,
  signal: AbortSignal,
): Promise<void> {
  const { wire, offsets } = frameInPlace(plan.frames);
  const n = plan.frames.count;
  let i = 0;
  return new Promise<void>((resolve) => {
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => {
      plan.cancel(signal.reason);
      settle();
    };
    const step = (): void => {
      if (settled) return;
      // The frames due now, in writes of at most MAX_WRITE bytes (or one frame): for a reader slower than
      // the schedule, what falls due waits here until the socket drains, not in the socket's buffer.
      while (i < n && !socket.writableNeedDrain && plan.dueIn(i) <= 0) {
        const cap = offsets[i]! + MAX_WRITE;
        let j = i + 1;
        while (j < n && offsets[j + 1]! <= cap && plan.dueIn(j) <= 0) j++;
        if (!socket.destroyed) socket.write(wire.subarray(offsets[i]!, offsets[j]!));
        i = j;
        plan.sent(i);
      }
      if (i === n) {
        plan.end().then(
          () => {
            res.end();
            settle();
          },
          () => {
            dropConnection(res);
            settle();
          },
        );
      } else if (socket.writableNeedDrain) {
        void waitForDrain(socket, res).then(step);
      } else {
        alarm.at(i);
      }
    };
    // One alarm for the whole body: a wait for the next frame allocates nothing.
    const alarm = plan.alarm(step, settle);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    // The headers wait in the corked socket for the frames due at once (the role chunk, say).
    socket.cork();
    res.flushHeaders();
    step();
    socket.uncork();
  });
}
