/**
 * Presenter mode's state, outside React: whether it is on (from `?present` or the toggle, remembered in
 * localStorage) and the knobs panel's values. Pure apart from the `Storage` it is given; the DOM side is
 * `src/lib/present-dom.ts`, the knobs panel `src/ui/lab/KnobsPanel.tsx`.
 */

import { DEFAULT_KNOBS } from '../mock/core/knobs.ts';
import { getScenario } from '../mock/core/scenarios/index.ts';

/** localStorage key of the remembered choice (`'1'` on, `'0'` off). */
export const PRESENT_KEY = 'streamlab:present';

/**
 * The mock's knobs the panel sets (`max_read_bytes` 0: whole events per read; N: reads of 1..N bytes).
 * The one list: the panel's sliders, the knobs text and the run's time limit all go by it.
 */
export const KNOB_NAMES = ['ttft_ms', 'tps', 'jitter_ms', 'max_read_bytes'] as const;
export type KnobName = (typeof KNOB_NAMES)[number];

/** The knobs the panel offers: a fault (a mock scenario, or none) and the numbers of `KNOB_NAMES`. */
export type PresenterKnobs = Record<KnobName, number> & {
  /** A fault scenario to run under, or '' for the lab's own first scenario. */
  fault: string;
};

/** Just the numbers of `KNOB_NAMES`, from any object that has them. */
export function knobNumbers(knobs: Readonly<Record<KnobName, number>>): Record<KnobName, number> {
  return Object.fromEntries(KNOB_NAMES.map((k) => [k, knobs[k]])) as Record<KnobName, number>;
}

/** Where a lab's panel starts: the knobs of its first scenario (the mock's defaults under them), no fault. */
export function initialKnobs(scenario: string): PresenterKnobs {
  return { fault: '', ...knobNumbers({ ...DEFAULT_KNOBS, ...getScenario(scenario)?.knobs }) };
}

/** The faults offered, in the order of the panel's list (mock scenarios that break a stream). */
export const FAULTS = [
  'disconnect',
  'stall',
  'malformed',
  'server-error',
  'rate-limited',
  'overloaded',
] as const;

export interface PresenterState {
  on: boolean;
  /** Each lab's panel values, by lab id, once the presenter has touched them. */
  knobs: Readonly<Record<string, PresenterKnobs>>;
}

/**
 * What the URL asks for: `?present` or `?present=1` on, `?present=0` off, nothing: no opinion.
 */
export function presentFromSearch(search: string): boolean | undefined {
  const params = new URLSearchParams(search);
  if (!params.has('present')) return undefined;
  return params.get('present') !== '0';
}

/** The knobs as the mock reads them (`ttft_ms=0,tps=200`): only the numbers (the fault is a scenario). */
export function knobsText(knobs: PresenterKnobs): string {
  return KNOB_NAMES.map((k) => `${k}=${Math.round(knobs[k])}`).join(',');
}

export interface PresenterStore {
  get(): Readonly<PresenterState>;
  subscribe(listener: () => void): () => void;
  setOn(on: boolean): void;
  /** Sets a lab's panel values (all of them: the panel starts from `initialKnobs`). */
  setKnobs(lab: string, knobs: PresenterKnobs): void;
  /** Forgets a lab's panel values (back to `initialKnobs`). */
  resetKnobs(lab: string): void;
}

/** The store: `?present` in `search` wins over the remembered choice, and is remembered in turn. */
export function createPresenterStore(storage: Storage | undefined, search: string): PresenterStore {
  const read = (): string | null => {
    try {
      return storage?.getItem(PRESENT_KEY) ?? null;
    } catch {
      return null; // storage blocked: presenter mode only for this page
    }
  };
  const remember = (on: boolean): void => {
    try {
      storage?.setItem(PRESENT_KEY, on ? '1' : '0');
    } catch {
      // storage blocked or full: the choice lasts for this page
    }
  };
  const asked = presentFromSearch(search);
  if (asked !== undefined) remember(asked);
  let state: PresenterState = {
    on: asked ?? read() === '1',
    knobs: {},
  };
  const listeners = new Set<() => void>();
  const set = (next: PresenterState): void => {
    state = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setOn(on) {
      remember(on);
      if (on !== state.on) set({ ...state, on });
    },
    setKnobs(lab, knobs) {
      set({ ...state, knobs: { ...state.knobs, [lab]: { ...knobs } } });
    },
    resetKnobs(lab) {
      const { [lab]: _forgotten, ...rest } = state.knobs;
      set({ ...state, knobs: rest });
    },
  };
}

let shared: PresenterStore | undefined;

/** The page's one store (created on first use, in the browser). */
export function presenter(): PresenterStore {
  shared ??= createPresenterStore(
    typeof localStorage === 'undefined' ? undefined : localStorage,
    typeof location === 'undefined' ? '' : location.search,
  );
  return shared;
}
