/**
 * Re-running a lab as the presenter drags a knob: a change waits `delayMs` for the next one (debounce),
 * then runs; a change while a run goes on stops it, and the latest values run once it has ended. Pure:
 * timers are injected.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface Rerunner<T> {
  /** The values changed: run with them once they settle. */
  change(value: T): void;
  dispose(): void;
}

export function createRerunner<T>(options: {
  delayMs: number;
  /** Starts a run; resolves when it has ended. */
  run: (value: T) => Promise<unknown>;
  /** Stops the run in progress. */
  stop: () => void;
  timers?: Timers;
}): Rerunner<T> {
  const timers: Timers = options.timers ?? {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  let timer: unknown;
  let running = false;
  let pending: { value: T } | undefined;
  let disposed = false;

  const start = (value: T): void => {
    running = true;
    void options
      .run(value)
      .catch(() => undefined)
      .then(() => {
        running = false;
        const next = pending;
        pending = undefined;
        if (next && !disposed) start(next.value);
      });
  };

  return {
    change(value) {
      if (disposed) return;
      timers.clear(timer);
      timer = timers.set(() => {
        if (running) {
          pending = { value };
          options.stop();
        } else start(value);
      }, options.delayMs);
    },
    dispose() {
      disposed = true;
      timers.clear(timer);
    },
  };
}
