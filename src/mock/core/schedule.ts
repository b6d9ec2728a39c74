/**
 * How long the mock takes, by design, to deliver an answer under a scenario: the time to first token,
 * the pace of the tokens, the pauses between the reads of split events, a stall, and the `retry-after`
 * waits of a fail-then-succeed scenario. A pure function of the scenario and its knobs: hosts add it to a
 * lab's own time budget, so a scenario that is slow on purpose (`slow-first-token`, `long`, `stall`) never
 * looks like an endless loop.
 *
 * It is an upper bound, not a prediction: it assumes the longest reply of the scenario's kind, one retry
 * after a mid-stream fault, browser timers that fire no sooner than 4 ms, and some CPU for each read of a
 * split body (one-byte reads of a short answer are some 25,000 reads, each recorded, parsed and shown).
 */
import { DEFAULT_KNOBS, type Knobs } from './knobs.ts';
import { getScenario } from './scenarios/index.ts';
import type { ReplyKind } from './scenarios/scenario.ts';

/** The parts of a scenario's schedule, in ms. */
export interface ScenarioSchedule {
  firstTokenMs: number;
  /** Tokens at `tps`, plus jitter. */
  paceMs: number;
  /** `read_gap_ms` between the reads of split events. */
  readGapsMs: number;
  /** The work of each read of a split body (`ScheduleOptions.readCostMs` per read). */
  readsMs: number;
  /** The `stall` scenario's silence. */
  stallMs: number;
  /** `retry-after` waits before a retry is allowed, and a second answer after a mid-stream fault. */
  retryMs: number;
  totalMs: number;
}

export interface ScheduleOptions {
  /** Shortest delay a timer really waits (browsers clamp nested timers to 4 ms). Default 4. */
  minTimerMs?: number;
  /**
   * CPU time allowed per read of a body split into reads (`max_read_bytes` > 0). Default 0.25 ms: in a
   * browser worker under SES, the measure-ttft solution under `one-byte-reads` spent about 0.15 ms a read.
   */
  readCostMs?: number;
}

/** A generous size of one event on the wire, by tokens it carries (the three APIs' JSON envelopes). */
const EVENT_BYTES = 220;
const BYTES_PER_TOKEN = 8;
/** Structural events around the tokens (role, stop, usage, [DONE] and their Responses/Anthropic kin). */
const EXTRA_EVENTS = 12;
/** Tool-call arguments and structured output can be longer than a short text answer. */
const MIN_TOKENS = 96;

/**
 * At least the most tokens a plain reply of each kind has, whatever the question (`schedule.test.ts`
 * proves it against the generator; planning a long reply takes milliseconds, too many for a page's main
 * thread at the start of every run).
 */
export const REPLY_TOKEN_BOUND: Readonly<Record<ReplyKind, number>> = {
  default: 100,
  long: 4_200,
  unicode: 130,
  refusal: 20,
};

/** The schedule of one answer under `scenario` with `overrides` on top of its knobs. */
export function scenarioSchedule(
  scenario: string,
  overrides: Partial<Knobs> = {},
  options: ScheduleOptions = {},
): ScenarioSchedule {
  const found = getScenario(scenario);
  const knobs: Knobs = { ...DEFAULT_KNOBS, ...found?.knobs, ...overrides };
  const minTimer = options.minTimerMs ?? 4;
  const natural = Math.max(MIN_TOKENS, REPLY_TOKEN_BOUND[found?.reply ?? 'default']);
  const tokens = knobs.reply_tokens > 0 ? Math.max(knobs.reply_tokens, MIN_TOKENS) : natural;
  const events = Math.ceil(tokens / knobs.tokens_per_event) + EXTRA_EVENTS;

  const firstTokenMs = knobs.ttft_ms;
  const paceMs = (tokens / knobs.tps) * 1000 + knobs.jitter_ms;
  let readGapsMs = 0;
  let readsMs = 0;
  if (knobs.max_read_bytes > 0) {
    const eventBytes = EVENT_BYTES + BYTES_PER_TOKEN * knobs.tokens_per_event;
    const meanRead = knobs.max_read_bytes === 1 ? 1 : (1 + knobs.max_read_bytes) / 2;
    const reads = events * Math.ceil(eventBytes / meanRead);
    readsMs = reads * (options.readCostMs ?? 0.25);
    if (knobs.read_gap_ms > 0) readGapsMs = reads * Math.max(knobs.read_gap_ms, minTimer);
  }
  const fault = found?.fault;
  const stallMs = fault === 'stall' ? knobs.stall_ms : 0;
  const failsBefore =
    fault === 'rate-limited' ||
    fault === 'server-error' ||
    (fault === 'overloaded' && knobs.before_stream === 1);
  let retryMs = 0;
  const answerMs = firstTokenMs + paceMs + readGapsMs + readsMs;
  if (failsBefore) retryMs = knobs.fail_attempts * knobs.retry_after_ms;
  // A mid-stream fault: a resilient client waits a little and streams the answer again.
  else if (fault) retryMs = knobs.retry_after_ms + answerMs;
  const totalMs = Math.ceil(answerMs + stallMs + retryMs);
  return { firstTokenMs, paceMs, readGapsMs, readsMs, stallMs, retryMs, totalMs };
}

/** Shorthand: the total of `scenarioSchedule`, in ms. */
export function scenarioScheduleMs(
  scenario: string,
  overrides: Partial<Knobs> = {},
  options: ScheduleOptions = {},
): number {
  return scenarioSchedule(scenario, overrides, options).totalMs;
}
