import { formatMs } from '../../timeline/figures.ts';
import type { TimelineModel } from '../../timeline/types.ts';

/**
 * The same run twice, on one scale: as the streaming user lived it (text from the first token on) and
 * as a non-streaming user would have (nothing at all until the response is complete).
 */
export function WithoutStreaming({ model, end }: { model: TimelineModel; end?: number }) {
  const origin = model.domain.origin;
  const total = Math.max((end ?? model.domain.end) - origin, 1);
  const ttft = model.figures.ttftMs;
  const done = model.final.tDone === null ? null : model.final.tDone - origin;
  const pct = (ms: number): string => `${Math.min(100, Math.max(0, (ms / total) * 100))}%`;
  const summary =
    ttft === null
      ? 'No output yet.'
      : `Streaming: the first words after ${formatMs(ttft)}. Without streaming: nothing until ${done === null ? 'the end' : formatMs(done)}, then the whole answer at once.`;
  return (
    <figure className="tl-nostream">
      <div className="tl-nostream-row">
        <span className="tl-nostream-label">Streaming</span>
        <div className="tl-nostream-track" aria-hidden="true">
          {ttft !== null && (
            <div
              className="tl-nostream-fill tl-nostream-fill--stream"
              style={{ left: pct(ttft), right: done === null ? '0' : `calc(100% - ${pct(done)})` }}
            />
          )}
        </div>
      </div>
      <div className="tl-nostream-row">
        <span className="tl-nostream-label">Without streaming</span>
        <div className="tl-nostream-track" aria-hidden="true">
          <div className="tl-nostream-wait" style={{ width: done === null ? '100%' : pct(done) }} />
          {done !== null && <div className="tl-nostream-all" style={{ left: pct(done) }} />}
        </div>
      </div>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
