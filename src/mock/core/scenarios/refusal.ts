import type { Scenario } from './scenario.ts';

/** The model declines: OpenAI `refusal` deltas, Responses refusal part, Anthropic stop_reason `refusal`. */
export const refusal: Scenario = {
  name: 'refusal',
  description:
    'The model refuses: Chat `delta.refusal`, Responses `response.refusal.delta`, Anthropic stop_reason "refusal".',
  knobs: {},
  reply: 'refusal',
};
