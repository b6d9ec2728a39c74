import { describe, expect, it } from 'vitest';
import { installTimeWarp } from '../run/warp.ts';
import { createThreadClock, threadClock } from './thread-clock.ts';

/** CPU and wall clocks the test moves by hand. */
function sources() {
  const t = { cpu: 100, wall: 5_000 };
  const clock = createThreadClock({ cpu: () => t.cpu, wall: () => t.wall, stepMs: 10 });
  return { t, clock };
}

describe('createThreadClock', () => {
  it('between two CPU readings, counts the wall clock (a little work is not 0 ms)', () => {
    const { t, clock } = sources();
    const start = clock();
    t.wall += 0.3;
    expect(clock() - start).toBeCloseTo(0.3);
    t.wall += 3.7;
    t.cpu += 4; // the CPU reading moves at the scheduler's tick
    expect(clock() - start).toBeCloseTo(4);
    t.wall += 2;
    expect(clock() - start).toBeCloseTo(6);
  });

  it('a wait without CPU (the thread left without a core) counts at most stepMs', () => {
    const { t, clock } = sources();
    const start = clock();
    t.wall += 1_200;
    expect(clock() - start).toBe(10);
    t.wall += 1_200;
    expect(clock() - start).toBe(10);
    t.cpu += 1; // it runs again: time goes on from there
    t.wall += 0.5;
    expect(clock() - start).toBe(10);
    t.wall += 1.5;
    expect(clock() - start).toBe(11.5);
  });

  it('never goes back, even when the CPU reading is behind what the wall clock filled in', () => {
    const { t, clock } = sources();
    t.wall += 8;
    const before = clock();
    t.cpu += 2;
    expect(clock()).toBeGreaterThanOrEqual(before);
  });

  it("the grader's clock under the warp: a busy-wait loop on performance.now still ends", () => {
    const warp = installTimeWarp(globalThis, setImmediate, { flow: threadClock() });
    try {
      const start = performance.now();
      while (performance.now() - start < 5) {
        // spin
      }
      expect(performance.now() - start).toBeGreaterThanOrEqual(5);
    } finally {
      warp.uninstall();
    }
  });
});
