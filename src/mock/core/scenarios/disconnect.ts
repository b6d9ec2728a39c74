import type { Scenario } from './scenario.ts';

/** The connection drops half-way; the stream never sends its terminator. */
export const disconnect: Scenario = {
  name: 'disconnect',
  description:
    'The connection drops half-way through the answer: no terminator, the body stream errors.',
  knobs: {},
  reply: 'default',
  fault: 'disconnect',
};
