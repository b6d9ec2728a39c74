/**
 * The lab engine interface: everything the lab UI needs to run a learner's file, and nothing about how.
 * The browser engine (`engines/worker/`, a sandboxed Web Worker) is the first implementation; a
 * WebContainers engine can implement the same interface later without the UI changing.
 *
 * A run, seen from the UI:
 * ```ts
 * const engine = createWorkerEngine();          // engines/worker/host.ts
 * await engine.ready();                         // optional: warms up (transpiler, sandbox, worker)
 * const handle = engine.run({ lab, code, mode: 'check' }, (m) => store.apply(m));
 * stopButton.onclick = () => handle.stop();
 * const recording = await handle.result;        // never rejects: failures are in recording.outcome/error
 * ```
 */
import type { LabBundle } from '../catalog.ts';
import type { RunMessage } from '../run/messages.ts';
import type { RunRecording } from '../run/recording.ts';

export type { LabBundle } from '../catalog.ts';
export type { RunMessage, RunPhase } from '../run/messages.ts';
export type { RunRecording } from '../run/recording.ts';

/**
 * `run`: transpile the learner's file, then call the lab's driver once under the chosen scenario (what the
 * Run button does); the visible checks run after it. `check`: the same, then the hidden checks too (what
 * Submit / the grader does).
 */
export type RunMode = 'run' | 'check';

export interface RunRequest {
  /** The lab: its definition and the source text of its driver, checks, starter and solution. */
  lab: LabBundle;
  /** The learner's TypeScript module, as in the editor (it stands in for the lab's `starter.ts`). */
  code: string;
  mode: RunMode;
  /** Mock scenario for the driver and the visible checks; defaults to the lab's first scenario. */
  scenario?: string;
  /** Knob overrides (`ttft_ms=0,tps=200`) for the driver's requests: presenter mode's knobs panel. */
  knobs?: string;
  /**
   * Only these checks (by id) run; the others are skipped. The grader verifying a `buggy/` file runs only
   * the checks it must fail. Unset: every check of the mode.
   */
  only?: readonly string[];
  /** Overrides the lab's `timeLimitMs` (for tests); the run is stopped with outcome `timeout` after it. */
  timeLimitMs?: number;
  /** Free text stored on the recording ("starter, default scenario"). */
  label?: string;
  /**
   * File name the learner's code is reported under in errors (`file:line:col`) and stack traces.
   * Default `<lab id>.ts` in the browser, the path given on the command line in the grader.
   */
  fileName?: string;
}

export interface RunHandle {
  /** The run's id (also `RunRecording.id` and the `run-start` message's id). */
  readonly id: string;
  /**
   * Stops the run now: the worker running the learner's code is terminated, so even an infinite loop
   * stops. The result then resolves with outcome `stopped`. Safe to call more than once or after the end.
   */
  stop(): void;
  /**
   * The finished recording. Never rejects: a learner error gives outcome `error` with `error` set, a
   * runaway gives `timeout`, a Stop gives `stopped`. Equal to folding every message sent to `onMessage`
   * through `applyRunMessage` (`run/messages.ts`).
   */
  readonly result: Promise<RunRecording>;
}

/** What kind of engine it is; stored as `RunRecording.engine`. */
export type EngineKind = 'worker' | 'node' | 'webcontainer';

export interface LabEngine {
  readonly kind: EngineKind;
  /**
   * Resolves when a run would start without further set-up (sandbox frame loaded, worker script fetched,
   * a worker spawned). Calling `run` without awaiting it is fine; it waits by itself. Rejects only if the
   * engine cannot work at all in this environment (the message says why).
   */
  ready(): Promise<void>;
  /**
   * Starts a run. Messages arrive in order, synchronously never (always from a later task), beginning
   * with `run-start` and ending with `done`. One run at a time per engine: starting a run stops the
   * previous one (its result resolves `stopped`).
   */
  run(request: RunRequest, onMessage: (message: RunMessage) => void): RunHandle;
  /**
   * Optional: the learner's file as it stands now, so the engine can compile it (and the driver) before
   * Run is pressed. Only a hint: a run compiles whatever it is given, prepared or not.
   */
  prepare?(lab: LabBundle, code: string, fileName?: string): void;
  /** Stops any run and frees the sandbox (frame, worker, blob URLs). The engine is unusable afterwards. */
  dispose(): void;
}
