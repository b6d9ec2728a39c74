/**
 * Time warp for headless runs: time flows as usual while code works, and jumps straight to the next
 * timer whenever everything is waiting on one. A lab run is all timers and promises (the mock server
 * runs in the same thread, behind `fetch`), so a check that waits through a 1 s time to first token, a
 * 30 s stall or a 2 s `retry-after` finishes in the milliseconds of CPU it really needs, with the same
 * order of events as in real time.
 *
 * `installTimeWarp(global)` replaces `setTimeout`, `setInterval`, their `clear*`, `performance.now`,
 * `performance.mark`/`measure` (so `getEntries*` list warped times), `Date` (`new Date()`, `Date()`,
 * `Date.now`) and `AbortSignal.timeout` on `global`; the mock's real clock and the learner's code both go
 * through them, so they agree on what time it is. `performance.timeOrigin` stays as it is, which keeps
 * `timeOrigin + performance.now()` equal to `Date.now()`. Busy-wait loops still work (time keeps flowing
 * during synchronous code), and real asynchronous work the host knows of (loading a module) is
 * declared with `busy()` so no jump happens under it.
 *
 * Between jumps, time flows with `flow` (`TimeWarpOptions`): the wall clock by default; in the grader,
 * the thread's working time (`grade/thread-clock.ts`). With the wall clock, a thread the OS leaves
 * waiting for a core (a loaded machine) sees that wait as time passing: a timer callback reads a time far
 * past its due, and code whose schedule catches up on lateness (the mock sends every frame already due at
 * once, without a timer) runs ahead of a timer due before those frames, so the order of events would
 * depend on the load. Working time does not move while the thread waits, so the order is the one the
 * timers and schedules define, however busy the machine.
 *
 * Used by the Node grader (`grade/thread.ts`), never by the page: a learner watches streams in real time.
 */

/** How the warp yields to the host's event loop: `setImmediate` in Node (runs after pending I/O). */
export type YieldToLoop = (callback: () => void) => void;

export interface TimeWarp {
  /** Total time skipped so far (ms). */
  skippedMs(): number;
  /** The warped `Date` (hosts that rebuild globals after installing the warp hand it on). */
  readonly Date: DateConstructor;
  /** Marks real asynchronous work: no jump happens until `work` settles. */
  busy<T>(work: Promise<T>): Promise<T>;
  /** Puts the original functions back. Pending warped timers are dropped. */
  uninstall(): void;
}

interface Timer {
  id: number;
  due: number;
  seq: number;
  callback: (...args: unknown[]) => void;
  args: unknown[];
  delay: number;
  /** Set for `setInterval`. */
  every?: number;
}

/** What warped `setTimeout` returns: numeric like a browser id, with Node's Timeout methods. */
class WarpTimeout {
  readonly id: number;
  private readonly warp: { refresh(id: number): void };
  constructor(id: number, warp: { refresh(id: number): void }) {
    this.id = id;
    this.warp = warp;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  refresh(): this {
    this.warp.refresh(this.id);
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

export interface TimeWarpOptions {
  /**
   * What moves time between jumps, in ms (only differences count; never decreasing): the real
   * `performance.now` by default. The grader passes its thread's working time (`grade/thread-clock.ts`).
   */
  flow?: () => number;
}

type TimerGlobals = Pick<
  typeof globalThis,
  'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'performance' | 'Date'
> & { AbortSignal: typeof AbortSignal };

export function installTimeWarp(
  global: TimerGlobals,
  yieldToLoop: YieldToLoop,
  options: TimeWarpOptions = {},
): TimeWarp {
  const real = {
    setTimeout: global.setTimeout,
    clearTimeout: global.clearTimeout,
    setInterval: global.setInterval,
    clearInterval: global.clearInterval,
    now: global.performance.now.bind(global.performance),
    dateNow: global.Date.now,
    Date: global.Date,
    abortTimeout: global.AbortSignal.timeout,
    nowDescriptor: Object.getOwnPropertyDescriptor(global.performance, 'now'),
  };
  const flow = options.flow ?? real.now;
  const origin = { now: real.now(), date: real.dateNow(), flow: flow() };
  /** Time skipped by jumps. */
  let offset = 0;
  let seq = 0;
  let nextId = 1;
  let busyCount = 0;
  let pumping = false;
  /** Event-loop turns in a row with nothing due: a jump waits for two, to let pending I/O land. */
  let idleTurns = 0;
  let installed = true;
  const timers = new Map<number, Timer>();
  /** Warped time since install: what `flow` measured plus what the jumps skipped. */
  const elapsed = (): number => flow() - origin.flow + offset;
  const now = (): number => origin.now + elapsed();

  const earliest = (): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers.values())
      if (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  };

  /**
   * One step per event-loop turn, so microtasks (and anything they schedule) run between two timers,
   * as they do in real time. A jump needs a turn with nothing due and no declared work in flight.
   */
  const pump = (): void => {
    pumping = false;
    if (!installed) return;
    const next = earliest();
    if (!next) return;
    const t = now();
    if (next.due > t) {
      if (busyCount > 0) {
        // Real work in flight: wait in real time, a little at a time, then look again.
        pumping = true;
        real.setTimeout(pump, Math.min(5, next.due - t));
        return;
      }
      if (idleTurns < 2) {
        idleTurns += 1;
        pumping = true;
        yieldToLoop(pump);
        return;
      }
      offset += next.due - t;
    }
    idleTurns = 0;
    if (next.every !== undefined) {
      next.due = Math.max(next.due, now()) + next.every;
      next.seq = seq++;
    } else timers.delete(next.id);
    schedule();
    next.callback(...next.args);
  };
  const schedule = (): void => {
    if (pumping || timers.size === 0) return;
    pumping = true;
    yieldToLoop(pump);
  };

  const add = (callback: unknown, ms: unknown, args: unknown[], repeat: boolean): WarpTimeout => {
    if (typeof callback !== 'function')
      throw new TypeError('The "callback" argument must be of type function');
    const delay = Math.max(repeat ? 1 : 0, Number(ms) || 0);
    const id = nextId++;
    const timer: Timer = {
      id,
      due: now() + delay,
      seq: seq++,
      callback: callback as Timer['callback'],
      args,
      delay,
    };
    if (repeat) timer.every = delay;
    timers.set(id, timer);
    schedule();
    return new WarpTimeout(id, controls);
  };
  const controls = {
    refresh(id: number): void {
      const t = timers.get(id);
      if (t) t.due = now() + t.delay;
    },
  };
  const clear = (handle: unknown): void => {
    if (handle === undefined || handle === null) return;
    timers.delete(Number(handle));
  };

  const warpedSetTimeout = (callback: unknown, ms?: unknown, ...args: unknown[]) =>
    add(callback, ms, args, false);
  const warpedSetInterval = (callback: unknown, ms?: unknown, ...args: unknown[]) =>
    add(callback, ms, args, true);
  const define = (target: object, key: string, value: unknown): void => {
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
  };
  define(global, 'setTimeout', warpedSetTimeout);
  define(global, 'setInterval', warpedSetInterval);
  define(global, 'clearTimeout', clear);
  define(global, 'clearInterval', clear);
  define(global.performance, 'now', now);
  const dateNow = (): number => origin.date + elapsed();
  define(global.Date, 'now', dateNow);
  const WarpDate = warpedDate(real.Date, dateNow);
  define(global, 'Date', WarpDate);
  const marks = warpUserTiming(global.performance, now);
  define(global.AbortSignal, 'timeout', (ms: number) => {
    const controller = new AbortController();
    warpedSetTimeout(() => {
      controller.abort(
        new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      );
    }, ms);
    return controller.signal;
  });

  return {
    skippedMs: () => offset,
    Date: WarpDate,
    async busy<T>(work: Promise<T>): Promise<T> {
      busyCount += 1;
      try {
        return await work;
      } finally {
        busyCount -= 1;
      }
    },
    uninstall(): void {
      installed = false;
      timers.clear();
      define(global, 'setTimeout', real.setTimeout);
      define(global, 'setInterval', real.setInterval);
      define(global, 'clearTimeout', real.clearTimeout);
      define(global, 'clearInterval', real.clearInterval);
      if (real.nowDescriptor) Object.defineProperty(global.performance, 'now', real.nowDescriptor);
      else delete (global.performance as { now?: unknown }).now;
      define(global, 'Date', real.Date);
      define(global.Date, 'now', real.dateNow);
      marks.restore();
      define(global.AbortSignal, 'timeout', real.abortTimeout);
    },
  };
}

/**
 * A `Date` whose "now" is warped: `new Date()` and `Date()` read `now()`; every other form, the statics
 * and the prototype are the real `Date`'s, so `instanceof Date`, subclasses and `Date.UTC` work.
 */
function warpedDate(RealDate: DateConstructor, now: () => number): DateConstructor {
  function WarpDate(this: unknown, ...args: unknown[]): unknown {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(
      RealDate,
      args.length === 0 ? [now()] : (args as [string | number]),
      new.target,
    );
  }
  Object.setPrototypeOf(WarpDate, RealDate);
  Object.defineProperty(WarpDate, 'prototype', { value: RealDate.prototype });
  Object.defineProperty(WarpDate, 'name', { value: 'Date' });
  Object.defineProperty(WarpDate, 'length', { value: 7 });
  Object.defineProperty(WarpDate, 'now', { value: now, writable: true, configurable: true });
  return WarpDate as unknown as DateConstructor;
}

type MarkOptions = { startTime?: number; detail?: unknown };
type MeasureOptions = {
  start?: string | number;
  end?: string | number;
  duration?: number;
  detail?: unknown;
};

/**
 * `performance.mark` and `measure` at warped times: a mark without a `startTime` gets `now()`, a
 * measure without an end ends at `now()`. The entries are the platform's own, so `getEntries*`,
 * `clearMarks` and observers work unchanged.
 */
function warpUserTiming(performance: Performance, now: () => number): { restore(): void } {
  const own = {
    mark: Object.getOwnPropertyDescriptor(performance, 'mark'),
    measure: Object.getOwnPropertyDescriptor(performance, 'measure'),
  };
  const realMark = performance.mark.bind(performance);
  const realMeasure = performance.measure.bind(performance) as (
    name: string,
    options?: MeasureOptions | string,
    end?: string,
  ) => PerformanceMeasure;
  const define = (key: string, value: unknown): void => {
    Object.defineProperty(performance, key, { value, writable: true, configurable: true });
  };
  define('mark', (name: string, options?: MarkOptions) =>
    realMark(name, { ...options, startTime: options?.startTime ?? now() }),
  );
  define('measure', (name: string, start?: string | MeasureOptions, end?: string) => {
    if (typeof start === 'object' && start !== null) {
      const open =
        start.end === undefined && (start.start === undefined || start.duration === undefined);
      return realMeasure(name, open ? { ...start, end: now() } : start);
    }
    if (end !== undefined)
      return realMeasure(name, start ?? { end }, start === undefined ? undefined : end);
    return realMeasure(name, { start: start ?? 0, end: now() });
  });
  return {
    restore() {
      for (const key of ['mark', 'measure'] as const) {
        const descriptor = own[key];
        if (descriptor) Object.defineProperty(performance, key, descriptor);
        else delete (performance as unknown as Record<string, unknown>)[key];
      }
    },
  };
}
