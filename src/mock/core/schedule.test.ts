import { describe, expect, it } from 'vitest';
import { planReply } from './reply.ts';
import { REPLY_TOKEN_BOUND, scenarioSchedule } from './schedule.ts';
import { SCENARIO_NAMES } from './scenarios/index.ts';

describe('scenario schedule', () => {
  it('bounds the length of every kind of reply, for short and long questions', () => {
    const questions = ['Hi', 'Explain Server-Sent Events in two sentences.', 'word '.repeat(40)];
    for (const kind of ['default', 'long', 'unicode', 'refusal'] as const) {
      for (const question of questions) {
        for (let seed = 0; seed < 12; seed++) {
          const plan = planReply(
            {
              lastUserText: question,
              promptText: question,
              tools: [],
              toolChoice: 'auto',
              parallelToolCalls: true,
            },
            { kind, seed: seed * 7919 },
          );
          expect(plan.tokens.length, `${kind} seed ${seed}`).toBeLessThanOrEqual(
            REPLY_TOKEN_BOUND[kind],
          );
        }
      }
    }
  });

  it('has a finite, positive total for every scenario, with each slow part counted', () => {
    for (const name of SCENARIO_NAMES) {
      const s = scenarioSchedule(name);
      expect(Number.isFinite(s.totalMs) && s.totalMs > 0, name).toBe(true);
    }
    expect(scenarioSchedule('slow-first-token').firstTokenMs).toBe(4_000);
    expect(scenarioSchedule('stall').stallMs).toBe(30_000);
    expect(scenarioSchedule('fragmented').readGapsMs).toBeGreaterThan(0);
    expect(scenarioSchedule('long').paceMs).toBeGreaterThan(scenarioSchedule('default').paceMs * 5);
  });
});
