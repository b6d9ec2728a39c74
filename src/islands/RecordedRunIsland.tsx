import { useEffect, useState, type ReactNode } from 'react';
import type { RunRecording } from '../lab/run/recording.ts';
import { Compare } from '../ui/timeline/Compare.tsx';
import { TimelinePanel } from '../ui/timeline/TimelinePanel.tsx';

export interface RecordedRunIslandProps {
  /** URL of the recorded run's JSON (validated at build time by `RecordedRun.astro`). */
  src: string;
  label: string;
  /** A second run to stack under the first, on the same time scale. */
  compare?: { src: string; label: string };
  withoutStreaming?: boolean;
  /**
   * The same view rendered on the server (static HTML, no props to hydrate): shown until the run files
   * arrive, and all a reader without JavaScript gets. Passing it as children rather than the runs as
   * props keeps the page small: island props are serialized into the HTML as JSON.
   */
  children?: ReactNode;
}

async function fetchRun(src: string): Promise<RunRecording> {
  const response = await fetch(src);
  if (!response.ok) throw new Error(`${src}: HTTP ${response.status}`);
  return (await response.json()) as RunRecording;
}

/** A recorded run in a lesson, without a lab: the full timeline, or two runs stacked for comparison. */
export default function RecordedRunIsland({
  src,
  label,
  compare,
  withoutStreaming,
  children,
}: RecordedRunIslandProps) {
  const [runs, setRuns] = useState<RunRecording[] | null>(null);
  const [shown, setShown] = useState<RunRecording | null>(null);
  // Each opened file gets a fresh panel (selection, zoom), whatever its run id.
  const [opened, setOpened] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all([src, ...(compare ? [compare.src] : [])].map(fetchRun)).then(
      (loaded) => {
        if (live) setRuns(loaded);
      },
      // The server-rendered view stays; the interactive one is only an upgrade.
      (error: unknown) => console.warn('recorded run not loaded:', error),
    );
    return () => {
      live = false;
    };
  }, [src, compare?.src]);

  // A real box around the slot: `client:visible` watches the island's children, and the slot Astro
  // renders them in is `display: contents`, which an IntersectionObserver never sees.
  if (!runs) return <div className="recorded-run__static">{children}</div>;
  const [run, second] = runs as [RunRecording, RunRecording | undefined];
  if (compare && second) {
    return (
      <Compare
        runs={[
          { recording: run, label },
          { recording: second, label: compare.label },
        ]}
        withoutStreaming={withoutStreaming}
      />
    );
  }
  const current = shown ?? run;
  return (
    <TimelinePanel
      key={opened}
      recording={current}
      label={current === run ? label : (current.label ?? 'Opened run')}
      withoutStreaming={withoutStreaming}
      onOpen={(next) => {
        setShown(next);
        setOpened((n) => n + 1);
      }}
    />
  );
}
