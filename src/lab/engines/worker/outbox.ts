/**
 * The worker's outbox: run messages go to the page in batches, at most one post per `windowMs`.
 *
 * A run under the `fast` scenario resolves its whole stream in one long chain of microtasks, emitting a
 * message per read, event and console line. Posted one burst at a time (a microtask each), that was
 * about 150 posts in 35 ms, each a task on the page's main thread, and the page's next frame (the one
 * that shows the first chunk) waited behind them. The page renders at most once a frame, so it loses
 * nothing by getting them a few at a time:
 * - a message after a quiet spell of `windowMs` goes at once (after the current burst of synchronous
 *   work, as one post), so the first message of a run is never held;
 * - a message inside the window waits for the next emit after the window ends (a long microtask chain
 *   never lets a timer run) or for a timer at the window's end (the last messages of a burst).
 *
 * Pure: the clock, the timer and the microtask queue are passed in.
 */
export interface OutboxOptions<T> {
  post: (batch: T[]) => void;
  now: () => number;
  windowMs: number;
  setTimer: (callback: () => void, ms: number) => void;
  queueMicrotask: (callback: () => void) => void;
}

export function createOutbox<T>(options: OutboxOptions<T>): (message: T) => void {
  const { post, now, windowMs, setTimer } = options;
  let queue: T[] = [];
  let lastPost = -Infinity;
  let flushQueued = false;
  let timerSet = false;
  const flush = (): void => {
    flushQueued = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    lastPost = now();
    post(batch);
  };
  const onTimer = (): void => {
    timerSet = false;
    if (!flushQueued) flush();
  };
  return (message) => {
    queue.push(message);
    if (flushQueued) return;
    const wait = lastPost + windowMs - now();
    if (wait <= 0) {
      flushQueued = true;
      options.queueMicrotask(flush);
    } else if (!timerSet) {
      timerSet = true;
      setTimer(onTimer, wait);
    }
  };
}
