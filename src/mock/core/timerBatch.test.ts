import { describe, expect, it } from 'vitest';
import { createTimerBatch } from './timerBatch.ts';

/** A hand-driven timer host: `run(t)` moves time to `t` and fires the timers due by then, in order. */
function host(start = 0) {
  let now = start;
  let next = 0;
  const timers = new Map<number, { at: number; fire: () => void }>();
  return {
    timers,
    host: {
      now: () => now,
      setTimer(fire: () => void, ms: number) {
        timers.set(++next, { at: now + ms, fire });
        return next;
      },
      clearTimer(handle: unknown) {
        timers.delete(handle as number);
      },
    },
    async run(to: number) {
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fire();
        await Promise.resolve();
      }
      now = to;
      await new Promise((resolve) => setImmediate(resolve));
    },
    set: (t: number) => void (now = t),
  };
}

describe('timer batch', () => {
  it('alarm: shares the bucket with promise sleepers, in order, is set again after each wake-up, and leaves on abort', async () => {
    const h = host(0);
    const batch = createTimerBatch(h.host);
    const seen: string[] = [];
    const abort = new AbortController();
    void batch.sleep(5).then(() => seen.push('sleep'));
    const first = batch.alarm(
      () => seen.push('first'),
      () => seen.push('never'),
    );
    first.set(4.5);
    const late = batch.alarm(
      () => seen.push('late'),
      (reason) => seen.push(`aborted: ${String(reason)}`),
      abort.signal,
    );
    late.set(30);
    expect(batch.timers).toBe(2);
    await h.run(4.9);
    expect(seen).toEqual([]);
    // Both due at 5: one timer. The callback runs in the timer's task, the promise's reaction just after.
    await h.run(5);
    expect(seen).toEqual(['first', 'sleep']);
    first.set(2);
    await h.run(7);
    expect(seen).toEqual(['first', 'sleep', 'first']);
    abort.abort('client left');
    // Its bucket emptied: the timer is freed at once, and nothing fires later.
    expect(seen.at(-1)).toBe('aborted: client left');
    expect(batch.timers).toBe(0);
    expect(h.timers.size).toBe(0);
    await h.run(100);
    expect(seen).toHaveLength(4);
    // Set after its signal aborted: \`aborted\` at once, no timer.
    late.set(1);
    expect(seen.at(-1)).toBe('aborted: client left');
    expect(seen).toHaveLength(5);
    expect(batch.timers).toBe(0);
  });

  it('alarm: an abort while it is not set calls nothing; set again while set, it moves (freeing the timer it left)', async () => {
    const h = host(0);
    const batch = createTimerBatch(h.host);
    const seen: string[] = [];
    const abort = new AbortController();
    const alarm = batch.alarm(
      () => seen.push('due'),
      () => seen.push('aborted'),
      abort.signal,
    );
    alarm.set(10);
    alarm.set(3);
    expect(batch.timers).toBe(1);
    expect(h.timers.size).toBe(1);
    await h.run(20);
    expect(seen).toEqual(['due']);
    abort.abort();
    expect(seen).toEqual(['due']);
  });

  it('alarm: adds one abort listener to its signal for all its wake-ups', async () => {
    const h = host(0);
    const batch = createTimerBatch(h.host);
    const abort = new AbortController();
    let listeners = 0;
    const add = abort.signal.addEventListener.bind(abort.signal);
    abort.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    let woke = 0;
    const alarm = batch.alarm(
      () => {
        if (++woke < 50) alarm.set(1);
      },
      () => {},
      abort.signal,
    );
    alarm.set(1);
    await h.run(100);
    expect(woke).toBe(50);
    expect(listeners).toBe(1);
    expect(batch.timers).toBe(0);
  });

  it('alarm: a callback that throws does not keep the rest of its bucket asleep; its error still surfaces', async () => {
    const h = host(0);
    const batch = createTimerBatch(h.host);
    const woke: string[] = [];
    batch
      .alarm(
        () => {
          throw new Error('a bug in an alarm callback');
        },
        () => {},
      )
      .set(2);
    batch
      .alarm(
        () => woke.push('after'),
        () => {},
      )
      .set(2);
    void batch.sleep(2).then(() => woke.push('sleep'));
    await expect(h.run(2)).rejects.toThrow('a bug in an alarm callback');
    await Promise.resolve();
    expect(woke).toEqual(['after', 'sleep']);
    expect(batch.timers).toBe(0);
  });

  it('gives sleepers due in the same millisecond one timer and wakes them in the order they slept', async () => {
    const h = host(100.2);
    const batch = createTimerBatch(h.host);
    const woke: string[] = [];
    void batch.sleep(19.5).then(() => woke.push('a')); // due 119.7 -> 120
    h.set(100.6);
    void batch.sleep(19.1).then(() => woke.push('b')); // due 119.7 -> 120
    void batch.sleep(5).then(() => woke.push('c')); // due 105.6 -> 106
    expect(h.timers.size).toBe(2);
    expect(batch.timers).toBe(2);
    await h.run(119.9);
    expect(woke).toEqual(['c']);
    await h.run(120);
    expect(woke).toEqual(['c', 'a', 'b']);
    expect(batch.timers).toBe(0);
  });

  it('never wakes a sleeper before its time (due times round up to the next millisecond)', async () => {
    const h = host(10.4);
    const batch = createTimerBatch(h.host);
    let woke = false;
    void batch.sleep(2.2).then(() => (woke = true)); // due 12.6
    await h.run(12.5);
    expect(woke).toBe(false);
    await h.run(13);
    expect(woke).toBe(true);
  });

  it('an abort rejects with the reason at once and frees the timer when its bucket empties', async () => {
    const h = host();
    const batch = createTimerBatch(h.host);
    const one = new AbortController();
    const two = new AbortController();
    const a = batch.sleep(10, one.signal);
    const b = batch.sleep(10, two.signal);
    const c = batch.sleep(30, one.signal);
    expect(h.timers.size).toBe(2);
    one.abort(new Error('client went away'));
    await expect(a).rejects.toThrow('client went away');
    await expect(c).rejects.toThrow('client went away');
    // `b` still waits in the 10 ms bucket; the 30 ms bucket is gone.
    expect(h.timers.size).toBe(1);
    two.abort();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    expect(h.timers.size).toBe(0);
    expect(batch.timers).toBe(0);
  });

  it('rejects at once for an aborted signal, resolves at once for no wait, and listens to a signal once', async () => {
    const h = host();
    const batch = createTimerBatch(h.host);
    const aborted = AbortSignal.abort(new Error('gone'));
    await expect(batch.sleep(5, aborted)).rejects.toThrow('gone');
    await expect(batch.sleep(0)).resolves.toBeUndefined();
    expect(h.timers.size).toBe(0);

    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    }) as typeof add;
    for (let t = 1; t <= 5; t++) {
      const sleeping = batch.sleep(1, controller.signal);
      await h.run(t);
      await sleeping;
    }
    expect(listeners).toBe(1);
    expect(batch.timers).toBe(0);
  });
});
