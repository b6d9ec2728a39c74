import { Fragment } from 'react';
import type { ConsoleEntry, LearnerError } from '../../lab/run/recording.ts';
import { findLocations, formatLocation } from '../editor/position.ts';
import { capConsole, withoutEchoedError } from './format.ts';

export interface ConsolePanelProps {
  entries: readonly ConsoleEntry[];
  /** The uncaught error or rejection that ended the run. */
  error?: LearnerError | undefined;
  /** One line under the output, e.g. the timeout notice. */
  notice?: string | undefined;
  /** The learner's file name: `file:line:col` references to it become links. */
  fileName: string;
  /** Jumps the editor to a position in the learner's file. */
  onJump: (line: number, column: number) => void;
  /** The entries are the previous run's, shown until the new run's first output (`RunState.stale`). */
  stale?: boolean | undefined;
  /** At most this many lines are drawn (the newest). */
  max?: number;
}

/** Text with each `file:line:col` reference to the learner's file turned into a jump button. */
function Linked({
  text,
  fileName,
  onJump,
}: {
  text: string;
  fileName: string;
  onJump: (line: number, column: number) => void;
}) {
  const found = findLocations(text, fileName);
  if (found.length === 0) return <>{text}</>;
  const parts = [];
  let last = 0;
  for (const [i, { start, end, location }] of found.entries()) {
    parts.push(<Fragment key={`t${i}`}>{text.slice(last, start)}</Fragment>);
    parts.push(
      <button
        key={`l${i}`}
        type="button"
        className="lab-console__loc"
        onClick={() => onJump(location.line, location.column)}
        title="Show this line in the editor"
      >
        {text.slice(start, end)}
      </button>,
    );
    last = end;
  }
  parts.push(<Fragment key="end">{text.slice(last)}</Fragment>);
  return <>{parts}</>;
}

/**
 * The run's console output, streamed as it arrives, then the uncaught error with its location. The
 * log is not announced line by line (a learner may log every token); the lab's status line
 * announces the end of the run.
 */
export function ConsolePanel(props: ConsolePanelProps) {
  const { shown, omitted } = capConsole(
    withoutEchoedError(props.entries, props.error),
    props.max ?? 500,
  );
  const error = props.error;
  const where =
    error?.line !== undefined
      ? formatLocation({
          file: error.file ?? props.fileName,
          line: error.line,
          column: error.column ?? 1,
        })
      : undefined;
  const empty = shown.length === 0 && !error && !props.notice;
  return (
    <div role="group" className="lab-console" aria-label="Console">
      <h3 className="lab-panel__title">Console</h3>
      <div
        className="lab-console__out"
        role="log"
        aria-live="off"
        aria-busy={props.stale || undefined}
        tabIndex={0}
      >
        {omitted > 0 && <p className="lab-console__omitted">{omitted} earlier lines not shown</p>}
        {empty && <p className="lab-muted">Output from console.log appears here.</p>}
        {shown.map((entry, i) => (
          <p key={omitted + i} className={`lab-console__line lab-console__line--${entry.level}`}>
            {entry.level !== 'log' && <span className="lab-console__level">{entry.level}</span>}
            <Linked text={entry.text} fileName={props.fileName} onJump={props.onJump} />
          </p>
        ))}
        {error && (
          <p className="lab-console__line lab-console__line--error lab-console__uncaught">
            <span className="lab-console__level">uncaught</span>
            {error.name}: {error.message}
            {where && (
              <>
                {' at '}
                <button
                  type="button"
                  className="lab-console__loc"
                  onClick={() => props.onJump(error.line!, error.column ?? 1)}
                  title="Show this line in the editor"
                >
                  {where}
                </button>
              </>
            )}
          </p>
        )}
        {props.notice && <p className="lab-console__line lab-console__notice">{props.notice}</p>}
      </div>
    </div>
  );
}
