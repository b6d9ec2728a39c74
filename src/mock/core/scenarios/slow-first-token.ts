import type { Scenario } from './scenario.ts';

/** A long wait before the first token, as with a busy model or a long prompt. */
export const slowFirstToken: Scenario = {
  name: 'slow-first-token',
  description: 'Headers at once, then 4 s of silence before the first token; normal pace after.',
  knobs: { ttft_ms: 4000 },
  reply: 'default',
};
