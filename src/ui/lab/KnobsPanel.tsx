import { useEffect, useId, useMemo, useRef, useSyncExternalStore } from 'react';
import type { LabDefinition } from '../../lab/schema.ts';
import { knobsRun, type KnobsRun } from '../../present/request.ts';
import { createRerunner } from '../../present/rerun.ts';
import {
  FAULTS,
  initialKnobs,
  KNOB_NAMES,
  presenter,
  type KnobName,
  type PresenterKnobs,
} from '../../present/state.ts';

export interface KnobsPanelProps {
  labId: string;
  definition: Pick<LabDefinition, 'scenarios' | 'timeLimitMs'>;
  /** Runs the lab with these knobs; resolves when the run has ended. */
  onRun: (run: KnobsRun) => Promise<unknown>;
  onStop: () => void;
}

/** How long the knobs must rest before the lab runs again. */
const SETTLE_MS = 350;

/** How each knob of `KNOB_NAMES` is shown (a `Record`, so a knob added there must get its slider). */
const SLIDER_OF: Record<
  KnobName,
  { label: string; min: number; max: number; step: number; unit: (v: number) => string }
> = {
  ttft_ms: { label: 'Time to first token', min: 0, max: 5000, step: 50, unit: (v) => `${v} ms` },
  tps: { label: 'Tokens per second', min: 1, max: 400, step: 1, unit: (v) => `${v}/s` },
  jitter_ms: { label: 'Jitter', min: 0, max: 500, step: 10, unit: (v) => `±${v} ms` },
  max_read_bytes: {
    label: 'Read size',
    min: 0,
    max: 64,
    step: 1,
    unit: (v) => (v === 0 ? 'whole events' : v === 1 ? '1 byte' : `1–${v} bytes`),
  },
};
const SLIDERS = KNOB_NAMES.map((name) => ({ name, ...SLIDER_OF[name] }));

const off = () => false;

/**
 * Presenter mode's knobs beside a lab's timeline: a fault and four numbers of the mock; the lab runs
 * again with them whenever they settle. Shown only in presenter mode (`src/present/state.ts`).
 */
export function KnobsPanel({ labId, definition, onRun, onStop }: KnobsPanelProps) {
  const id = useId();
  const store = presenter();
  const on = useSyncExternalStore(store.subscribe, () => store.get().on, off);
  const stored = useSyncExternalStore(
    store.subscribe,
    () => store.get().knobs[labId],
    () => undefined,
  );
  const first = definition.scenarios[0] ?? 'default';
  const knobs = stored ?? initialKnobs(first);
  // Built once per panel and fed the latest callbacks: rebuilt whenever they changed (a scenario
  // picked in the lab), it dropped a knob change waiting to run.
  const latest = useRef({ definition, onRun, onStop });
  useEffect(() => {
    latest.current = { definition, onRun, onStop };
  });
  const rerun = useMemo(
    () =>
      createRerunner<PresenterKnobs>({
        delayMs: SETTLE_MS,
        run: (k) => latest.current.onRun(knobsRun(latest.current.definition, k)),
        stop: () => latest.current.onStop(),
      }),
    [],
  );
  useEffect(() => () => rerun.dispose(), [rerun]);
  if (!on) return null;

  const change = (next: PresenterKnobs): void => {
    store.setKnobs(labId, next);
    rerun.change(next);
  };
  return (
    <fieldset className="lab-knobs">
      <legend>Knobs (presenter)</legend>
      <p className="lab-muted">The lab runs again as you change them.</p>
      <label className="lab-knobs__row">
        <span>Fault</span>
        <select value={knobs.fault} onChange={(e) => change({ ...knobs, fault: e.target.value })}>
          <option value="">none ({first})</option>
          {FAULTS.map((fault) => (
            <option key={fault} value={fault}>
              {fault}
            </option>
          ))}
        </select>
      </label>
      {SLIDERS.map((s) => (
        <div key={s.name} className="lab-knobs__row">
          <label htmlFor={`${id}-${s.name}`}>
            {s.label} <output htmlFor={`${id}-${s.name}`}>{s.unit(knobs[s.name])}</output>
          </label>
          <input
            id={`${id}-${s.name}`}
            aria-valuetext={s.unit(knobs[s.name])}
            type="range"
            min={s.min}
            max={s.max}
            step={s.step}
            value={knobs[s.name]}
            onChange={(e) => change({ ...knobs, [s.name]: Number(e.target.value) })}
          />
        </div>
      ))}
      <div className="lab-knobs__actions">
        <button type="button" className="lab-button" onClick={() => rerun.change(knobs)}>
          Run with these knobs
        </button>
        <button
          type="button"
          className="lab-linkbutton"
          onClick={() => {
            store.resetKnobs(labId);
            rerun.change(initialKnobs(first));
          }}
        >
          Reset knobs
        </button>
      </div>
    </fieldset>
  );
}
