/**
 * One timer for every sleeper due in the same millisecond: the real clock's `sleep`. A mock serving a
 * thousand paced streams has some fifty events due each millisecond; each used to start its own timer and
 * add and remove an abort listener. Here a sleep joins the bucket of its due millisecond (rounded up, so
 * it never wakes early), the bucket's one timer wakes its sleepers in the order they slept, and each
 * abort signal gets one listener for all its sleeps (a stream's whole life), not one per sleep.
 *
 * An aborted sleep rejects with the signal's reason at once and leaves its bucket; a bucket left empty
 * frees its timer, so an aborted stream leaves nothing scheduled. An alarm is a sleeper that is set again
 * and again (a stream's next frame): it is made, and watches its signal, once, so a wake-up allocates
 * nothing. The timer functions and the time are injected (`TimerHost`), so tests drive it by hand; the
 * virtual clock does not use it.
 */

/** What the batch runs on: a time in ms and one-shot timers. */
export interface TimerHost {
  now(): number;
  setTimer(fire: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** A reusable callback sleeper (`Clock.alarm`). */
export interface Alarm {
  /**
   * Calls `due` once `ms` have passed (re-arming it if it was set), or `aborted` with the signal's reason
   * if the signal aborts first, or at once if it already has.
   */
  set(ms: number): void;
}

export interface TimerBatch {
  /** Resolves once `ms` have passed (in the first millisecond boundary after); see `Clock.sleep`. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** An alarm: `sleep` without a promise, set again and again; see `Clock.alarm`. */
  alarm(due: () => void, aborted: (reason: unknown) => void, signal?: AbortSignal): Alarm;
  /** Timers started and not yet fired or freed. */
  readonly timers: number;
}

interface Bucket {
  at: number;
  handle: unknown;
  sleepers: Set<Sleeper>;
}

interface Sleeper {
  /** The bucket it sleeps in; `undefined` while an alarm is not set. */
  bucket: Bucket | undefined;
  signal: AbortSignal | undefined;
  /** An alarm's: it stays watched between wake-ups (a sleep's leaves its signal when it wakes). */
  reused: boolean;
  resolve(): void;
  reject(reason: unknown): void;
}

/** The reason an aborted sleep rejects with: the signal's, or an `AbortError`. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function createTimerBatch(host: TimerHost): TimerBatch {
  const buckets = new Map<number, Bucket>();
  const watched = new WeakMap<AbortSignal, Set<Sleeper>>();

  const fire = (bucket: Bucket): void => {
    buckets.delete(bucket.at);
    let failure: { error: unknown } | undefined;
    for (const sleeper of bucket.sleepers) {
      sleeper.bucket = undefined;
      if (sleeper.signal && !sleeper.reused) watched.get(sleeper.signal)?.delete(sleeper);
      // An alarm's callback runs here, in the timer's task: one that throws (a bug) must not keep the
      // bucket's other sleepers asleep. Its error is thrown once they are all awake.
      try {
        sleeper.resolve();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  };
  const leave = (sleeper: Sleeper): void => {
    const { bucket } = sleeper;
    if (!bucket) return;
    sleeper.bucket = undefined;
    bucket.sleepers.delete(sleeper);
    if (bucket.sleepers.size > 0 || buckets.get(bucket.at) !== bucket) return;
    buckets.delete(bucket.at);
    host.clearTimer(bucket.handle);
  };
  const watch = (signal: AbortSignal, sleeper: Sleeper): void => {
    let sleepers = watched.get(signal);
    if (!sleepers) {
      const own = new Set<Sleeper>();
      sleepers = own;
      watched.set(signal, own);
      signal.addEventListener(
        'abort',
        () => {
          for (const s of own) {
            // An alarm that is not set has nothing to reject (its next `set` will, at once).
            if (!s.bucket) continue;
            leave(s);
            s.reject(abortReason(signal));
          }
          own.clear();
        },
        { once: true },
      );
    }
    sleepers.add(sleeper);
  };

  /** Puts `sleeper` in the bucket of the millisecond `ms` from now (rounded up: never early), starting its timer. */
  const join = (ms: number, sleeper: Sleeper): void => {
    const now = host.now();
    const at = Math.ceil(now + Math.max(0, ms));
    let bucket = buckets.get(at);
    if (!bucket) {
      const created: Bucket = { at, handle: undefined, sleepers: new Set() };
      created.handle = host.setTimer(() => fire(created), at - now);
      buckets.set(at, created);
      bucket = created;
    }
    sleeper.bucket = bucket;
    bucket.sleepers.add(sleeper);
  };

  return {
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortReason(signal));
        if (ms <= 0 && !signal) return resolve();
        const sleeper: Sleeper = { bucket: undefined, signal, reused: false, resolve, reject };
        join(ms, sleeper);
        if (signal) watch(signal, sleeper);
      });
    },
    alarm(due, aborted, signal) {
      const sleeper: Sleeper = {
        bucket: undefined,
        signal,
        reused: true,
        resolve: due,
        reject: aborted,
      };
      let watching = false;
      return {
        set(ms) {
          if (signal?.aborted) return aborted(abortReason(signal));
          leave(sleeper);
          join(ms, sleeper);
          if (signal && !watching) {
            watching = true;
            watch(signal, sleeper);
          }
        },
      };
    },
    get timers() {
      return buckets.size;
    },
  };
}
