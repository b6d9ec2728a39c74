/**
 * The grader's time source for the warp (`run/warp.ts`, its `flow`): time that moves while this thread
 * runs code and stands still while it waits for a core. On a loaded machine the OS may leave the thread
 * without one for a second; with the wall clock as its flow, the warp counted that as time passing, so a
 * learner's timer callback saw a 10 ms tick arrive 1.2 s late and freed a stream a check was about to
 * resume (correct code told it was wrong).
 *
 * The thread's CPU time alone is too coarse: Linux updates it at the scheduler's tick (every 4 ms here,
 * 10 ms on some kernels), so two reads around a little work would often be equal. So the wall clock fills
 * the gaps between CPU readings, at most `stepMs` past the last one that moved: a run of code reads time
 * as it flows, and a wait without CPU adds at most `stepMs`. Never decreasing.
 */
export interface ThreadClockSources {
  /** This thread's CPU time (ms). */
  cpu(): number;
  /** The wall clock (ms). */
  wall(): number;
  /** The longest wall-clock stretch counted without the CPU time moving (ms). */
  stepMs: number;
}

export function createThreadClock({ cpu, wall, stepMs }: ThreadClockSources): () => number {
  let cpuAt = cpu();
  let wallAt = wall();
  /** The time when the CPU reading last moved. */
  let anchor = cpuAt;
  let last = anchor;
  return () => {
    const c = cpu();
    const w = wall();
    if (c !== cpuAt) {
      // Go on from what was read already if the wall clock filled in more than the CPU did (a wait).
      anchor = Math.max(last, anchor + (c - cpuAt));
      cpuAt = c;
      wallAt = w;
    }
    last = Math.max(last, anchor + Math.min(w - wallAt, stepMs));
    return last;
  };
}

/** The clock for this thread; make it before the warp replaces `performance.now`. */
export function threadClock(): () => number {
  const now = performance.now.bind(performance);
  return createThreadClock({
    cpu: () => {
      const { user, system } = process.threadCpuUsage();
      return (user + system) / 1000;
    },
    wall: now,
    stepMs: 10,
  });
}
