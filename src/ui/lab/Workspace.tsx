import { useRef, type KeyboardEventHandler, type ReactNode } from 'react';
import { Splitter } from './Splitter.tsx';
import { useFocusMode } from './focusMode.ts';

export interface WorkspaceProps {
  /** Beside the editor on wide screens, first when stacked: the goal and the hints. */
  aside: ReactNode;
  /** The lab's actions (Run, Stop, ...). The Expand button is added after them. */
  toolbar: ReactNode;
  /** One status line under the toolbar. */
  status: ReactNode;
  /** The code editor (and what belongs to it: file name, key help). */
  editor: ReactNode;
  /** Beside the editor on wide screens: what a run prints (console, checks, ...). */
  output: ReactNode;
  /** Full width under the editor and output (the solution diff, when shown). */
  below?: ReactNode;
  /** Full width at the bottom: the timeline. */
  timeline: ReactNode;
  /** False before hydration: the Expand button needs JavaScript. */
  interactive: boolean;
  onKeyDown?: KeyboardEventHandler<HTMLDivElement>;
  /** Called once, when a pointer first moves over the lab or something in it first gets focus. */
  onFirstInteraction?: () => void;
}

/**
 * The lab's layout: a few named regions placed by `lab.css`. Narrower than 1100 px they stack in
 * reading order (goal and hints, toolbar, editor, output, timeline); from 1100 px the lab leaves the
 * text column (`LessonLayout.astro`) and the regions form a workspace: goal and hints beside the
 * editor, editor and output in a resizable split, the timeline at full width below. Expand turns on
 * focus mode (the lab fills the viewport); Escape leaves it.
 */
export function Workspace(props: WorkspaceProps) {
  const root = useRef<HTMLDivElement>(null);
  const split = useRef<HTMLDivElement>(null);
  const focus = useFocusMode(root);
  const interacted = useRef(false);
  const firstInteraction = (): void => {
    if (interacted.current) return;
    interacted.current = true;
    props.onFirstInteraction?.();
  };
  return (
    <div
      ref={root}
      className="lab-ui lab-ws"
      onKeyDown={props.onKeyDown}
      onPointerOver={firstInteraction}
      onFocus={firstInteraction}
      data-hydrated={props.interactive}
    >
      {/* It scrolls on wide screens when the hints are long: a tab stop lets a keyboard scroll it too. */}
      {/* A group, not a landmark: a page with two labs would have two regions of the same name. */}
      <div className="lab-ws__aside" tabIndex={0} role="group" aria-label="About this lab">
        {props.aside}
      </div>
      <div className="lab-ws__bar">
        {props.toolbar}
        <button
          type="button"
          className="lab-button lab-ws__expand"
          disabled={!props.interactive}
          aria-pressed={focus.on}
          onClick={focus.toggle}
          title={focus.on ? 'Leave focus mode (Escape)' : 'Fill the window with the lab'}
        >
          {focus.on ? 'Collapse' : 'Expand'}
        </button>
      </div>
      <div className="lab-ws__status">{props.status}</div>
      <div ref={split} className="lab-ws__split">
        <div className="lab-ws__editor">{props.editor}</div>
        <Splitter container={split} label="Resize the editor and the output" />
        <div className="lab-ws__output">{props.output}</div>
      </div>
      {props.below && <div className="lab-ws__below">{props.below}</div>}
      <div className="lab-ws__timeline">{props.timeline}</div>
    </div>
  );
}
