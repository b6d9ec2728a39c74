/**
 * The two kinds of recording inside one run. The driver's requests (what Run does) are the run the
 * timeline shows: its figures and its output are that run's alone. Each check's requests are a recording
 * of their own, opened from the check, never drawn as retries of the run nor counted in its figures.
 */
import type { Attempt, RunRecording } from './recording.ts';

/** Attempts renumbered from 0, so a view's attempts read as its own first, second, … request. */
function renumbered(attempts: Attempt[]): Attempt[] {
  return attempts.every((a, i) => a.index === i)
    ? attempts
    : attempts.map((a, i) => ({ ...a, index: i }));
}

/** The run as the learner's driver made it: its requests only. Same object when no check made any. */
export function driverRun(recording: RunRecording): RunRecording {
  if (!recording.attempts.some((a) => a?.check !== undefined)) return recording;
  return {
    ...recording,
    attempts: renumbered(recording.attempts.filter((a) => a && a.check === undefined)),
  };
}

/** The requests check `checkId` made, as a recording of their own. */
export function checkRun(recording: RunRecording, checkId: string): RunRecording {
  const check = recording.checks.find((c) => c.id === checkId);
  const view: RunRecording = {
    ...recording,
    id: `${recording.id}#${checkId}`,
    label: `Check '${checkId}'`,
    scenario: check?.scenario ?? recording.scenario,
    attempts: renumbered(recording.attempts.filter((a) => a?.check === checkId)),
    console: [],
    checks: check ? [check] : [],
  };
  delete view.result;
  return view;
}

/** How many requests each check made. */
export function requestsByCheck(recording: RunRecording): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of recording.attempts) if (a?.check) counts[a.check] = (counts[a.check] ?? 0) + 1;
  return counts;
}
