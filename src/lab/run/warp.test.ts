import { afterEach, describe, expect, it } from 'vitest';
import { realClock } from '../../mock/core/clock.ts';
import { createMockHandler } from '../../mock/core/index.ts';
import { installTimeWarp, type TimeWarp } from './warp.ts';

let warp: TimeWarp | undefined;
afterEach(() => {
  warp?.uninstall();
  warp = undefined;
});
const install = (): TimeWarp => (warp = installTimeWarp(globalThis, setImmediate));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('time warp', () => {
  it('jumps to each timer, in order, with microtasks running between timers', async () => {
    const w = install();
    const log: string[] = [];
    const t0 = performance.now();
    setTimeout(() => {
      log.push('b');
      void Promise.resolve().then(() => log.push('b-micro'));
    }, 2_000);
    setTimeout(() => log.push('a'), 1_000);
    setTimeout(() => log.push('c'), 2_000);
    await sleep(5_000);
    expect(log).toEqual(['a', 'b', 'b-micro', 'c']);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(5_000);
    expect(w.skippedMs()).toBeGreaterThan(4_900);
  });

  it('Date.now and performance.now move together; intervals repeat until cleared; refresh re-arms', async () => {
    install();
    const d0 = Date.now();
    const p0 = performance.now();
    let ticks = 0;
    const interval = setInterval(() => {
      ticks += 1;
      if (ticks === 3) clearInterval(interval);
    }, 100);
    await sleep(1_000);
    expect(ticks).toBe(3);
    expect(Math.abs(Date.now() - d0 - (performance.now() - p0))).toBeLessThan(5);

    let fired = 0;
    const timer = setTimeout(() => (fired += 1), 300);
    await sleep(200);
    (timer as unknown as { refresh(): void }).refresh();
    await sleep(200);
    expect(fired).toBe(0);
    await sleep(200);
    expect(fired).toBe(1);
    const cleared = setTimeout(() => (fired += 1), 10);
    clearTimeout(cleared);
    await sleep(50);
    expect(fired).toBe(1);
  });

  it('AbortSignal.timeout aborts in warped time with a TimeoutError', async () => {
    const w = install();
    const signal = AbortSignal.timeout(30_000);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect(w.skippedMs()).toBeGreaterThan(29_000);
  });

  it('does not jump while declared real work is in flight', async () => {
    const w = install();
    let timerFired = false;
    setTimeout(() => (timerFired = true), 60_000);
    // Real work that takes several event-loop turns (more than the warp waits before a jump).
    const realWork = new Promise<void>((resolve) => {
      let hops = 10;
      const hop = (): void => void (--hops === 0 ? resolve() : setImmediate(hop));
      setImmediate(hop);
    });
    await w.busy(realWork.then(() => expect(timerFired).toBe(false)));
    await sleep(60_000);
    expect(timerFired).toBe(true);
  });

  it('a busy loop on performance.now still ends (time flows during synchronous code)', () => {
    install();
    const start = performance.now();
    while (performance.now() - start < 5) {
      // spin
    }
    expect(performance.now() - start).toBeGreaterThanOrEqual(5);
  });

  it('the mock on the real clock streams a 1 s TTFT reply under the warp, never early', async () => {
    const w = install();
    const handle = createMockHandler({ clock: realClock });
    const t0 = performance.now();
    const response = await handle(
      new Request('http://mock.test/knobs/ttft_ms=1000,tps=20/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({
          model: 'm',
          stream: true,
          messages: [{ role: 'user', content: 'Hello there' }],
        }),
      }),
    );
    const reader = response.body!.getReader();
    let first: number | undefined;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = new TextDecoder().decode(value);
      if (first === undefined && chunk.includes('"content":"') && !chunk.includes('"content":""'))
        first = performance.now() - t0;
      text += chunk;
    }
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    // Never before the TTFT it asked for (how late depends on the machine's load: not asserted).
    expect(first).toBeGreaterThanOrEqual(1_000);
    // About 40 tokens at 20 per second after the first: seconds of stream, skipped.
    expect(w.skippedMs()).toBeGreaterThan(2_000);
  });

  it('uninstall puts the real functions back', async () => {
    const before = { setTimeout, now: performance.now, dateNow: Date.now };
    install().uninstall();
    warp = undefined;
    expect(setTimeout).toBe(before.setTimeout);
    expect(Date.now).toBe(before.dateNow);
    expect(typeof performance.now()).toBe('number');
    await sleep(1);
  });
});

describe('time warp: what moves time between jumps', () => {
  /** Time functions the test drives: `wall` jumps while the thread waits for a core; `cpu` does not. */
  function fakeHost() {
    const clock = { wall: 5_000, cpu: 0 };
    class HostDate extends Date {}
    const global = {
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      performance: {
        now: () => clock.wall,
        mark: performance.mark.bind(performance),
        measure: performance.measure.bind(performance),
      },
      Date: HostDate,
      AbortSignal: { timeout: AbortSignal.timeout },
    };
    return { clock, global: global as unknown as Parameters<typeof installTimeWarp>[0] };
  }

  it('a thread left waiting for a core sees no time pass: a paced schedule cannot run ahead of an earlier timer', async () => {
    const { clock, global } = fakeHost();
    warp = installTimeWarp(global, setImmediate, { flow: () => clock.cpu });
    const log: string[] = [];
    const t0 = global.performance.now();
    // Frames every 20 ms, each sent at once when already due (as the mock catches up on lateness).
    for (let i = 0; i < 70; i++) {
      const wait = t0 + 20 * i - global.performance.now();
      if (wait > 0) await new Promise((resolve) => global.setTimeout(resolve, wait));
      log.push(`frame ${i}`);
      // A countdown due at 430 ms: between frames 21 and 22.
      if (i === 2) global.setTimeout(() => log.push('countdown'), 390);
      // The OS leaves the thread without a core for 1.2 s.
      if (i === 5) clock.wall += 1_200;
    }
    expect(log.indexOf('countdown')).toBe(log.indexOf('frame 21') + 1);
    expect(global.performance.now() - t0).toBe(20 * 69);
  });
});

describe('time warp: every way of reading the time', () => {
  afterEach(() => {
    warp?.uninstall();
    warp = undefined;
  });

  it('new Date(), Date(), marks and measures follow the jumps; timeOrigin + now() stays Date.now()', async () => {
    const RealDate = Date;
    const w = install();
    const d0 = Date.now();
    const n0 = new Date().getTime();
    const p0 = performance.now();
    performance.mark('warp-test-start');
    await sleep(60_000);
    const measure = performance.measure('warp-test', 'warp-test-start');
    expect(w.skippedMs()).toBeGreaterThan(59_000);
    // Dates count whole milliseconds: allow the rounding of both ends.
    expect(new Date().getTime() - n0).toBeGreaterThanOrEqual(59_998);
    expect(new Date().getTime() - n0).toBeLessThan(61_000);
    expect(Date.now() - d0).toBeGreaterThanOrEqual(59_998);
    expect(Date.parse(Date()) - n0).toBeGreaterThanOrEqual(59_000);
    expect(measure.duration).toBeGreaterThanOrEqual(59_998);
    expect(measure.duration).toBeLessThan(61_000);
    const [mark] = performance.getEntriesByName('warp-test-start');
    expect(mark!.startTime).toBeGreaterThanOrEqual(p0);
    expect(performance.getEntriesByType('measure').some((e) => e.name === 'warp-test')).toBe(true);
    expect(Math.abs(performance.timeOrigin + performance.now() - Date.now())).toBeLessThan(50);
    // The real Date's forms and statics are untouched.
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date(2020, 0, 2).getDate()).toBe(2);
    expect(Date.UTC(2020, 0, 1)).toBe(RealDate.UTC(2020, 0, 1));
    expect(new Date() instanceof RealDate).toBe(true);
    class Stamp extends Date {}
    expect(new Stamp().getTime() - n0).toBeGreaterThanOrEqual(59_998);
    performance.clearMarks('warp-test-start');
    performance.clearMeasures('warp-test');
  });

  it('uninstall restores Date and the user-timing functions', () => {
    const before = { Date, mark: performance.mark, measure: performance.measure };
    install().uninstall();
    warp = undefined;
    expect(Date).toBe(before.Date);
    expect(performance.mark).toBe(before.mark);
    expect(performance.measure).toBe(before.measure);
  });
});
