import type { Scenario } from './scenario.ts';

/** Thinking the safety systems flagged: Anthropic sends it as an opaque `redacted_thinking` block. */
export const redactedThinking: Scenario = {
  name: 'redacted-thinking',
  description:
    'With thinking on, Anthropic sends the thinking as a `redacted_thinking` block (opaque `data`, no deltas), which must go back unchanged in a tool loop.',
  knobs: {},
  reply: 'default',
  thinking: 'redacted',
};
