import { useEffect, useState } from 'react';
import type { RunRecording } from '../lab/run/recording.ts';
import type { RunStore } from '../lab/run/store.ts';
import { TimelinePanel } from '../ui/timeline/TimelinePanel.tsx';

export interface TimelineIslandProps {
  /** The lab's run store (created by the lab island); the timeline follows its current run. */
  store: RunStore;
}

/**
 * The lab's timeline: follows the run store and draws the current run live. Store changes are
 * coalesced to one render per animation frame, so a burst of one-byte reads costs one frame. "Open
 * run…" loads a shared run into the same store (console and checks show it too).
 */
export default function TimelineIsland({ store }: TimelineIslandProps) {
  const [recording, setRecording] = useState<RunRecording | undefined>(() => store.get().recording);
  useEffect(() => {
    let frame = 0;
    const unsubscribe = store.subscribe(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setRecording(store.get().recording);
      });
    });
    setRecording(store.get().recording);
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [store]);
  return <TimelinePanel recording={recording} onOpen={(run) => store.load(run)} />;
}
