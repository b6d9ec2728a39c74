import type { Knobs } from '../knobs.ts';

/** What the reply says. Transport-only scenarios keep `default` so the text equals the default's. */
export type ReplyKind = 'default' | 'long' | 'unicode' | 'refusal';

/**
 * A fault the scenario injects.
 * - `disconnect`: the body stream errors mid-stream, no terminator.
 * - `stall`: silence for `stall_ms` mid-stream, then the body stream errors.
 * - `malformed`: one mid-stream event carries data that is not valid JSON; the rest is normal.
 * - `rate-limited` / `server-error`: the first `fail_attempts` attempts of a run get 429 / 500.
 * - `overloaded`: inside the stream an overload error event (Anthropic `overloaded_error`, OpenAI error
 *   payload, Responses `error` event); with `before_stream=1` a 529 (Anthropic) / 503 (OpenAI) before it.
 */
export type Fault =
  'disconnect' | 'stall' | 'malformed' | 'rate-limited' | 'server-error' | 'overloaded';

/** One built-in scenario. */
export interface Scenario {
  readonly name: string;
  /** One sentence for `GET /scenarios` and `--help`. */
  readonly description: string;
  /** Knob defaults that differ from `DEFAULT_KNOBS`. */
  readonly knobs: Partial<Knobs>;
  readonly reply: ReplyKind;
  readonly fault?: Fault;
  /** `redacted`: requested thinking comes back redacted (Anthropic `redacted_thinking`). */
  readonly thinking?: 'redacted';
}
