/**
 * How long one check may take, in the sandbox and for the host. A check's author writes its budgets
 * (`timeoutMs`, the `ms` of `ctx.within`) for what the check itself does; what the scenario it runs under
 * takes by design (`scenarioScheduleMs`: a slow first token, split reads, a stall) comes on top. In the
 * grader the time warp skips those waits, but the page runs in real time, where a `fragmented` reply of a
 * few hundred milliseconds of tokens takes seconds of 1 ms read gaps (a browser waits at least 4 ms, and
 * later on a busy machine). So:
 *
 * - a check's own limit is its `timeoutMs` plus the allowance of the scenario it runs under (twice its
 *   schedule: `limits.ts`);
 * - a check without a scenario of its own runs under the one the learner picked, so its `within` waits
 *   get what the picked scenario adds over the lab's first scenario (the one the budgets were written
 *   for); a check with its own scenario keeps its `within` waits as written, since they are the check's
 *   meaning ("still waiting 1.5 s after the stream went silent");
 * - the host (`engines/session.ts`) arms each check step a little longer than the check's own limit, so
 *   the check's own timeout, which names the check, comes first.
 */
import { scenarioAllowanceMs } from './limits.ts';
import type { LabDefinition } from '../schema.ts';

/** A check's timing as declared in `checks.ts` (what the host needs to know of it). */
export interface CheckPlan {
  id: string;
  hidden: boolean;
  scenario?: string | undefined;
  timeoutMs?: number | undefined;
}

/** A check's `timeoutMs` when it declares none. */
export const DEFAULT_CHECK_TIMEOUT_MS = 3_000;

/** What the host adds to a check's own limit, so the sandbox's timeout is reported first. */
export const HOST_MARGIN_MS = 2_000;

const slack = scenarioAllowanceMs;

/** The scenario a check runs under: its own, else the one the run checks (`explore.ts`). */
export function scenarioOfCheck(check: Pick<CheckPlan, 'scenario'>, checked: string): string {
  return check.scenario ?? checked;
}

/** The sandbox's limit (ms) for one check of a run whose checked scenario is `checked`. */
export function checkTimeLimitMs(
  check: Pick<CheckPlan, 'scenario' | 'timeoutMs'>,
  checked: string,
): number {
  return (check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS) + slack(scenarioOfCheck(check, checked));
}

/** The host's limit (ms) for the same check step: the check's own, plus a margin. */
export function hostCheckLimitMs(
  check: Pick<CheckPlan, 'scenario' | 'timeoutMs'>,
  checked: string,
): number {
  return checkTimeLimitMs(check, checked) + HOST_MARGIN_MS;
}

/**
 * What a check's `ctx.within(ms)` gets on top of `ms`: for a check under the picked scenario, what that
 * scenario adds over the lab's first one; nothing for a check with a scenario of its own.
 */
export function withinExtraMs(
  check: Pick<CheckPlan, 'scenario'>,
  definition: Pick<LabDefinition, 'scenarios'>,
  checked: string,
): number {
  if (check.scenario !== undefined) return 0;
  const base = definition.scenarios[0] ?? 'default';
  return Math.max(0, slack(checked) - slack(base));
}
