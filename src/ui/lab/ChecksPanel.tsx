import type { CheckResult } from '../../lab/run/recording.ts';
import { checkLabel, summarizeChecks } from './format.ts';

export interface ChecksPanelProps {
  checks: readonly CheckResult[];
  /** A run is in progress (checks arrive one by one). */
  running: boolean;
  /** At least one run happened. */
  hasRun: boolean;
  /** How many requests each check made (they are recordings of their own, not part of the run). */
  requests?: Readonly<Record<string, number>>;
  /** Opens a check's requests on the timeline. */
  onShow?: (checkId: string) => void;
  /** The check whose requests the timeline shows. */
  shown?: string | undefined;
}

const STATUS_TEXT: Record<CheckResult['status'], string> = {
  pass: 'Passed',
  fail: 'Failed',
  error: 'Error',
  skipped: 'Skipped',
};

const STATUS_ICON: Record<CheckResult['status'], string> = {
  pass: '✓',
  fail: '✗',
  error: '!',
  skipped: '–',
};

/** The checks of the last run: pass/fail with the teaching message, and a live summary. */
export function ChecksPanel({
  checks,
  running,
  hasRun,
  requests = {},
  onShow,
  shown,
}: ChecksPanelProps) {
  const summary = running
    ? checks.length > 0
      ? `Checking… ${summarizeChecks(checks)} so far`
      : 'Running…'
    : hasRun
      ? summarizeChecks(checks)
      : 'Run your code to see the checks.';
  return (
    <div role="group" className="lab-checks" aria-label="Checks">
      <h3 className="lab-panel__title">Checks</h3>
      {/* Not a live region: the lab's status line announces the outcome, once, at the end. */}
      <p className="lab-checks__summary">{summary}</p>
      {checks.length > 0 && (
        <ul className="lab-checks__list">
          {checks.map((check) => (
            <li
              key={`${check.id}@${check.scenario}`}
              className={`lab-check lab-check--${check.status}`}
              data-check-id={check.id}
              data-status={check.status}
            >
              <span className="lab-check__icon" aria-hidden="true">
                {STATUS_ICON[check.status]}
              </span>
              <span className="lab-check__body">
                <span className="lab-check__name">
                  <span className="sr-only">{STATUS_TEXT[check.status]}: </span>
                  {checkLabel(check)}
                </span>
                {check.message && check.status !== 'pass' && (
                  <span className="lab-check__message">{check.message}</span>
                )}
                {onShow && (requests[check.id] ?? 0) > 0 && (
                  <button
                    type="button"
                    className="lab-linkbutton lab-check__requests"
                    aria-pressed={shown === check.id}
                    onClick={() => onShow(check.id)}
                  >
                    {requests[check.id] === 1 ? '1 request' : `${requests[check.id]} requests`}
                    {shown === check.id ? ' (on the timeline)' : ': show on the timeline'}
                  </button>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
