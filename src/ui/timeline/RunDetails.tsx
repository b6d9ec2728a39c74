import { memo } from 'react';
import { describeBytes } from '../../timeline/bytes.ts';
import { lowerBound } from '../../timeline/scale.ts';
import type { EventItem, TimelineModel, WireRead } from '../../timeline/types.ts';
import { formatTime } from './RunTable.tsx';

export interface RunDetailsProps {
  model: TimelineModel;
  /** Changes when the (mutated) model should be shown anew. */
  version: number;
  selected?: string;
}

function ReadBytes({ read }: { read: WireRead }) {
  return (
    <pre className="tl-bytes" aria-label="Bytes of the read">
      {describeBytes(read.bytes, read.eventEnds).map((seg, i) => {
        switch (seg.kind) {
          case 'text':
            return <span key={i}>{seg.text}</span>;
          case 'cr':
            return (
              <span key={i} className="tl-ctl" title="carriage return (CR)">
                \r
              </span>
            );
          case 'lf':
            return (
              <span key={i}>
                <span className="tl-ctl" title="line feed (LF)">
                  \n
                </span>
                {'\n'}
              </span>
            );
          case 'partial':
            return (
              <span
                key={i}
                className="tl-partial"
                title={
                  seg.where === 'start'
                    ? 'rest of a character begun in the previous read'
                    : 'start of a character that the next read finishes'
                }
              >
                ‹{seg.hex}›
              </span>
            );
          case 'boundary':
            return (
              <span
                key={i}
                className="tl-split"
                role="img"
                aria-label="event ends here"
                title="event ends here"
              />
            );
        }
      })}
      <span
        className="tl-split tl-split--end"
        role="img"
        aria-label={read.insideEvent ? 'read ends here, inside an event' : 'read ends here'}
      >
        end of read
      </span>
    </pre>
  );
}

const TAIL = 1500;

function formatData(data: string): string {
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return data;
  }
}

/** What the output looked like at time `t` of `attempt`: text so far and each tool call's arguments. */
function OutputAt({ model, attempt, t }: { model: TimelineModel; attempt: number; t: number }) {
  const output = model.lanes.output[attempt];
  if (!output) return null;
  const steps = output.steps;
  const n = lowerBound(steps, t + 1e-9);
  const full = n > 0 ? output.text.slice(0, steps[n - 1]!.length) : '';
  // Long outputs show their end (where the text is growing); the whole text is one selection away.
  const text = full.length > TAIL ? `…${full.slice(-TAIL)}` : full;
  return (
    <div className="tl-output">
      <p className="tl-details-title">Output at {formatTime(t, model.domain.origin)} ms</p>
      <p className="tl-output-text" tabIndex={0} role="region" aria-label="Output text">
        {text || <em>(no text yet)</em>}
      </p>
      {output.tools.map((tool) => {
        const k = lowerBound(tool.fragments, t + 1e-9);
        const args = k > 0 ? tool.args.slice(0, tool.fragments[k - 1]!.length) : '';
        const valid = tool.validAt && tool.validAt.t <= t;
        return (
          <div key={tool.key} className="tl-tool">
            <p>
              Tool call <code>{tool.name ?? tool.key}</code>: {k} of {tool.fragments.length}{' '}
              fragments{' '}
              {valid ? (
                <strong className="tl-valid">
                  ◆ arguments parse as JSON (from {formatTime(tool.validAt!.t, model.domain.origin)}{' '}
                  ms)
                </strong>
              ) : (
                <span>— not valid JSON yet</span>
              )}
            </p>
            <pre className="tl-bytes">{args || ' '}</pre>
          </div>
        );
      })}
    </div>
  );
}

/** Details of the selected read (its raw bytes, with \r, \n and split points) or event (its JSON). */
export const RunDetails = memo(function RunDetails({ model, selected }: RunDetailsProps) {
  if (!selected) {
    return (
      <section className="tl-details" aria-label="Details">
        <p className="tl-muted">
          Select a read or an event (click it in the lanes or its time in the table) to see its
          bytes or its data.
        </p>
        {model.lanes.output.length > 0 && (
          <OutputAt model={model} attempt={model.lanes.output.length - 1} t={model.domain.end} />
        )}
      </section>
    );
  }
  const read: WireRead | undefined = selected.startsWith('r')
    ? model.lanes.wire.find((r) => r.id === selected)
    : undefined;
  const event: EventItem | undefined = selected.startsWith('e')
    ? model.lanes.events.find((e) => e.id === selected)
    : undefined;
  const origin = model.domain.origin;
  return (
    <section className="tl-details" aria-label="Details">
      {read && (
        <>
          <p className="tl-details-title">
            Read {read.index + 1} · attempt {read.attempt + 1} · {read.size} bytes at{' '}
            {formatTime(read.t, origin)} ms
          </p>
          <p className="tl-flags">
            {read.insideEvent && <span className="tl-flag">▭ ends inside an event</span>}
            {read.insideChar && (
              <span className="tl-flag tl-flag--warn">▼ ends inside a character</span>
            )}
            {!read.insideEvent && !read.insideChar && (
              <span className="tl-flag tl-flag--ok">ends on an event boundary</span>
            )}
          </p>
          <ReadBytes read={read} />
          <OutputAt model={model} attempt={read.attempt} t={read.t} />
        </>
      )}
      {event && (
        <>
          <p className="tl-details-title">
            Event {event.index + 1} · <code>{event.type}</code> · from read {event.read + 1} at{' '}
            {formatTime(event.t, origin)} ms
          </p>
          {event.type === 'message' ? null : <p>event: {event.type}</p>}
          <pre className="tl-bytes" aria-label="Event data">
            {formatData(event.data)}
          </pre>
          <OutputAt model={model} attempt={event.attempt} t={event.t} />
        </>
      )}
      {!read && !event && <p className="tl-muted">Nothing selected.</p>}
    </section>
  );
});
