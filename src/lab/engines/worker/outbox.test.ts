import { describe, expect, it } from 'vitest';
import { createOutbox } from './outbox.ts';

/** An outbox on a fake clock, timer and microtask queue. */
function setup(windowMs = 4) {
  let time = 0;
  const posts: number[][] = [];
  const timers: Array<{ at: number; callback: () => void }> = [];
  const microtasks: Array<() => void> = [];
  const emit = createOutbox<number>({
    post: (batch) => posts.push(batch),
    now: () => time,
    windowMs,
    setTimer: (callback, ms) => timers.push({ at: time + ms, callback }),
    queueMicrotask: (callback) => microtasks.push(callback),
  });
  const drainMicrotasks = (): void => {
    while (microtasks.length > 0) microtasks.shift()!();
  };
  /** Moves the clock on, running the timers that fall due (each after the microtasks before it). */
  const advance = (ms: number): void => {
    time += ms;
    drainMicrotasks();
    for (const timer of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (timer.at <= time) {
        timer.callback();
        drainMicrotasks();
      } else timers.push(timer);
    }
  };
  /** Moves the clock on without running timers (inside one long task). */
  const tick = (ms: number): void => {
    time += ms;
  };
  return { emit, posts, timers, drainMicrotasks, advance, tick };
}

describe('createOutbox', () => {
  it('posts the first burst at once, as one batch', () => {
    const { emit, posts, drainMicrotasks } = setup();
    emit(1);
    emit(2);
    expect(posts).toEqual([]); // after the burst of synchronous work, not per message
    drainMicrotasks();
    expect(posts).toEqual([[1, 2]]);
  });

  it('holds messages inside the window until it ends, then posts them together', () => {
    const { emit, posts, drainMicrotasks, advance, timers } = setup(4);
    emit(1);
    drainMicrotasks();
    advance(1);
    emit(2);
    advance(1);
    emit(3);
    expect(timers).toHaveLength(1); // one timer for the window, however many messages wait
    expect(posts).toEqual([[1]]);
    advance(2);
    expect(posts).toEqual([[1], [2, 3]]);
  });

  it('in a long chain of microtasks (no timer can run), posts at the first emit after the window', () => {
    const { emit, posts, drainMicrotasks, tick, advance } = setup(4);
    emit(1);
    drainMicrotasks();
    // The clock moves while microtasks keep running: the timer set for the window never fires.
    for (const m of [2, 3, 4, 5, 6]) {
      tick(1);
      emit(m);
      drainMicrotasks();
    }
    expect(posts).toEqual([[1], [2, 3, 4, 5]]);
    // The chain ends: the window's timer posts what is left.
    advance(4);
    expect(posts).toEqual([[1], [2, 3, 4, 5], [6]]);
  });

  it('a message after a quiet spell goes at once', () => {
    const { emit, posts, drainMicrotasks, advance } = setup(4);
    emit(1);
    drainMicrotasks();
    advance(50);
    emit(2);
    drainMicrotasks();
    expect(posts).toEqual([[1], [2]]);
  });

  it('never posts an empty batch, and never loses a message', () => {
    const { emit, posts, drainMicrotasks, advance } = setup(4);
    for (let i = 0; i < 100; i++) {
      emit(i);
      if (i % 7 === 0) drainMicrotasks();
      advance(0.5);
    }
    advance(10);
    expect(posts.every((b) => b.length > 0)).toBe(true);
    expect(posts.flat()).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(posts.length).toBeLessThan(20);
  });
});
