import type { Scenario } from './scenario.ts';

/** No waiting at all: for tests and quick iterations. */
export const fast: Scenario = {
  name: 'fast',
  description:
    'No time to first token and 5,000 tokens/s: the whole answer arrives almost at once.',
  knobs: { ttft_ms: 0, tps: 5000 },
  reply: 'default',
};
