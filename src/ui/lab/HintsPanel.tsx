import { useEffect, useRef } from 'react';
import { InlineText } from './InlineText.tsx';

export interface HintsPanelProps {
  hints: readonly string[];
  /** How many hints are revealed. */
  shown: number;
  interactive: boolean;
  onShowNext: () => void;
}

/** Hints, revealed one at a time, mildest first. */
export function HintsPanel({ hints, shown, interactive, onShowNext }: HintsPanelProps) {
  const list = useRef<HTMLOListElement>(null);
  const previous = useRef(shown);
  /** Set by the button: hints restored from progress on load must not steal the focus. */
  const asked = useRef(false);
  useEffect(() => {
    // Move focus to a hint the learner just asked for, so screen readers read it at once.
    if (asked.current && shown > previous.current) {
      list.current?.querySelector<HTMLElement>(`li:nth-child(${shown})`)?.focus();
    }
    asked.current = false;
    previous.current = shown;
  }, [shown]);

  if (hints.length === 0) return null;
  return (
    <div role="group" className="lab-hints" aria-label="Hints">
      <h3 className="lab-panel__title">Hints</h3>
      {shown > 0 && (
        <ol ref={list} className="lab-hints__list">
          {hints.slice(0, shown).map((hint, i) => (
            <li key={i} tabIndex={-1}>
              <InlineText text={hint} />
            </li>
          ))}
        </ol>
      )}
      {shown < hints.length ? (
        <button
          type="button"
          className="lab-button"
          disabled={!interactive}
          onClick={() => {
            asked.current = true;
            onShowNext();
          }}
        >
          Show hint {shown + 1} of {hints.length}
        </button>
      ) : (
        <p className="lab-muted">All {hints.length} hints shown.</p>
      )}
    </div>
  );
}
