import { describe, expect, it } from 'vitest';
import { trackTimers } from './pending.ts';

describe('trackTimers', () => {
  it('counts timeouts until they fire or are cleared, and intervals until cleared', async () => {
    const global = {
      setTimeout: globalThis.setTimeout,
      clearTimeout: globalThis.clearTimeout,
      setInterval: globalThis.setInterval,
      clearInterval: globalThis.clearInterval,
    };
    const timers = trackTimers(global);
    let fired = 0;
    global.setTimeout(() => fired++, 1);
    const cleared = global.setTimeout(() => fired++, 1);
    const interval = global.setInterval(() => {}, 5);
    expect(timers.pending()).toBe(3);
    global.clearTimeout(cleared);
    expect(timers.pending()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(1);
    expect(timers.pending()).toBe(1);
    global.clearInterval(interval);
    expect(timers.pending()).toBe(0);
  });
});
