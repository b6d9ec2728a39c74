/**
 * One timer for every sleeper due in the same millisecond: the real clock's `sleep`. A mock serving a
 * thousand paced streams has some fifty events due each millisecond; each used to start its own timer and
 * add and remove an abort listener. Here a sleep joins the bucket of its due millisecond (rounded up, so
 * it never wakes early), the bucket's one timer wakes its sleepers in the order they slept, and each
 * abort signal gets one listener for all its sleeps (a stream's whole life), not one per sleep.
 *
 * An aborted sleep rejects with the signal's reason at once and leaves its bucket; a bucket left empty
 * frees its timer, so an aborted stream leaves nothing scheduled. The timer functions and the time are
 * injected (`TimerHost`), so tests drive it by hand; the virtual clock does not use it.
 */

/** What the batch runs on: a time in ms and one-shot timers. */
export interface TimerHost {
  now(): number;
  setTimer(fire: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface TimerBatch {
  /** Resolves once `ms` have passed (in the first millisecond boundary after); see `Clock.sleep`. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** `sleep` without a promise: calls `due` when it would resolve, or `aborted` when it would reject. */
  wake(ms: number, due: () => void, aborted: (reason: unknown) => void, signal?: AbortSignal): void;
  /** Timers started and not yet fired or freed. */
  readonly timers: number;
}

interface Bucket {
  at: number;
  handle: unknown;
  sleepers: Set<Sleeper>;
}

interface Sleeper {
  bucket: Bucket;
  signal: AbortSignal | undefined;
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
      if (sleeper.signal) watched.get(sleeper.signal)?.delete(sleeper);
      // A `wake` callback runs here, in the timer's task: one that throws (a bug) must not keep the
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

  /** Joins the bucket of the millisecond `ms` from now (rounded up: never early), starting its timer. */
  const join = (
    ms: number,
    resolve: () => void,
    reject: (reason: unknown) => void,
    signal: AbortSignal | undefined,
  ): void => {
    const now = host.now();
    const at = Math.ceil(now + Math.max(0, ms));
    let bucket = buckets.get(at);
    if (!bucket) {
      const created: Bucket = { at, handle: undefined, sleepers: new Set() };
      created.handle = host.setTimer(() => fire(created), at - now);
      buckets.set(at, created);
      bucket = created;
    }
    const sleeper: Sleeper = { bucket, signal, resolve, reject };
    bucket.sleepers.add(sleeper);
    if (signal) watch(signal, sleeper);
  };

  return {
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortReason(signal));
        if (ms <= 0 && !signal) return resolve();
        join(ms, resolve, reject, signal);
      });
    },
    wake(ms, due, aborted, signal) {
      if (signal?.aborted) return aborted(abortReason(signal));
      join(ms, due, aborted, signal);
    },
    get timers() {
      return buckets.size;
    },
  };
}
