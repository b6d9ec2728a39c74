import { describe, expect, it } from 'vitest';
import { createRerunner, type Timers } from './rerun.ts';

/** Timers run by hand. */
function manualTimers(): Timers & { fire(): void; pending(): number } {
  let next: (() => void) | undefined;
  return {
    set: (fn) => ((next = fn), fn),
    clear: (handle) => {
      if (handle === next) next = undefined;
    },
    fire: () => {
      const fn = next;
      next = undefined;
      fn?.();
    },
    pending: () => (next ? 1 : 0),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createRerunner', () => {
  it('runs once the values settle, with the latest; a change during a run stops it and runs the latest after', async () => {
    const timers = manualTimers();
    const runs: number[] = [];
    const ends: (() => void)[] = [];
    let stops = 0;
    const rerun = createRerunner<number>({
      delayMs: 300,
      timers,
      run: (v) => {
        runs.push(v);
        return new Promise<void>((resolve) => ends.push(resolve));
      },
      stop: () => {
        stops++;
        ends.shift()?.();
      },
    });
    rerun.change(1);
    rerun.change(2);
    rerun.change(3);
    expect(runs).toEqual([]);
    timers.fire();
    expect(runs).toEqual([3]);
    rerun.change(4);
    rerun.change(5);
    timers.fire();
    expect(stops).toBe(1);
    await tick();
    expect(runs).toEqual([3, 5]);
    rerun.dispose();
    rerun.change(6);
    expect(timers.pending()).toBe(0);
  });
});
