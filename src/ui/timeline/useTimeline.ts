import { useMemo, useRef } from 'react';
import type { RunRecording } from '../../lab/run/recording.ts';
import { TimelineBuilder } from '../../timeline/model.ts';
import type { TimelineModel } from '../../timeline/types.ts';

/**
 * The timeline model of a recording that may be growing: one builder per component, fed each new
 * snapshot, so a live run costs only what is new. The model object is reused; read `model.version`
 * during render to pass a changing prop down.
 */
export function useTimeline(recording: RunRecording | undefined): TimelineModel | undefined {
  const builder = useRef<TimelineBuilder | null>(null);
  return useMemo(() => {
    if (!recording) return undefined;
    builder.current ??= new TimelineBuilder();
    return builder.current.update(recording);
  }, [recording]);
}
