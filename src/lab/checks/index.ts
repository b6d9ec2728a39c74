/**
 * The check API that labs' `checks.ts` files use. A lab's checks are a list of named tests of the learner's
 * module; each gets a context with the learner's exports, a mock `fetch` bound to a scenario (every request
 * it makes is recorded on the run's timeline), helpers to shape streams, and assertions whose messages
 * teach. A failed check says what went wrong in the learner's terms ("an event split across two reads was
 * dropped"), and a hidden check also says under which condition.
 *
 * ```ts
 * import { defineChecks } from '../../src/lab/checks/index.ts';
 * import type * as Solution from './solution.ts';
 * export default defineChecks<typeof Solution>([{ id: 'whole-text', name: '…', run: async (ctx) => {…} }]);
 * ```
 */
import type { Attempt, RunRecording } from '../run/recording.ts';

export { assert, CheckFailure, fail } from './failure.ts';
export {
  chatTextOf,
  cutAfterEvents,
  holdOpen,
  readChatText,
  readSseEvents,
  rechunk,
} from './streams.ts';
export type { HeldOpen, ReferenceEvent } from './streams.ts';
export { sseResponse, writeSse } from './wire.ts';
export { chatChunk, chatChunkEvent, rateLimitedResponse } from './provider.ts';
export type { ChatChunkOptions } from './provider.ts';
export type { SseVariant } from './wire.ts';
export { expectedChatText, FAST_KNOBS, plannedFetch } from './plan.ts';
export type { PlanStep, PlannedFetch } from './plan.ts';

/** Options for `ctx.request`. */
export interface MockRequestOptions {
  /** Serve it under this scenario instead of the check's. */
  scenario?: string;
  /** Record it on the timeline (default true). Reference requests made only to compute expectations use false. */
  record?: boolean;
  method?: string;
  headers?: Record<string, string>;
}

export interface CheckContext<Learner> {
  /** The learner's module exports (typed as the lab's solution module). */
  learner: Learner;
  /** The scenario this check runs under. */
  scenario: string;
  /** The mock server's origin (`http://mock.streamlab.local`); other origins are unreachable. */
  mockOrigin: string;
  /** `fetch` against the mock, serving paths without a `/scenarios/` prefix under `scenario`; recorded. */
  fetch: typeof fetch;
  /** A POST of `body` as JSON to the mock at `path` (`/v1/chat/completions`), under the check's scenario. */
  request(path: string, body?: unknown, options?: MockRequestOptions): Promise<Response>;
  /** Re-runs the lab's driver (what Run does) under this check's scenario, returning what it returned. */
  runDriver(): Promise<unknown>;
  /** The run so far (a live view: read it after awaiting the learner). */
  recording: RunRecording;
  /** The requests this check made so far, in order. */
  attempts(): Attempt[];
  /** Milliseconds since the run started, on the same scale as the recording's times. */
  now(): number;
  /**
   * Fails the check with `message` (thrown `CheckFailure`). For type narrowing, import the standalone
   * `fail` / `assert` instead: TypeScript narrows only through functions declared with explicit types.
   */
  fail(message: string): never;
  /** Fails the check with `message` unless `condition` holds. */
  assert(condition: unknown, message: string): void;
  /**
   * Awaits `work`, failing the check with `message` if it has not settled after `ms` (for code that never
   * returns, such as a reader that waits for a stream end that will not come).
   */
  within<T>(ms: number, work: Promise<T> | (() => Promise<T>), message: string): Promise<T>;
}

export interface Check<Learner = Record<string, unknown>> {
  /** Stable kebab-case id (`grade --all` and `lab.json` `buggy` refer to it). */
  id: string;
  /** Short, positive name shown in the list ("Handles an event split across two reads"). */
  name: string;
  /** Hidden checks run only on Submit and in the grader; their names show once they have run. */
  hidden?: boolean;
  /** The scenario `ctx.fetch` and `ctx.request` use; defaults to the one picked for the run. */
  scenario?: string;
  /** The hostile condition this check creates, named in its failure ("one-byte reads"). */
  condition?: string;
  /** How long the check may take before it fails as hung (default 3000 ms). */
  timeoutMs?: number;
  run(ctx: CheckContext<Learner>): Promise<void> | void;
}

/** Declares a lab's checks (validates ids and names now, so a broken lab fails when it loads). */
export function defineChecks<Learner = Record<string, unknown>>(
  checks: Array<Check<Learner>>,
): Array<Check<Learner>> {
  const seen = new Set<string>();
  for (const [i, check] of checks.entries()) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(check.id)) {
      throw new Error(`check #${i + 1}: id '${check.id}' must be kebab-case`);
    }
    if (seen.has(check.id)) throw new Error(`check '${check.id}' is defined twice`);
    seen.add(check.id);
    if (!check.name.trim()) throw new Error(`check '${check.id}' has no name`);
    if (typeof check.run !== 'function') throw new Error(`check '${check.id}' has no run function`);
  }
  return checks;
}
