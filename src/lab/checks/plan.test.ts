import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../tests/unit/gc.ts';
import type { CheckContext } from './index.ts';
import { plannedFetch } from './plan.ts';

describe('plannedFetch', () => {
  it("passes the caller's abort on to the mock after a garbage collection", async () => {
    // Node links a Request's signal to the one it was given only while that Request lives
    // (nodejs/node#55428); the recorder behind ctx.fetch keeps just the signal it is passed.
    let heard: unknown;
    const ctx = {
      mockOrigin: 'http://mock.test',
      now: () => 0,
      fetch: async (_url: string, init: RequestInit) => {
        const signal = init.signal!;
        signal.addEventListener('abort', () => (heard = signal.reason));
        return new Response('data: [DONE]\n\n');
      },
    } as unknown as CheckContext<unknown>;
    const plan = plannedFetch(ctx, [{ scenario: 'default' }]);
    const controller = new AbortController();
    await plan.fetch('http://mock.test/v1/chat/completions', {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    await collectGarbage();
    const reason = new Error('the relay freed the stream');
    controller.abort(reason);
    expect(heard).toBe(reason);
  });
});
