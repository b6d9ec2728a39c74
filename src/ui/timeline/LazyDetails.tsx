import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A closed `<details>` whose content is rendered only once it is opened: a recorded run's full table is
 * hundreds of rows, and rendering it into the page's HTML made a lesson's first download a fifth heavier
 * for a table most readers never open.
 */
export function LazyDetails({ summary, children }: { summary: string; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [opened, setOpened] = useState(false);
  // Opened before the island hydrated: the toggle event was missed.
  useEffect(() => {
    if (ref.current?.open) setOpened(true);
  }, []);
  return (
    <details
      ref={ref}
      className="tl-compare-table"
      onToggle={(event) => {
        if (event.currentTarget.open) setOpened(true);
      }}
    >
      <summary>{summary}</summary>
      {opened ? children : null}
    </details>
  );
}
