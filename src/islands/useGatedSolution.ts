/**
 * The solution a lab can show. In a build with `STREAMLAB_SOLUTIONS=always` it is in the bundle; with
 * `after-pass` it is fetched from its own static file (`src/lab/lab-files.ts`) the first time `passed`
 * is true, and stays for the page's life; with `never` there is none.
 */
import { useEffect, useState } from 'react';
import type { LabBundle } from '../lab/catalog.ts';
import { fetchLabFile } from '../lab/lab-files.ts';
import { siteUrl } from '../lib/url.ts';

export interface GatedSolution {
  /** The solution's text, once the page has it. */
  text?: string;
  /** The solution exists but is not unlocked yet (after-pass, not passed). */
  locked: boolean;
  /** Why fetching it failed. */
  problem?: string;
}

export function useGatedSolution(
  bundle: LabBundle,
  afterPass: boolean,
  passed: boolean,
): GatedSolution {
  const [unlocked, setUnlocked] = useState(false);
  const [text, setText] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  // Latches during render (no extra commit, no frame reported locked once passed).
  if (afterPass && passed && !unlocked) setUnlocked(true);
  useEffect(() => {
    if (!unlocked) return;
    let live = true;
    fetchLabFile(bundle.id, 'solution', siteUrl('')).then(
      (solution) => live && setText(solution),
      (error: Error) => live && setProblem(error.message),
    );
    return () => {
      live = false;
    };
  }, [unlocked, bundle.id]);
  if (!afterPass)
    return { locked: false, ...(bundle.files.solution ? { text: bundle.files.solution } : {}) };
  return {
    locked: !unlocked,
    ...(text !== undefined ? { text } : {}),
    ...(problem !== undefined ? { problem } : {}),
  };
}
