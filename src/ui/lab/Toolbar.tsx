import type { ReactNode } from 'react';

export interface ToolbarProps {
  /** False before hydration: the buttons render disabled (they need JavaScript). */
  interactive: boolean;
  running: boolean;
  solutionShown: boolean;
  /** Platform-specific shortcut text for Run ("Ctrl+Enter" or "⌘+Enter"). */
  runShortcut: string;
  onRun: () => void;
  onCheckAll: () => void;
  onStop: () => void;
  onReset: () => void;
  /** Absent when there is no solution to show (`STREAMLAB_SOLUTIONS=never`, or not unlocked yet): no button. */
  onToggleSolution?: (() => void) | undefined;
  /** `STREAMLAB_SOLUTIONS=after-pass` and the visible checks have not passed yet: says so instead. */
  solutionLocked?: boolean;
  /** Saves the lab's code as `<lab-id>.ts` ("Download my work"). */
  onDownload?: () => void;
  /** The file the download is saved as, for the button's tooltip. */
  fileName?: string;
  /** The scenario picker. */
  children?: ReactNode;
}

/** Run / Run all checks / Stop, Reset, Show solution, Download my work, and the scenario picker. */
export function Toolbar(props: ToolbarProps) {
  const off = !props.interactive;
  return (
    <div className="lab-toolbar" role="toolbar" aria-label="Lab actions">
      <div className="lab-toolbar__group">
        {props.running ? (
          <button type="button" className="lab-button lab-button--danger" onClick={props.onStop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="lab-button lab-button--primary"
            disabled={off}
            onClick={props.onRun}
            aria-keyshortcuts="Control+Enter Meta+Enter"
            title={`Run (${props.runShortcut})`}
          >
            Run {/* The shortcut is announced through aria-keyshortcuts; the name stays "Run". */}
            <kbd aria-hidden="true">{props.runShortcut}</kbd>
          </button>
        )}
        <button
          type="button"
          className="lab-button"
          disabled={off || props.running}
          onClick={props.onCheckAll}
        >
          Run all checks
        </button>
      </div>
      {props.children}
      <div className="lab-toolbar__group">
        <button type="button" className="lab-button" disabled={off} onClick={props.onReset}>
          Reset
        </button>
        {props.onToggleSolution && (
          <button
            type="button"
            className="lab-button"
            disabled={off}
            aria-pressed={props.solutionShown}
            onClick={props.onToggleSolution}
          >
            {props.solutionShown ? 'Hide solution' : 'Show solution'}
          </button>
        )}
        {props.solutionLocked && (
          <span className="lab-muted lab-solution-locked">
            The solution opens once Run&apos;s checks pass.
          </span>
        )}
        {props.onDownload && (
          <button
            type="button"
            className="lab-button"
            disabled={off}
            onClick={props.onDownload}
            title={`Save your code as ${props.fileName ?? 'a .ts file'}, ready for streamlab grade`}
          >
            Download my work
          </button>
        )}
      </div>
    </div>
  );
}
