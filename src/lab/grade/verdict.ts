/**
 * The grader's last word on a run: its check results must be exactly the lab's declared checks (the
 * same ids, names and visibility, each reported once). Learner code runs in its own compartment and
 * cannot reach the channel the results travel on, so this is a second line of defence: anything else
 * means the verdict did not come from the honest checks, and it is voided with a message that says so.
 */
import type { CheckResult, RunRecording } from '../run/recording.ts';
import type { CheckInfo } from './class.ts';

/** What is wrong with `checks` against `expected`, or undefined when they match. */
export function verdictProblem(checks: CheckResult[], expected: CheckInfo[]): string | undefined {
  const seen = new Map<string, number>();
  for (const c of checks) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  if (twice.length > 0) return `reported more than once: ${twice.join(', ')}`;
  const declared = new Map(expected.map((c) => [c.id, c]));
  const unknown = checks.filter((c) => !declared.has(c.id)).map((c) => c.id);
  if (unknown.length > 0) return `not declared by the lab: ${unknown.join(', ')}`;
  const missing = expected.filter((c) => !seen.has(c.id)).map((c) => c.id);
  if (missing.length > 0) return `missing: ${missing.join(', ')}`;
  const altered = checks.filter((c) => {
    const d = declared.get(c.id)!;
    return c.name !== d.name || c.hidden !== d.hidden;
  });
  if (altered.length > 0)
    return `name or visibility changed: ${altered.map((c) => c.id).join(', ')}`;
  return undefined;
}

/**
 * `recording` unchanged when its checks match the lab's `declared` checks for `mode` (`run`: the
 * visible ones; `check`: all), or when the run did not finish (a timeout or error reports no full
 * verdict anyway). Otherwise the run becomes an error and every expected check an error.
 */
export function verifyVerdict(
  recording: RunRecording,
  declared: CheckInfo[],
  mode: 'run' | 'check',
): RunRecording {
  if (recording.outcome !== 'ok') return recording;
  const expected = mode === 'check' ? declared : declared.filter((c) => !c.hidden);
  const problem = verdictProblem(recording.checks, expected);
  if (!problem) return recording;
  const message = `The run's check results do not match the lab's checks (${problem}), so the verdict is void: the results did not come from the lab's own checks.`;
  return {
    ...recording,
    outcome: 'error',
    error: { name: 'VerdictError', message },
    checks: expected.map((c) => ({
      id: c.id,
      name: c.name,
      hidden: c.hidden,
      scenario: recording.scenario,
      status: 'error',
      message,
      durationMs: 0,
    })),
  };
}
