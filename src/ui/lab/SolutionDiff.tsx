import { useEffect, useRef, useState } from 'react';

export interface SolutionDiffProps {
  learnerCode: string;
  solution: string;
  onClose: () => void;
}

/** Width (px) from which the diff is side by side; below, one unified view fits a phone. */
const SIDE_BY_SIDE_MIN = 720;

/**
 * The lab's solution as a diff beside the learner's code. Read-only on both sides: showing the solution
 * never touches the learner's editor.
 */
export function SolutionDiff({ learnerCode, solution, onClose }: SolutionDiffProps) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [sideBySide, setSideBySide] = useState(true);

  useEffect(() => {
    let destroy: (() => void) | undefined;
    let cancelled = false;
    import('../editor/diffView.ts')
      .then(({ createDiffView }) => {
        if (cancelled || !host.current) return;
        const wide = host.current.clientWidth >= SIDE_BY_SIDE_MIN;
        const view = createDiffView({
          parent: host.current,
          learnerCode,
          solution,
          sideBySide: wide,
        });
        setSideBySide(wide);
        // Bring the diff into view: it opens below the editor, possibly off-screen on a phone.
        host.current.scrollIntoView({ block: 'nearest' });
        destroy = () => view.destroy();
        setState('ready');
      })
      .catch(() => {
        if (!cancelled) setState('failed');
      });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [learnerCode, solution]);

  return (
    <div role="group" className="lab-solution" aria-label="Solution compared with your code">
      <div className="lab-solution__head">
        <h3 className="lab-panel__title">Solution</h3>
        <p className="lab-muted lab-solution__legend">
          {sideBySide
            ? 'Left: your code. Right: the solution.'
            : 'The solution, with your differing lines marked as removed.'}{' '}
          Your code is not changed.
        </p>
        <button type="button" className="lab-button" onClick={onClose}>
          Hide solution
        </button>
      </div>
      {state === 'loading' && <p className="lab-muted">Loading the diff…</p>}
      {state === 'failed' && (
        <pre className="lab-solution__fallback">
          <code>{solution}</code>
        </pre>
      )}
      <div ref={host} className="lab-solution__diff" data-state={state} />
    </div>
  );
}
