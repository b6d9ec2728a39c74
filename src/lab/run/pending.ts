/**
 * Counts the timers lab code has pending, so that a run stopped at its time limit can say what it was
 * waiting for (`limits.ts`). Wraps `setTimeout`/`setInterval` and their `clear*` on the sandbox's global
 * (after the grader's time warp, if any, so it counts warped timers too). Installed by the sandbox hosts
 * (`engines/worker/entry.ts`, `grade/thread.ts`), which answer the host's probe with `pendingTimers()`.
 */
type TimerGlobal = Pick<
  typeof globalThis,
  'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval'
>;

export interface TimerTracker {
  /** Timeouts not yet fired or cleared, plus intervals not cleared. */
  pending(): number;
}

export function trackTimers(global: TimerGlobal): TimerTracker {
  const live = new Set<unknown>();
  const key = (handle: unknown): unknown =>
    typeof handle === 'object' && handle !== null ? Number(handle) : handle;
  // Bound to the global: browsers throw "Illegal invocation" when a timer is called on another object.
  const real = {
    setTimeout: global.setTimeout.bind(global),
    clearTimeout: global.clearTimeout.bind(global),
    setInterval: global.setInterval.bind(global),
    clearInterval: global.clearInterval.bind(global),
  };
  const define = (name: keyof TimerGlobal, value: unknown): void => {
    Object.defineProperty(global, name, { value, writable: true, configurable: true });
  };
  define('setTimeout', (callback: unknown, ms?: unknown, ...args: unknown[]) => {
    const slot: { id?: unknown } = {};
    const fire = (...a: unknown[]): void => {
      live.delete(slot.id);
      if (typeof callback === 'function') (callback as (...x: unknown[]) => void)(...a);
    };
    const handle = (real.setTimeout as (...x: unknown[]) => unknown)(
      typeof callback === 'function' ? fire : callback,
      ms,
      ...args,
    );
    slot.id = key(handle);
    live.add(slot.id);
    return handle;
  });
  define('setInterval', (callback: unknown, ms?: unknown, ...args: unknown[]) => {
    const handle = (real.setInterval as (...x: unknown[]) => unknown)(callback, ms, ...args);
    live.add(key(handle));
    return handle;
  });
  const clear =
    (realClear: (handle: never) => void) =>
    (handle: unknown): void => {
      live.delete(key(handle));
      realClear(handle as never);
    };
  define('clearTimeout', clear(real.clearTimeout));
  define('clearInterval', clear(real.clearInterval));
  return { pending: () => live.size };
}
