import { useDeferredValue, useState } from 'react';
import type { RunRecording } from '../../lab/run/recording.ts';
import { Figures } from './Figures.tsx';
import { RunDetails } from './RunDetails.tsx';
import { RunFile } from './RunFile.tsx';
import { RunTable } from './RunTable.tsx';
import { Timeline } from './Timeline.tsx';
import { useThrottled } from './useThrottled.ts';
import { useTimeline } from './useTimeline.ts';
import { WithoutStreaming } from './WithoutStreaming.tsx';
import './timeline.css';

export interface TimelinePanelProps {
  recording: RunRecording | undefined;
  /** Heading-free label for the run ("Starter, default scenario"). */
  label?: string;
  /** Show the "without streaming" strip (the TTFT lesson). */
  withoutStreaming?: boolean;
  /** Offer "Open run…"; called with a validated imported run. */
  onOpen?: (run: RunRecording) => void;
  /** Hide the export/open buttons (the SSE inspector). */
  hideFile?: boolean;
  /** Shown before the first run. */
  emptyText?: string;
}

/** Timeline, figures, details of the selection, the "Chunk timeline" table, export/open: one run. */
export function TimelinePanel({
  recording: latest,
  label,
  withoutStreaming,
  onOpen,
  hideFile,
  emptyText = 'No run yet: press Run to see every read and event here.',
}: TimelinePanelProps) {
  // Rendered at a lower priority than the rest of the lab: a run's console and status update at once,
  // and the timeline (hundreds of rows and marks) catches up without holding up the next chunk.
  const recording = useDeferredValue(latest);
  const model = useTimeline(recording);
  const [selected, setSelected] = useState<string>();
  const name = label ?? recording?.label ?? 'Run';
  // The table and the details follow a live run four times a second; the canvas, every frame.
  const rowCount = useThrottled(model?.rows.length ?? 0, model?.live ?? false);
  const detailsVersion = useThrottled(model?.version ?? 0, model?.live ?? false);
  if (!model || !recording) {
    return (
      <div className="tl-panel tl-panel--empty">
        <p className="tl-muted">{emptyText}</p>
        {!hideFile && <RunFile onOpen={onOpen} />}
      </div>
    );
  }
  return (
    <div className="tl-panel" data-live={model.live ? 'true' : 'false'}>
      <div className="tl-head">
        <p className="tl-title">
          {name}
          {model.live ? <span className="tl-live"> ● live</span> : null}
        </p>
        <Figures figures={model.figures} />
      </div>
      <Timeline
        model={model}
        version={model.version}
        label={`Timeline: ${name}`}
        selected={selected}
        onSelect={setSelected}
      />
      {withoutStreaming && <WithoutStreaming model={model} />}
      <div className="tl-split-view">
        <RunDetails model={model} version={detailsVersion} selected={selected} />
        <RunTable
          rows={model.rows}
          count={Math.min(rowCount, model.rows.length)}
          origin={model.domain.origin}
          selected={selected}
          onSelect={setSelected}
          multiAttempt={model.bands.length > 1}
        />
      </div>
      {!hideFile && <RunFile recording={recording} onOpen={onOpen} />}
    </div>
  );
}
