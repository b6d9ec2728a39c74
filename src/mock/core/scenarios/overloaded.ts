import type { Scenario } from './scenario.ts';

/** The provider is overloaded: an error inside the stream (or, with before_stream=1, an HTTP status). */
export const overloaded: Scenario = {
  name: 'overloaded',
  description:
    'Half-way through: Anthropic `event: error` overloaded_error, OpenAI Chat `data: {"error":...}` then [DONE], Responses `event: error`. With knob before_stream=1: 529 (Anthropic) / 503 (OpenAI) on the first attempt, then success.',
  knobs: {},
  reply: 'default',
  fault: 'overloaded',
};
