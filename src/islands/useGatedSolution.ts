/**
 * The solution a lab can show. It is never in the page: it is a static file of its own
 * (`src/lab/lab-files.ts`), fetched when it is first wanted. With `STREAMLAB_SOLUTIONS=always` it is
 * wanted when the learner first asks to see it; with `after-pass`, the first time `passed` is true (and it
 * stays for the page's life); with `never` there is none.
 */
import { useCallback, useEffect, useState } from 'react';
import { fetchLabFile } from '../lab/lab-files.ts';
import { siteUrl } from '../lib/url.ts';

export type SolutionsMode = 'always' | 'after-pass' | 'never';

export interface GatedSolution {
  /** The lab offers its solution (now, or once unlocked). */
  offered: boolean;
  /** The solution's text, once the page has it. */
  text?: string;
  /** The solution exists but is not unlocked yet (after-pass, not passed). */
  locked: boolean;
  /** Why fetching it failed. */
  problem?: string;
  /** Asks for the solution (`always`): fetched once, on the first call. */
  want(): void;
}

export function useGatedSolution(
  labId: string,
  mode: SolutionsMode,
  passed: boolean,
): GatedSolution {
  const [wanted, setWanted] = useState(false);
  const [text, setText] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  // Latches during render (no extra commit, no frame reported locked once passed).
  if (mode === 'after-pass' && passed && !wanted) setWanted(true);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    setProblem(undefined);
    fetchLabFile(labId, 'solution', siteUrl('')).then(
      (solution) => live && setText(solution),
      (error: Error) => live && setProblem(error.message),
    );
    return () => {
      live = false;
    };
  }, [wanted, labId]);
  const want = useCallback(() => setWanted(true), []);
  return {
    offered: mode !== 'never',
    locked: mode === 'after-pass' && !wanted,
    want,
    ...(text !== undefined ? { text } : {}),
    ...(problem !== undefined ? { problem } : {}),
  };
}
