import type { Scenario } from './scenario.ts';

/** The stream goes silent half-way, for longer than a sensible idle timeout, then drops. */
export const stall: Scenario = {
  name: 'stall',
  description:
    'Half-way through, the stream goes silent for 30 s (knob stall_ms), then the connection drops.',
  knobs: {},
  reply: 'default',
  fault: 'stall',
};
