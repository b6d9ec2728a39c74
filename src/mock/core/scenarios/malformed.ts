import type { Scenario } from './scenario.ts';

/** One event whose data is cut JSON: a strict client must fail, a careless one silently loses text. */
export const malformed: Scenario = {
  name: 'malformed',
  description:
    'One event half-way through carries data that is not valid JSON; the rest is normal.',
  knobs: {},
  reply: 'default',
  fault: 'malformed',
};
