import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { RunRecording } from '../lab/run/recording.ts';
import { createInspectorRun, type InspectorRun } from '../timeline/inspect.ts';
import { SAMPLE_STREAMS } from '../timeline/samples.ts';
import { SPLIT_MODES, splitIntoReads, type SplitMode } from '../timeline/split.ts';
import { TimelinePanel } from '../ui/timeline/TimelinePanel.tsx';
import '../ui/timeline/timeline.css';

type LineEnd = 'lf' | 'crlf' | 'cr';
const SPEEDS = [1, 5, 25, 100] as const;

/**
 * The SSE lesson's inspector: pick or paste a raw stream, choose how it is cut into reads, and step
 * or play it through the real parser, watching reads turn into events on the timeline.
 */
export default function SseInspectorIsland() {
  const id = useId();
  const [sampleId, setSampleId] = useState(SAMPLE_STREAMS[0]!.id);
  const [text, setText] = useState(SAMPLE_STREAMS[0]!.text);
  const [lineEnd, setLineEnd] = useState<LineEnd>('lf');
  const [mode, setMode] = useState<SplitMode>('random');
  const [seed, setSeed] = useState(1);
  const [naive, setNaive] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [playing, setPlaying] = useState(false);
  const [recording, setRecording] = useState<RunRecording>();
  const [position, setPosition] = useState(0);
  const run = useRef<InspectorRun | null>(null);
  const sample = SAMPLE_STREAMS.find((s) => s.id === sampleId);

  const reads = useMemo(() => {
    // A stream that already has CRs (the CRLF sample) is left alone unless another ending is chosen.
    const normalized = text.replace(
      /\r\n|\r|\n/g,
      lineEnd === 'lf' ? '\n' : lineEnd === 'crlf' ? '\r\n' : '\r',
    );
    return splitIntoReads(new TextEncoder().encode(normalized), mode, { seed, maxRead: 24 });
  }, [text, lineEnd, mode, seed]);

  const restart = (): void => {
    run.current = createInspectorRun({
      label: `${sample?.label ?? 'Pasted stream'}, ${SPLIT_MODES.find((m) => m.mode === mode)?.label.toLowerCase()}`,
      provider: sample && sample.text === text ? sample.provider : 'other',
      naiveDecode: naive,
    });
    setRecording(run.current.snapshot());
    setPosition(0);
  };
  // Any change of input starts over.
  useEffect(() => {
    setPlaying(false);
    restart();
  }, [reads, naive]);

  const step = (count: number): void => {
    const current = run.current;
    if (!current) return;
    let at = current.recording.attempts[0]!.reads.length;
    for (let i = 0; i < count && at < reads.length; i++, at++) current.push(reads[at]!);
    if (at >= reads.length) {
      current.end();
      setPlaying(false);
    }
    setPosition(at);
    setRecording(current.snapshot());
  };

  // The play loop reads the latest step through a ref, so it is set up once per Play, not per render.
  const stepRef = useRef(step);
  stepRef.current = step;
  useEffect(() => {
    if (!playing) return;
    let frame = requestAnimationFrame(function tick() {
      stepRef.current(speed);
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, speed]);

  const done = position >= reads.length;
  const events = recording?.attempts[0]?.events.length ?? 0;
  return (
    <div className="tl-inspector">
      <div className="tl-inspector-controls">
        <span className="tl-field">
          <label htmlFor={`${id}-sample`}>Stream</label>{' '}
          <select
            id={`${id}-sample`}
            value={sampleId}
            onChange={(e) => {
              setSampleId(e.target.value);
              const s = SAMPLE_STREAMS.find((x) => x.id === e.target.value);
              if (s) {
                setText(s.text);
                setLineEnd(s.id === 'crlf' ? 'crlf' : 'lf');
              }
            }}
          >
            {SAMPLE_STREAMS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
            <option value="pasted">Pasted</option>
          </select>
        </span>
        <span className="tl-field">
          <label htmlFor={`${id}-mode`}>Cut into reads</label>{' '}
          <select
            id={`${id}-mode`}
            value={mode}
            onChange={(e) => setMode(e.target.value as SplitMode)}
          >
            {SPLIT_MODES.map((m) => (
              <option key={m.mode} value={m.mode}>
                {m.label}
              </option>
            ))}
          </select>
        </span>
        {mode === 'random' && (
          <span className="tl-field">
            <label htmlFor={`${id}-seed`}>Seed</label>{' '}
            <input
              id={`${id}-seed`}
              type="number"
              min={1}
              value={seed}
              onChange={(e) => setSeed(Math.max(1, Number(e.target.value) || 1))}
            />
          </span>
        )}
        <span className="tl-field">
          <label htmlFor={`${id}-lineend`}>Line ends</label>{' '}
          <select
            id={`${id}-lineend`}
            value={lineEnd}
            onChange={(e) => setLineEnd(e.target.value as LineEnd)}
          >
            <option value="lf">LF (\n)</option>
            <option value="crlf">CRLF (\r\n)</option>
            <option value="cr">CR (\r)</option>
          </select>
        </span>
        <label className="tl-check">
          <input type="checkbox" checked={naive} onChange={(e) => setNaive(e.target.checked)} />{' '}
          Decode each read on its own (the bug)
        </label>
      </div>
      <details className="tl-inspector-raw">
        <summary>Raw stream (edit or paste your own)</summary>
        <label htmlFor={`${id}-raw`} className="tl-sr">
          Raw stream
        </label>
        <textarea
          id={`${id}-raw`}
          rows={8}
          spellCheck={false}
          value={text}
          onChange={(e) => {
            setSampleId('pasted');
            setText(e.target.value);
          }}
        />
      </details>
      <div className="tl-inspector-controls">
        <button type="button" onClick={() => step(1)} disabled={done}>
          Next read
        </button>
        <button
          type="button"
          onClick={() => setPlaying(!playing)}
          disabled={done}
          aria-pressed={playing}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <span className="tl-field">
          <label htmlFor={`${id}-speed`}>Speed</label>{' '}
          <select
            id={`${id}-speed`}
            value={speed}
            onChange={(e) => setSpeed(Number(e.target.value))}
          >
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s} read{s > 1 ? 's' : ''} per frame
              </option>
            ))}
          </select>
        </span>
        <button type="button" onClick={() => step(reads.length)} disabled={done}>
          All reads
        </button>
        <button
          type="button"
          onClick={() => {
            setPlaying(false);
            restart();
          }}
        >
          Reset
        </button>
        <span className="tl-inspector-status" role="status">
          Read {position} of {reads.length} · {events} event{events === 1 ? '' : 's'}
          {done ? ' · stream ended' : ''}
        </span>
      </div>
      <TimelinePanel
        recording={recording}
        hideFile
        emptyText="Press Next read or Play to feed the parser."
      />
    </div>
  );
}
