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
import type { RunRecording } from './recording.ts';

export interface RunState {
  /** The current (or last) run; `undefined` before the first run. A new object after every change. */
  recording: RunRecording | undefined;
  /** `running` from `run-start` until `done`. */
  status: 'idle' | 'running' | 'done';
  /** The engine's last reported phase while running. */
  phase: RunPhase | undefined;
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

/** A deep-enough copy for immutable snapshots: the arrays and attempts that messages mutate. */
function snapshot(recording: RunRecording): RunRecording {
  return {
    ...recording,
    attempts: recording.attempts.map((a) => ({ ...a, reads: [...a.reads], events: [...a.events] })),
    console: [...recording.console],
    checks: [...recording.checks],
  };
}

export function createRunStore(): RunStore {
  let state: RunState = { recording: undefined, status: 'idle', phase: undefined };
  // The live recording is mutated in place by messages; the state holds a snapshot of it, taken at most
  // once per microtask so a burst of reads (one-byte scenario) costs one copy and one render, not hundreds.
  let live: RunRecording | undefined;
  let flushQueued = false;
  const listeners = new Set<() => void>();

  const emit = (): void => {
    for (const listener of [...listeners]) listener();
  };
  const flush = (): void => {
    flushQueued = false;
    state = { ...state, recording: live ? snapshot(live) : undefined };
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
        state = { ...state, status: 'running', phase: 'starting' };
      } else {
        if (!live) return;
        applyRunMessage(live, message);
        if (message.type === 'phase') state = { ...state, phase: message.phase };
        if (message.type === 'done') state = { ...state, status: 'done', phase: undefined };
      }
      scheduleFlush();
    },
    load(recording) {
      live = snapshot(recording);
      state = { recording: snapshot(recording), status: 'done', phase: undefined };
      emit();
    },
    clear() {
      live = undefined;
      state = { recording: undefined, status: 'idle', phase: undefined };
      emit();
    },
  };
}
