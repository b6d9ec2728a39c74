/**
 * Time, injected. Every delay in the mock server, the transport shaper and the recorder goes through a
 * `Clock`, so that a five-second scenario runs in milliseconds under test and exactly on schedule in a
 * browser or in Node.
 */
import { abortReason, createTimerBatch, type Alarm } from './timerBatch.ts';

export type { Alarm } from './timerBatch.ts';

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /**
   * Resolves after `ms` milliseconds. Rejects with the signal's reason as soon as `signal` aborts, and
   * frees its timer at once, so an aborted stream leaves nothing scheduled.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * `sleep` with callbacks instead of a promise, made once and set again for each wait: `set(ms)` calls
   * `due` when such a sleep would resolve, `aborted` (with the signal's reason) when it would reject. For
   * a host's per-frame path, where a promise per wait was a tenth of the mock's CPU at a thousand
   * streams, and a sleeper made per wait was most of what the rest allocated.
   */
  alarm(due: () => void, aborted: (reason: unknown) => void, signal?: AbortSignal): Alarm;
}

const batch = createTimerBatch({
  now: () => performance.now(),
  setTimer: (fire, ms) => setTimeout(fire, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

/**
 * The real clock: `performance.now()` and `setTimeout`, available in browsers, workers and Node. Sleeps
 * due in the same millisecond share one timer (`timerBatch.ts`).
 */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => batch.sleep(ms, signal),
  alarm: (due, aborted, signal) => batch.alarm(due, aborted, signal),
};

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * A virtual clock for tests: time stands still until the test advances it, and sleepers wake in order.
 * `runAll()` drains every pending sleeper (and the ones they schedule), so a paced stream can be consumed
 * to its end without waiting.
 */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, waking every sleeper due by then, in order. */
  advance(ms: number): Promise<void>;
  /** Keeps advancing to the next sleeper until none is left (or `limit` wake-ups, to catch loops). */
  runAll(limit?: number): Promise<void>;
  /** How many sleepers are waiting. */
  readonly pending: number;
}

/** Yields to the microtask and macrotask queues so that code woken by a sleeper can run to its next await. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function createVirtualClock(start = 0): VirtualClock {
  let now = start;
  let seq = 0;
  const sleepers: Sleeper[] = [];
  const wakeDue = async (until: number): Promise<void> => {
    for (;;) {
      await settle();
      sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = sleepers[0];
      if (!next || next.at > until) break;
      sleepers.shift();
      now = Math.max(now, next.at);
      next.resolve();
    }
    now = Math.max(now, until);
  };
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const sleeper: Sleeper = {
        at: now + Math.max(0, ms),
        seq: seq++,
        resolve: () => resolve(),
      };
      const onAbort = (): void => {
        const i = sleepers.indexOf(sleeper);
        if (i >= 0) sleepers.splice(i, 1);
        reject(abortReason(signal!));
      };
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
  return {
    now: () => now,
    sleep,
    alarm: (due, aborted, signal) => ({
      set: (ms) => void sleep(ms, signal).then(due, aborted),
    }),
    advance: (ms) => wakeDue(now + ms),
    async runAll(limit = 1_000_000) {
      for (let i = 0; i < limit; i++) {
        await settle();
        if (sleepers.length === 0) {
          await settle();
          if (sleepers.length === 0) return;
        }
        const next = sleepers.reduce((a, b) =>
          b.at < a.at || (b.at === a.at && b.seq < a.seq) ? b : a,
        );
        await wakeDue(next.at);
      }
      throw new Error(
        `VirtualClock.runAll: still ${sleepers.length} sleepers after ${limit} wake-ups`,
      );
    },
    get pending() {
      return sleepers.length;
    },
  };
}
