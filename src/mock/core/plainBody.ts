/**
 * The plain body (no heartbeats, reads not cut), which is what nearly every request asks: its frames are
 * known from the start (`planFrames`). A host may take the plan and write each frame when it is due
 * (`src/mock/node/pushBody.ts`); read through the stream, it is a step per read (one clock sleep, then
 * the frame), without the shaped body's async generator. The same bytes, timing, stats and endings
 * either way.
 */
import { frameBytes, type PlannedFrames } from './bodyPlan.ts';
import type { BodyPlan } from './bodySource.ts';
import type { BodyLife } from './transport.ts';

/** The plan over `frames`; `cancel` stops the body as cancelling its stream does. */
export function plainPlan(
  frames: PlannedFrames,
  life: BodyLife,
  cancel: (reason?: unknown) => void,
): BodyPlan {
  const { clock, start, stats } = life;
  let counted = 0;
  const dueIn = (i: number): number => start + frames.at[i]! - clock.now();
  return {
    frames,
    dueIn,
    wait(i) {
      const wait = dueIn(i);
      return wait > 0 ? clock.sleep(wait, life.signal) : Promise.resolve();
    },
    alarm(due, aborted) {
      const alarm = clock.alarm(due, aborted, life.signal);
      return { at: (i) => alarm.set(dueIn(i)) };
    },
    sent(upTo) {
      if (upTo <= counted) return;
      for (let k = counted; k < upTo; k++) {
        if (stats.firstTokenAt === undefined && frames.tokens[k]) stats.firstTokenAt = clock.now();
        stats.events += frames.events[k]!;
      }
      stats.bytes += frames.ends[upTo - 1]! - (counted === 0 ? 0 : frames.ends[counted - 1]!);
      counted = upTo;
    },
    end: () =>
      life.afterLast().then(
        () => life.finish('complete'),
        (error: unknown) => {
          throw life.failed(error);
        },
      ),
    cancel,
  };
}

/**
 * The plan read one frame per read, for the stream and the hosts that pull: a frame counts as handed
 * over once the reader comes back for more (it has all its bytes).
 */
export function plainSteps(
  plan: BodyPlan,
  life: BodyLife,
): { next(): Promise<IteratorResult<Uint8Array, void>> } {
  let i = 0;
  let ended = false;
  const frame = (): IteratorResult<Uint8Array, void> => ({
    done: false,
    value: frameBytes(plan.frames, i++),
  });
  return {
    next() {
      plan.sent(i);
      if (i < plan.frames.count) return plan.wait(i).then(frame);
      if (ended) return Promise.resolve({ done: true, value: undefined });
      ended = true;
      return life.afterLast().then(() => ({ done: true, value: undefined }));
    },
  };
}
