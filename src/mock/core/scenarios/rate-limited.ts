import type { Scenario } from './scenario.ts';

/** A 429 with retry-after and rate-limit headers, then success on the retry. */
export const rateLimited: Scenario = {
  name: 'rate-limited',
  description:
    'First attempt of each run: 429 with retry-after(-ms) and x-ratelimit-* headers; the retry succeeds.',
  knobs: {},
  reply: 'default',
  fault: 'rate-limited',
};
