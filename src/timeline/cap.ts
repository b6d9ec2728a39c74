/**
 * An imported run is cut to what the page can draw without freezing: at most `IMPORT_ATTEMPT_LIMIT`
 * attempts (a retry loop without backoff makes thousands), before it is validated, so a file of 20,000
 * attempts is neither parsed field by field nor drawn in full. Console lines, check messages and the
 * run's error are cut like the page's own (`truncateText`). What was left out is said in a console note
 * at the top of the run, never dropped silently.
 */
import { CONSOLE_TEXT_LIMIT, ERROR_TEXT_LIMIT, truncateText } from '../lab/run/truncate.ts';
import type { RunRecording } from '../lab/run/recording.ts';

/** The most attempts an imported run keeps. */
export const IMPORT_ATTEMPT_LIMIT = 2_000;

/** Cuts the `attempts` of parsed JSON to the limit, in place; returns how many were left out. */
export function capAttempts(json: unknown): number {
  if (typeof json !== 'object' || json === null) return 0;
  const attempts = (json as { attempts?: unknown }).attempts;
  if (!Array.isArray(attempts) || attempts.length <= IMPORT_ATTEMPT_LIMIT) return 0;
  const dropped = attempts.length - IMPORT_ATTEMPT_LIMIT;
  attempts.length = IMPORT_ATTEMPT_LIMIT;
  return dropped;
}

/** Cuts the long texts of a validated run, in place, and adds a note of what the import left out. */
export function capTexts(run: RunRecording, droppedAttempts: number): RunRecording {
  for (const entry of run.console) entry.text = truncateText(entry.text, CONSOLE_TEXT_LIMIT);
  for (const check of run.checks)
    if (check.message !== undefined) check.message = truncateText(check.message, ERROR_TEXT_LIMIT);
  if (run.error) run.error.message = truncateText(run.error.message, ERROR_TEXT_LIMIT);
  if (droppedAttempts > 0) {
    run.console.unshift({
      t: 0,
      level: 'warn',
      text: `This imported run had ${(IMPORT_ATTEMPT_LIMIT + droppedAttempts).toLocaleString('en-US')} attempts: the first ${IMPORT_ATTEMPT_LIMIT.toLocaleString('en-US')} are shown (… truncated, ${droppedAttempts.toLocaleString('en-US')} more attempts).`,
    });
  }
  return run;
}
