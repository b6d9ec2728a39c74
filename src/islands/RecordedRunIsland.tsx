import { useState } from 'react';
import type { RunRecording } from '../lab/run/recording.ts';
import { Compare } from '../ui/timeline/Compare.tsx';
import { TimelinePanel } from '../ui/timeline/TimelinePanel.tsx';

export interface RecordedRunIslandProps {
  /** The recorded run (validated at build time by `RecordedRun.astro`). */
  run: RunRecording;
  label: string;
  /** A second run to stack under the first, on the same time scale. */
  compare?: { run: RunRecording; label: string };
  withoutStreaming?: boolean;
}

/** A recorded run in a lesson, without a lab: the full timeline, or two runs stacked for comparison. */
export default function RecordedRunIsland({
  run,
  label,
  compare,
  withoutStreaming,
}: RecordedRunIslandProps) {
  const [shown, setShown] = useState(run);
  // Each opened file gets a fresh panel (selection, zoom), whatever its run id.
  const [opened, setOpened] = useState(0);
  if (compare) {
    return (
      <Compare
        runs={[
          { recording: run, label },
          { recording: compare.run, label: compare.label },
        ]}
        withoutStreaming={withoutStreaming}
      />
    );
  }
  return (
    <TimelinePanel
      key={opened}
      recording={shown}
      label={shown === run ? label : (shown.label ?? 'Opened run')}
      withoutStreaming={withoutStreaming}
      onOpen={(next) => {
        setShown(next);
        setOpened((n) => n + 1);
      }}
    />
  );
}
