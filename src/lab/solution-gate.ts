/**
 * When a build with `STREAMLAB_SOLUTIONS=after-pass` lets the learner see a lab's solution: once a run
 * has passed every visible check (the checks Run shows), or the lab was passed before (all checks).
 */
import type { RunRecording } from './run/recording.ts';

/** The run finished and every visible check it ran passed (at least one). */
export function visibleChecksPassed(recording: RunRecording | undefined): boolean {
  if (!recording || recording.outcome !== 'ok') return false;
  const visible = recording.checks.filter((c) => !c.hidden);
  return visible.length > 0 && visible.every((c) => c.status === 'pass');
}
