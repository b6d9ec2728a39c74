/**
 * The run store: the current run, built live from an engine's messages, for the UI to subscribe to
 * (console, checks, timeline). Framework-free: a React island reads it with `useSyncExternalStore`.
 *
 * ```ts
 * const store = createRunStore();
 * const handle = engine.run(request, store.apply);
 * const unsubscribe = store.subscribe(() => render(store.get()));
 * ```
 */
import { applyRunMessage, emptyRecording } from './messages.ts';
import type { RunMessage, RunPhase } from './messages.ts';
import type { Attempt, RunRecording } from './recording.ts';

export interface RunState {
  /** The current (or last) run; `undefined` before the first run. A new object after every change. */
  recording: RunRecording | undefined;
  /** `running` from `run-start` until `done`. */
  status: 'idle' | 'running' | 'done';
  /** The engine's last reported phase while running. */
  phase: RunPhase | undefined;
  /**
   * `recording` is still the previous run's: the new run has started but has shown nothing yet (no
   * console line, request or check) and the hold (`holdMs`) has not run out. See `createRunStore`.
   */
  stale: boolean;
}

export interface RunStoreOptions {
  /**
   * After a `run-start`, keep showing the previous run for up to this long, until the new run has
   * something to show (its first console line, request or check) or ends: then swap in one change.
   * A Run that logs within a frame or two swaps the old output for the new without an empty page
   * in between (no flash, no layout jump, one layout instead of two). 0 (the default): clear at once.
   */
  holdMs?: number;
  /** The timer for `holdMs` (injectable for tests). */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface RunStore {
  /** The current state; the same object until something changes (safe for `useSyncExternalStore`). */
  get(): RunState;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Folds one engine message into the state. A `run-start` replaces the previous run. Bound: pass it directly. */
  apply: (message: RunMessage) => void;
  /** Shows a finished recording (an imported run, or a result). */
  load(recording: RunRecording): void;
  /** Back to the empty state. */
  clear(): void;
}

/** A copy of one attempt for a snapshot: its own arrays, so later messages do not change it. */
const copyAttempt = (a: Attempt): Attempt => ({ ...a, reads: [...a.reads], events: [...a.events] });

/** A deep-enough copy for immutable snapshots: the arrays and attempts that messages mutate. */
function snapshot(recording: RunRecording): RunRecording {
  return {
    ...recording,
    attempts: recording.attempts.map(copyAttempt),
    console: [...recording.console],
    checks: [...recording.checks],
  };
}

/**
 * The next snapshot, from the previous one: only the attempts messages touched since are copied again,
 * the others are shared (an attempt a message no longer touches never changes). So a flush costs what
 * changed, plus one array of references, not the whole run (a retry storm of thousands of attempts).
 */
function nextSnapshot(
  live: RunRecording,
  previous: RunRecording | undefined,
  dirty: ReadonlySet<number>,
  consoleDirty: boolean,
): RunRecording {
  if (!previous) return snapshot(live);
  const attempts = previous.attempts.slice();
  for (const index of dirty) {
    const a = live.attempts[index];
    if (a) attempts[index] = copyAttempt(a);
  }
  return {
    ...live,
    attempts,
    console: consoleDirty ? [...live.console] : previous.console,
    checks: live.checks.length === previous.checks.length ? previous.checks : [...live.checks],
  };
}

/** Whether the new run has anything to show yet (the end of the hold, `RunStoreOptions.holdMs`). */
const hasOutput = (r: RunRecording): boolean =>
  r.console.length > 0 || r.attempts.length > 0 || r.checks.length > 0;

export function createRunStore(options: RunStoreOptions = {}): RunStore {
  const {
    holdMs = 0,
    setTimer = (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimer = (timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  } = options;
  let state: RunState = { recording: undefined, status: 'idle', phase: undefined, stale: false };
  let holdTimer: unknown;
  // The live recording is mutated in place by messages; the state holds a snapshot of it, taken at most
  // once per microtask so a burst of reads (one-byte scenario) costs one copy and one render, not hundreds.
  let live: RunRecording | undefined;
  let flushQueued = false;
  /** Attempts changed since the last snapshot, and whether the console grew. */
  const dirty = new Set<number>();
  let consoleDirty = false;
  const listeners = new Set<() => void>();

  const emit = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const endHold = (): void => {
    clearTimer(holdTimer);
    holdTimer = undefined;
    state = { ...state, stale: false, recording: live && snapshot(live) };
  };
  const flush = (): void => {
    flushQueued = false;
    if (state.stale) {
      if (live && (hasOutput(live) || state.status === 'done')) endHold();
    } else {
      state = {
        ...state,
        recording: live ? nextSnapshot(live, state.recording, dirty, consoleDirty) : undefined,
      };
    }
    dirty.clear();
    consoleDirty = false;
    emit();
  };
  const scheduleFlush = (): void => {
    if (flushQueued) return;
    flushQueued = true;
    queueMicrotask(flush);
  };

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    apply(message) {
      if (message.type === 'run-start') {
        live = emptyRecording(message);
        clearTimer(holdTimer);
        const held = holdMs > 0 ? state.recording : undefined;
        state = {
          recording: held,
          status: 'running',
          phase: 'starting',
          stale: held !== undefined,
        };
        if (held) {
          holdTimer = setTimer(() => {
            if (state.stale) {
              endHold();
              emit();
            }
          }, holdMs);
        }
        dirty.clear();
      } else {
        if (!live) return;
        applyRunMessage(live, message);
        if ('attempt' in message && typeof message.attempt === 'number') dirty.add(message.attempt);
        if (message.type === 'console') consoleDirty = true;
        if (message.type === 'phase') state = { ...state, phase: message.phase };
        if (message.type === 'done') state = { ...state, status: 'done', phase: undefined };
      }
      scheduleFlush();
    },
    load(recording) {
      dirty.clear();
      clearTimer(holdTimer);
      live = snapshot(recording);
      state = { recording: snapshot(recording), status: 'done', phase: undefined, stale: false };
      emit();
    },
    clear() {
      clearTimer(holdTimer);
      live = undefined;
      state = { recording: undefined, status: 'idle', phase: undefined, stale: false };
      emit();
    },
  };
}
