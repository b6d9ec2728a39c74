import { describe, expect, it } from 'vitest';
import { scenarioSchedule } from '../../mock/core/schedule.ts';
import { describeTimeLimit, runTimeLimitMs } from './limits.ts';

const lab = { timeLimitMs: 5_000 };

describe('run time limit', () => {
  it('is the lab budget plus what the scenario takes by design', () => {
    const base = runTimeLimitMs(lab, 'default');
    expect(base).toBeGreaterThan(5_000);
    // A 4 s first token, a 30 s stall, a long answer, split reads: each is added, never cut short.
    expect(runTimeLimitMs(lab, 'slow-first-token') - base).toBeGreaterThanOrEqual(3_750);
    expect(runTimeLimitMs(lab, 'stall') - base).toBeGreaterThanOrEqual(30_000);
    expect(runTimeLimitMs(lab, 'long')).toBeGreaterThan(5_000 + 2_400 * (1000 / 200));
    expect(runTimeLimitMs(lab, 'fragmented')).toBeGreaterThan(base);
    expect(runTimeLimitMs(lab, 'fast')).toBeLessThan(base);
    expect(runTimeLimitMs(lab, 'slow-first-token', 300)).toBe(300);
  });

  it('counts the retry-after waits of a fail-then-succeed scenario, and knob overrides', () => {
    const rate = scenarioSchedule('rate-limited', { fail_attempts: 3, retry_after_ms: 2_000 });
    expect(rate.retryMs).toBe(6_000);
    expect(scenarioSchedule('default', { ttft_ms: 9_000 }).firstTokenMs).toBe(9_000);
    expect(scenarioSchedule('default', { reply_tokens: 1_000, tps: 100 }).paceMs).toBe(10_000);
  });

  it('says busy or waiting, and on what', () => {
    expect(describeTimeLimit(7_200, undefined, { kind: 'busy' })).toMatch(
      /^Stopped after the 7\.2 s time limit: busy\. .*endless loop/,
    );
    expect(describeTimeLimit(1_000, 'c', { kind: 'waiting', streams: 1, timers: 1 })).toMatch(
      /in check 'c': waiting, with the mock was still streaming 1 response to it and 1 timer/,
    );
  });
});
