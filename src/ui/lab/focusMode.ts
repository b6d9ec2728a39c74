import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface FocusMode {
  on: boolean;
  toggle: () => void;
}

/**
 * Focus mode for a lab: while on, the lab's section (`.lab`, else `root` itself) carries
 * `data-focus` and fills the viewport (`lab.css`), the page behind it stops scrolling
 * (`data-lab-focus` on <html>), and Escape leaves it. An Escape that something inside already
 * handled (closing a completion list or the search panel) does not.
 */
export function useFocusMode(root: RefObject<HTMLElement | null>): FocusMode {
  const [on, setOn] = useState(false);
  const toggle = useCallback(() => setOn((v) => !v), []);
  useEffect(() => {
    const section = root.current?.closest<HTMLElement>('.lab') ?? root.current;
    if (!on || !section) return;
    section.setAttribute('data-focus', '');
    document.documentElement.setAttribute('data-lab-focus', '');
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.defaultPrevented) setOn(false);
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      section.removeAttribute('data-focus');
      document.documentElement.removeAttribute('data-lab-focus');
      section.scrollIntoView({ block: 'start' });
    };
  }, [on, root]);
  return { on, toggle };
}
