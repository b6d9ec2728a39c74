/**
 * A client that disconnects mid-stream frees its timers and stream at once: thousands of aborted streams
 * leave no growth in timers or heap beyond noise. In-process through the handler with `request.signal`,
 * and over real HTTP with aborted fetches.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createMockHandler, type RequestLog } from '../core/index.ts';
import { serveMock } from './serve.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
async function heapAfterGc(): Promise<number> {
  await settle();
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
const body = JSON.stringify({
  model: 'm',
  stream: true,
  messages: [{ role: 'user', content: 'leak check' }],
});

describe('aborted streams leave nothing behind', () => {
  it('10,000 in-process streams aborted mid-stream', async () => {
    const logs: RequestLog[] = [];
    const handle = createMockHandler({ onLog: (l) => logs.push(l) });
    const one = async (): Promise<void> => {
      const controller = new AbortController();
      const res = await handle(
        new Request('http://mock/scenarios/slow-first-token/v1/chat/completions', {
          method: 'POST',
          body,
          signal: controller.signal,
        }),
      );
      const reader = res.body!.getReader();
      await reader.read(); // role chunk; the next read waits on the ttft timer
      const pending = reader.read().catch(() => undefined);
      controller.abort();
      await pending;
    };
    const run = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i += 500)
        await Promise.all(Array.from({ length: Math.min(500, n - i) }, one));
    };
    await run(500); // warm up
    const timersBefore = timers();
    const heapBefore = await heapAfterGc();
    await run(10_000);
    const heapAfter = await heapAfterGc();
    expect(timers()).toBeLessThanOrEqual(timersBefore + 2);
    expect(logs.filter((l) => l.outcome === 'aborted')).toHaveLength(10_500);
    // Each leaked stream would hold a timer, a generator and its events (~10 KB): 10,000 would be ~100 MB.
    expect(heapAfter - heapBefore).toBeLessThan(8 * 1024 * 1024);
  }, 60_000);

  it('500 real HTTP streams whose clients abort mid-stream', async () => {
    const logs: RequestLog[] = [];
    const server = await serveMock(createMockHandler({ onLog: (l) => logs.push(l) }), { port: 0 });
    try {
      const one = async (): Promise<void> => {
        const controller = new AbortController();
        const res = await fetch(`${server.url}/scenarios/slow-first-token/v1/chat/completions`, {
          method: 'POST',
          body,
          signal: controller.signal,
          headers: { 'content-type': 'application/json' },
        });
        const reader = res.body!.getReader();
        await reader.read();
        controller.abort();
        await reader.read().catch(() => undefined);
      };
      const run = async (n: number): Promise<void> => {
        for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: 100 }, one));
      };
      await run(100);
      await settle();
      const timersBefore = timers();
      const heapBefore = await heapAfterGc();
      await run(500);
      for (let i = 0; i < 50 && server.active() > 0; i++) await settle();
      expect(server.active()).toBe(0);
      const heapAfter = await heapAfterGc();
      expect(logs.filter((l) => l.outcome === 'aborted')).toHaveLength(600);
      expect(timers()).toBeLessThanOrEqual(timersBefore + 5);
      expect(heapAfter - heapBefore).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await server.close();
    }
  }, 60_000);
});
