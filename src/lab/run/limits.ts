/**
 * How long a lab run may take before the host stops it: the lab's own budget (`timeLimitMs` in
 * `lab.json`, the time its code and checks need at a normal pace) plus what the picked scenario takes by
 * design, twice over (`scenarioScheduleMs` from the mock core: a 4 s first token, a 2,400-token answer, a 30 s
 * stall, a retry-after). So correct code under a slow scenario finishes, and an endless loop is still
 * stopped. The host arms it for the start and the driver's run; each check gets its own limit
 * (`check-limits.ts`). It counts real time (the grader's time warp
 * never shortens it).
 */
import { scenarioScheduleMs } from '../../mock/core/schedule.ts';
import type { LabDefinition } from '../schema.ts';

/**
 * What a scenario adds to a limit: twice its schedule, since real-time timers fire late in a busy browser
 * (measure-ttft's driver under `fragmented` took 15 s in the page for a schedule of 11 s).
 */
export function scenarioAllowanceMs(scenario: string): number {
  return 2 * scenarioScheduleMs(scenario);
}

/** The time limit (ms) of a run of `definition` under `scenario`; `override` (tests, `--timeout`) wins. */
export function runTimeLimitMs(
  definition: Pick<LabDefinition, 'timeLimitMs'>,
  scenario: string,
  override?: number,
): number {
  if (override !== undefined) return override;
  return definition.timeLimitMs + scenarioAllowanceMs(scenario);
}

/** What the sandbox was doing when the limit hit, as far as the host can tell. */
export type LimitState =
  /** The sandbox did not answer the host's probe: its thread never yielded (a loop). */
  | { kind: 'busy' }
  /** The sandbox answered: it was idle, waiting on these. */
  | { kind: 'waiting'; streams: number; timers: number };

/** A probe the sandbox answers between two tasks (never while learner code holds the CPU). */
export const PROBE_GRACE_MS = 400;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The error message of a run stopped at its time limit: which limit, where, and what was going on. */
export function describeTimeLimit(
  ms: number,
  check: string | undefined,
  state: LimitState,
): string {
  const head = `Stopped after the ${Math.round(ms / 100) / 10} s time limit${check ? ` in check '${check}'` : ''}`;
  const tail = ' The page is fine; edit and run again.';
  if (state.kind === 'busy') {
    return `${head}: busy. Your code kept the CPU and never yielded, so it is likely an endless loop (a while or for that never ends, or one that never awaits).${tail}`;
  }
  const pending: string[] = [];
  if (state.streams > 0)
    pending.push(
      `the mock was still streaming ${plural(state.streams, 'response', 'responses')} to it`,
    );
  if (state.timers > 0)
    pending.push(
      `${plural(state.timers, 'timer', 'timers')} (setTimeout/setInterval) still pending`,
    );
  if (pending.length === 0) {
    return `${head}: waiting for nothing at all. No request and no timer was pending, so your code awaits a promise that never settles (a resolve that is never called?).${tail}`;
  }
  return `${head}: waiting, with ${pending.join(' and ')}. A read loop that never ends, or a retry that never gives up?${tail}`;
}
