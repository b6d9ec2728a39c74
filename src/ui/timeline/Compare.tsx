import { useState } from 'react';
import type { RunRecording } from '../../lab/run/recording.ts';
import { fitView, type View } from '../../timeline/scale.ts';
import { Figures } from './Figures.tsx';
import { LazyDetails } from './LazyDetails.tsx';
import { RunTable } from './RunTable.tsx';
import { Timeline } from './Timeline.tsx';
import { useTimeline } from './useTimeline.ts';
import { WithoutStreaming } from './WithoutStreaming.tsx';
import './timeline.css';

export interface CompareProps {
  runs: [{ recording: RunRecording; label: string }, { recording: RunRecording; label: string }];
  withoutStreaming?: boolean;
}

/** Two runs stacked on one time scale (e.g. default against `slow-first-token`), zoomed together. */
export function Compare({ runs, withoutStreaming }: CompareProps) {
  const a = useTimeline(runs[0].recording)!;
  const b = useTimeline(runs[1].recording)!;
  const domain = {
    origin: Math.min(a.domain.origin, b.domain.origin),
    end: Math.max(a.domain.end, b.domain.end),
  };
  const [view, setView] = useState<View>(() => fitView(domain));
  return (
    <div className="tl-compare">
      {[a, b].map((model, i) => (
        <section key={i} className="tl-panel" aria-label={runs[i]!.label}>
          <div className="tl-head">
            <p className="tl-title">{runs[i]!.label}</p>
            <Figures figures={model.figures} />
          </div>
          <Timeline
            model={model}
            version={model.version}
            label={`Timeline: ${runs[i]!.label}`}
            view={view}
            onViewChange={setView}
            domain={domain}
          />
          {withoutStreaming && <WithoutStreaming model={model} end={domain.end} />}
          <LazyDetails summary="Every read and event of this run">
            <RunTable
              rows={model.rows}
              count={model.rows.length}
              origin={model.domain.origin}
              multiAttempt={model.bands.length > 1}
              name={`Chunk timeline: ${runs[i]!.label}`}
            />
          </LazyDetails>
        </section>
      ))}
    </div>
  );
}
