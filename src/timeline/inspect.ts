/**
 * The SSE inspector's engine: feeds reads, one at a time, through the real parser (`src/sse`) and
 * records reads and events as a `RunRecording`, so the inspector draws with the same timeline as a lab
 * run. Reads are placed `interval` ms apart on a synthetic clock (the inspector is about how bytes are
 * cut, not about real time).
 */
import type { Provider, RunRecording } from '../lab/run/recording.ts';
import { createSseParser } from '../sse/index.ts';
import { toBase64 } from './bytes.ts';

export interface InspectorRunOptions {
  label: string;
  provider?: Provider;
  /** Synthetic ms between reads. */
  interval?: number;
  /**
   * Decode each read on its own, without `{ stream: true }` (the classic bug): a character cut in two
   * by a read turns into U+FFFD.
   */
  naiveDecode?: boolean;
}

export interface InspectorRun {
  /** The recording so far (mutated in place; take `snapshot()` for a new identity). */
  readonly recording: RunRecording;
  /** Feeds the next read; returns how many events it completed. */
  push(read: Uint8Array): number;
  /** Ends the stream (an unterminated last event is discarded, as the spec says). */
  end(): void;
  /** A shallow copy with a new identity, for views that re-render on identity. */
  snapshot(): RunRecording;
}

let counter = 0;

export function createInspectorRun(options: InspectorRunOptions): InspectorRun {
  const interval = options.interval ?? 10;
  const attempt: RunRecording['attempts'][number] = {
    index: 0,
    method: 'GET',
    url: 'inspector://stream',
    provider: options.provider ?? 'other',
    scenario: 'inspector',
    tRequest: 0,
    tHeaders: 0,
    status: 200,
    reads: [],
    events: [],
  };
  const recording: RunRecording = {
    version: 1,
    id: `inspector-${++counter}`,
    label: options.label,
    scenario: 'inspector',
    engine: 'inspector',
    startedAt: new Date(0).toISOString(),
    attempts: [attempt],
    console: [],
    checks: [],
  };
  // The SSE parser strips the stream's one leading BOM itself; a decoder that also stripped it would
  // hide a second U+FEFF, which is content.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let pendingRead = 0;
  let pendingT = 0;
  const parser = createSseParser({
    onEvent(event) {
      attempt.events.push({
        t: pendingT,
        read: pendingRead,
        type: event.type,
        data: event.data,
        ...(event.id !== undefined ? { id: event.id } : {}),
      });
    },
  });
  return {
    recording,
    push(read) {
      const t = (attempt.reads.length + 1) * interval;
      pendingRead = attempt.reads.length;
      pendingT = t;
      attempt.reads.push({ t, bytes: toBase64(read), size: read.length });
      const before = attempt.events.length;
      parser.feed(
        options.naiveDecode
          ? new TextDecoder().decode(read)
          : decoder.decode(read, { stream: true }),
      );
      return attempt.events.length - before;
    },
    end() {
      if (attempt.tEnd !== undefined) return;
      if (!options.naiveDecode) parser.feed(decoder.decode());
      parser.end();
      attempt.tEnd = (attempt.reads.length + 1) * interval;
      attempt.end = 'done';
      recording.tEnd = attempt.tEnd;
      recording.outcome = 'ok';
    },
    snapshot: () => ({ ...recording }),
  };
}
