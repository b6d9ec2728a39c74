/**
 * Pure helpers for the lab panels: what the status line, the checks summary and the console show.
 */
import type {
  CheckResult,
  ConsoleEntry,
  LearnerError,
  RunRecording,
} from '../../lab/run/recording.ts';

/** "3 of 5 checks passed" (or "No checks ran"). */
export function summarizeChecks(checks: readonly CheckResult[]): string {
  if (checks.length === 0) return 'No checks ran';
  const passed = checks.filter((c) => c.status === 'pass').length;
  if (passed === checks.length) {
    return checks.length === 1 ? 'The check passed' : `All ${checks.length} checks passed`;
  }
  return `${passed} of ${checks.length} checks passed`;
}

/** True when a run checked everything (hidden checks included) and every check passed. */
export function allChecksPassed(recording: RunRecording | undefined): boolean {
  if (!recording || recording.outcome !== 'ok' || recording.checks.length === 0) return false;
  return recording.checks.every((c) => c.status === 'pass');
}

/** Seconds, as a person says it: 5000 -> "5 s", 2500 -> "2.5 s". */
export function formatSeconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s} s`;
}

/**
 * The one-line status after a run, announced to screen readers: how it ended and, for a run stopped as a
 * runaway, that it hit the time limit.
 */
export function describeOutcome(recording: RunRecording, timeLimitMs: number): string {
  const checks = recording.checks.length > 0 ? ` ${summarizeChecks(recording.checks)}.` : '';
  switch (recording.outcome) {
    case 'ok':
      return `Run finished.${checks}`;
    case 'error':
      return `Your code threw an error${recording.error ? `: ${recording.error.name}` : ''}.${checks}`;
    case 'timeout':
      // The host's message says busy or waiting, and on what (`lab/run/limits.ts`).
      return recording.error?.message.startsWith('Stopped after')
        ? `${recording.error.message}${checks}`
        : `Stopped after the ${formatSeconds(timeLimitMs)} time limit: the code was still running (an endless loop, or a read that never ends?).${checks}`;
    case 'stopped':
      return 'Stopped.';
    default:
      return 'Running…';
  }
}

/**
 * The console without the line that echoes the run's uncaught error ("Uncaught Name: message
 * (file:line:col)"): the console panel shows that error once, below, with a link to its position.
 */
export function withoutEchoedError(
  entries: readonly ConsoleEntry[],
  error: LearnerError | undefined,
): readonly ConsoleEntry[] {
  if (!error) return entries;
  const echo = `${error.name}: ${error.message}`;
  const echoes = (e: ConsoleEntry): boolean =>
    e.level === 'error' && /^Uncaught (\(in promise\) )?/.test(e.text) && e.text.includes(echo);
  return entries.some(echoes) ? entries.filter((e) => !echoes(e)) : entries;
}

/** The console lines to draw: at most `max`, the newest ones, and how many older ones were left out. */
export function capConsole(
  entries: readonly ConsoleEntry[],
  max: number,
): { shown: readonly ConsoleEntry[]; omitted: number } {
  if (entries.length <= max) return { shown: entries, omitted: 0 };
  return { shown: entries.slice(entries.length - max), omitted: entries.length - max };
}

/** The label of a hidden check: its name plus the scenario (the network condition) it ran under. */
export function checkLabel(check: CheckResult): string {
  return check.hidden ? `${check.name} (hidden check, scenario “${check.scenario}”)` : check.name;
}
