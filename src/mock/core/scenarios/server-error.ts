import type { Scenario } from './scenario.ts';

/** A 500 before the stream, then success on the retry. */
export const serverError: Scenario = {
  name: 'server-error',
  description:
    'First attempt of each run: 500 with a provider-shaped error body; the retry succeeds.',
  knobs: {},
  reply: 'default',
  fault: 'server-error',
};
