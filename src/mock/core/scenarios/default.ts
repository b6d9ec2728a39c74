import type { Scenario } from './scenario.ts';

/** Plain, evenly paced streaming: the baseline every other scenario is compared with. */
export const defaultScenario: Scenario = {
  name: 'default',
  description: 'A short answer streamed at a steady pace (250 ms to first token, 50 tokens/s).',
  knobs: {},
  reply: 'default',
};
