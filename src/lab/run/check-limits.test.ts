import { describe, expect, it } from 'vitest';
import { scenarioScheduleMs } from '../../mock/core/schedule.ts';
import {
  checkTimeLimitMs,
  DEFAULT_CHECK_TIMEOUT_MS,
  HOST_MARGIN_MS,
  hostCheckLimitMs,
  withinExtraMs,
} from './check-limits.ts';

const lab = { scenarios: ['default', 'fragmented', 'one-byte-reads'] };

describe('check time limits', () => {
  it("are the check's own timeout plus what its scenario takes by design, never less", () => {
    expect(checkTimeLimitMs({}, 'fast')).toBeGreaterThanOrEqual(DEFAULT_CHECK_TIMEOUT_MS);
    for (const scenario of ['fragmented', 'one-byte-reads', 'slow-first-token', 'stall']) {
      expect(checkTimeLimitMs({}, scenario), scenario).toBeGreaterThanOrEqual(
        DEFAULT_CHECK_TIMEOUT_MS + scenarioScheduleMs(scenario),
      );
    }
    // A check's own scenario wins over the picked one; its own timeout over the default.
    expect(checkTimeLimitMs({ scenario: 'stall', timeoutMs: 500 }, 'fast')).toBeGreaterThan(30_500);
    expect(checkTimeLimitMs({ timeoutMs: 8_000 }, 'fast')).toBeGreaterThan(8_000);
  });

  it('give the host a margin over the check, so the check names its own timeout first', () => {
    const check = { scenario: 'slow-first-token', timeoutMs: 6_000 };
    expect(hostCheckLimitMs(check, 'default') - checkTimeLimitMs(check, 'default')).toBe(
      HOST_MARGIN_MS,
    );
  });

  it("stretch a check's waits only by what a slower picked scenario adds over the lab's first", () => {
    expect(withinExtraMs({}, lab, 'default')).toBe(0);
    expect(withinExtraMs({}, lab, 'fast')).toBe(0);
    // Split reads with 1 ms gaps: seconds of real time in a browser for a short answer.
    expect(withinExtraMs({}, lab, 'fragmented')).toBeGreaterThan(
      scenarioScheduleMs('fragmented') - scenarioScheduleMs('default'),
    );
    // A check with a scenario of its own keeps its waits: they are what it tests.
    expect(withinExtraMs({ scenario: 'stall' }, lab, 'fragmented')).toBe(0);
  });
});
