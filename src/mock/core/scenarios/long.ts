import type { Scenario } from './scenario.ts';

/** A long answer, to show buffering, scrolling and memory growth. */
export const long: Scenario = {
  name: 'long',
  description: 'A long answer of about 2,400 tokens at 200 tokens/s, several tokens per event.',
  knobs: { tps: 200, tokens_per_event: 3, ttft_ms: 200 },
  reply: 'long',
};
