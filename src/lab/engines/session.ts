/**
 * The host side of one run, shared by every engine that runs lab code in something it can kill (a browser
 * Worker, a Node worker thread): sends `run-start`, folds the sandbox's messages into the recording, enforces
 * the time limit, and turns Stop, a timeout or a crash into the run's final `done`.
 *
 * The time limit (`run/limits.ts`: the lab's budget plus what the scenario takes by design) restarts at
 * each step the host expects (`arming.ts`): the sandbox's start-up has its own limit, then the transpile,
 * the driver's run and each check get the full limit, each once. An endless loop anywhere is stopped at
 * most one limit after the last step began; no message (a console line, a repeated or unknown `phase`)
 * re-arms it. A check stopped at its limit fails with the limit's message, and the checks after it run
 * in a fresh sandbox (`legs.ts`).
 */
import type { SandboxRunRequest } from '../run/execute.ts';
import { applyRunMessage, emptyRecording } from '../run/messages.ts';
import type { RunMessage } from '../run/messages.ts';
import type { LearnerError, RunOutcome, RunRecording } from '../run/recording.ts';
import { describeTimeLimit, PROBE_GRACE_MS, runTimeLimitMs } from '../run/limits.ts';
import type { LimitState } from '../run/limits.ts';
import type { EngineKind, RunHandle, RunRequest } from './engine.ts';
import { createRearmPolicy, STARTUP_LIMIT_MS } from './arming.ts';
import type { RearmPolicy } from './arming.ts';
import { checksAfter, messageTime, shiftMessage } from './legs.ts';
import type { LegShift } from './legs.ts';
import { hostCheckLimitMs } from '../run/check-limits.ts';
import { checkScenario } from '../run/explore.ts';
import { describeRejected, parseRunMessage } from '../run/message-schema.ts';

/** A started sandbox: the engine's handle on whatever runs the code. */
export interface Sandbox {
  /** Kills it at once (must work while the code is in an endless loop). */
  terminate(): void;
  /**
   * Asks the sandbox how many timers it has pending. It answers between two tasks, so no answer within
   * `PROBE_GRACE_MS` means its thread is busy (a loop). Without a probe the host cannot tell.
   */
  probe?(): Promise<{ timers: number }>;
}

export interface SessionOptions {
  engine: EngineKind;
  request: RunRequest;
  onMessage: (message: RunMessage) => void;
  /**
   * Starts the sandbox on `sandboxRequest`; it reports messages through `deliver` and failures (the
   * sandbox died, or could not start) through `crash`. May be async (waiting for the engine to be ready).
   */
  start(
    sandboxRequest: SandboxRunRequest,
    deliver: (message: RunMessage) => void,
    crash: (message: string) => void,
    /**
     * The sandbox went idle for good: nothing pending (no request, no timer), the run awaiting a promise
     * that never settles. The run ends as it would at the time limit, with the same message.
     */
    idle: () => void,
  ): Sandbox | Promise<Sandbox>;
}

let counter = 0;
/** A run id unique enough for a page or a grading session. */
export function newRunId(): string {
  counter++;
  const random = Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0');
  return `run-${Date.now().toString(36)}-${counter}-${random}`;
}

/** The data the sandbox needs, from an engine-level run request. */
export function toSandboxRequest(
  request: RunRequest,
  runId: string,
  engine: EngineKind,
  startedAt: string,
): SandboxRunRequest {
  const { lab } = request;
  const sandboxRequest: SandboxRunRequest = {
    runId,
    labId: lab.id,
    definition: lab.definition,
    driver: lab.files.driver,
    checks: lab.files.checks,
    code: request.code,
    fileName: request.fileName ?? `${lab.id}.ts`,
    mode: request.mode,
    scenario: request.scenario ?? lab.definition.scenarios[0] ?? 'default',
    startedAt,
    engine,
  };
  if (request.label !== undefined) sandboxRequest.label = request.label;
  if (request.knobs) sandboxRequest.knobs = request.knobs;
  if (request.only) sandboxRequest.only = [...request.only];
  return sandboxRequest;
}

/** Responses the run's code was still receiving (or never read to the end). */
function openStreams(recording: RunRecording): number {
  return recording.attempts.filter((a) => a && a.tEnd === undefined && !a.error).length;
}

/** Starts a run session; returns the engine's `RunHandle`. */
export function startSession(options: SessionOptions): RunHandle {
  const { request, onMessage, engine } = options;
  const id = newRunId();
  const startedAt = new Date().toISOString();
  const sandboxRequest = toSandboxRequest(request, id, engine, startedAt);
  const runLimit = runTimeLimitMs(
    request.lab.definition,
    sandboxRequest.scenario,
    request.timeLimitMs,
  );
  // Each check step gets that check's own limit, from the lab's declared checks (never from a message).
  const only = request.only;
  const plan = request.lab.checks?.filter(
    (c) => (request.mode === 'check' || !c.hidden) && (!only || only.includes(c.id)),
  );
  const planIds = plan?.map((c) => c.id);
  const checked = checkScenario(request.lab.definition, sandboxRequest.scenario);
  const stepLimit = (check: string | undefined): number => {
    const declared = check === undefined ? undefined : plan?.find((c) => c.id === check);
    if (!declared || request.timeLimitMs !== undefined) return runLimit;
    return hostCheckLimitMs(declared, checked);
  };
  let limit = runLimit;
  const t0 = performance.now();

  const start: Extract<RunMessage, { type: 'run-start' }> = {
    type: 'run-start',
    id,
    labId: request.lab.id,
    scenario: sandboxRequest.scenario,
    engine,
    startedAt,
  };
  if (request.label !== undefined) start.label = request.label;
  let recording: RunRecording = emptyRecording(start);

  let finished = false;
  /** The sandbox running now (`legs.ts`): the steps it may take, and where its attempts and times start. */
  let leg: Leg = {
    started: false,
    steps: createRearmPolicy(planIds),
    shift: { attempts: 0, ms: 0 },
  };
  /** The latest time any message of the run reported, so a later leg starts after it. */
  let lastT = 0;
  let killRequested = false;
  /** How the driver ended, from the first sandbox: a later leg does not run it (`legs.ts`). */
  let driverEnd: Extract<RunMessage, { type: 'driver-end' }> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let resolve!: (recording: RunRecording) => void;
  const result = new Promise<RunRecording>((r) => (resolve = r));

  const send = (message: RunMessage): void => {
    recording = applyRunMessage(recording, message);
    try {
      onMessage(message);
    } catch (error) {
      // A listener's bug must not take the run down with it.
      console.error('lab run listener failed', error);
    }
  };
  const terminate = (): void => {
    killRequested = true;
    leg.sandbox?.terminate();
  };
  let announced = false;
  /** Sends `run-start`, once: a listener folds it as a new run, so it never comes after `done`. */
  const announce = (): void => {
    if (announced) return;
    announced = true;
    send(start);
  };
  const end = (outcome: RunOutcome, error?: LearnerError): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    terminate();
    const done: Extract<RunMessage, { type: 'done' }> = {
      type: 'done',
      t: Math.round(performance.now() - t0),
      outcome,
    };
    if (error) done.error = error;
    announce();
    send(done);
    resolve(recording);
  };
  /**
   * At the limit: a check that hung fails with the message, and the checks after it run in a fresh
   * sandbox (`legs.ts`); anywhere else (start-up, the driver) the run ends there.
   */
  const stopAtLimit = (state: LimitState): void => {
    const check = leg.steps.currentCheck();
    const message = describeTimeLimit(limit, check, state);
    const next = check !== undefined && planIds ? checksAfter(planIds, check) : undefined;
    if (check === undefined || !next) {
      end('timeout', { name: 'TimeoutError', message });
      return;
    }
    leg.sandbox?.terminate();
    const legRequest: SandboxRunRequest = {
      ...sandboxRequest,
      only: next.report,
      resume: { check, message },
    };
    const shift = {
      attempts: recording.attempts.length,
      ms: Math.max(lastT, Math.round(performance.now() - t0)),
    };
    launch(legRequest, { started: false, steps: createRearmPolicy(next.run), shift });
  };
  /** At the limit: asks the sandbox what it is doing (no answer in time: busy), then stops it. */
  const limitReached = async (): Promise<void> => {
    const armed = generation;
    let state: LimitState = { kind: 'busy' };
    const probe = leg.sandbox?.probe;
    if (probe) {
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const answer = await Promise.race([
        probe().catch(() => undefined),
        new Promise<undefined>((r) => {
          graceTimer = setTimeout(() => r(undefined), PROBE_GRACE_MS);
        }),
      ]);
      clearTimeout(graceTimer);
      // A check started meanwhile: the limit was re-armed for it.
      if (armed !== generation) return;
      if (answer)
        state = { kind: 'waiting', streams: openStreams(recording), timers: answer.timers };
    }
    stopAtLimit(state);
  };
  let generation = 0;
  const arm = (): void => {
    generation++;
    limit = stepLimit(leg.steps.currentCheck());
    clearTimeout(timer);
    timer = setTimeout(() => void limitReached(), limit);
  };
  const idle = (): void =>
    stopAtLimit({ kind: 'waiting', streams: openStreams(recording), timers: 0 });
  const armStartup = (): void => {
    generation++;
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        end('error', {
          name: 'Error',
          message: `The lab sandbox did not start within ${STARTUP_LIMIT_MS / 1000} s (the page or the machine may be busy). Your code did not run; run it again.`,
        }),
      STARTUP_LIMIT_MS,
    );
  };

  const deliver = (raw: RunMessage): void => {
    if (finished) return;
    // Whatever the sandbox sends is checked before it touches the recording (`message-schema.ts`).
    const parsed = parseRunMessage(raw);
    if (!parsed.ok) {
      end('error', { name: 'Error', message: describeRejected(raw, parsed.problem) });
      return;
    }
    const message = shiftMessage(parsed.message, leg.shift);
    if (message.type === 'run-start') return;
    lastT = Math.max(lastT, messageTime(message));
    // The lab's limit starts with the sandbox's first message (sent before any lab code runs), so a slow
    // start-up is never counted against the learner's code.
    if (!leg.started) {
      leg.started = true;
      arm();
    }
    if (leg.steps.startsStep(message)) arm();
    if (message.type === 'driver-end') driverEnd = message;
    if (message.type === 'done') {
      finished = true;
      clearTimeout(timer);
      terminate();
      send(withDriverEnding(message, driverEnd));
      resolve(recording);
      return;
    }
    send(message);
  };
  const crash = (message: string): void => end('error', { name: 'Error', message });

  /** Starts a sandbox on `legRequest`; only the current leg's sandbox is heard. */
  const launch = (legRequest: SandboxRunRequest, current: Leg): void => {
    leg = current;
    const live = (): boolean => leg === current && !finished;
    armStartup();
    Promise.resolve()
      .then(() =>
        options.start(
          legRequest,
          (message) => live() && deliver(message),
          (message) => live() && crash(message),
          () => live() && idle(),
        ),
      )
      .then(
        (started) => {
          current.sandbox = started;
          if (killRequested || !live()) {
            started.terminate();
            return;
          }
          // The sandbox exists: the lab's limit runs from here (or from its first message, if sooner).
          if (!current.started) {
            current.started = true;
            arm();
          }
        },
        (error: unknown) => {
          if (live())
            crash(`The lab engine could not start: ${(error as Error)?.message ?? String(error)}`);
        },
      );
  };

  // Messages are never delivered synchronously from run(): the caller may not have stored the handle yet.
  // The sandbox is started first: a listener that renders `run-start` (the lab's status, a render of some
  // milliseconds) then does so while the sandbox already runs, not before the run is posted to it.
  // A run stopped in the task that started it has ended already (run-start, then done): no sandbox.
  queueMicrotask(() => {
    if (finished) return;
    launch(sandboxRequest, leg);
    announce();
  });

  return {
    id,
    result,
    stop: () => end('stopped', { name: 'Stopped', message: 'Stopped by you.' }),
  };
}

/**
 * The run's `done`, with the driver's error and result when a later leg (which skips the driver) ended
 * the run `ok` without them. Never turns an error into a pass: only an `ok` takes the driver's error.
 */
export function withDriverEnding(
  done: Extract<RunMessage, { type: 'done' }>,
  driverEnd: Extract<RunMessage, { type: 'driver-end' }> | undefined,
): Extract<RunMessage, { type: 'done' }> {
  if (!driverEnd) return done;
  const merged = { ...done };
  if (merged.outcome === 'ok' && driverEnd.outcome === 'error') {
    merged.outcome = 'error';
    if (driverEnd.error) merged.error = driverEnd.error;
  }
  if (merged.result === undefined && driverEnd.result !== undefined)
    merged.result = driverEnd.result;
  return merged;
}

/** One sandbox of a run (`legs.ts`). */
interface Leg {
  sandbox?: Sandbox;
  /** It sent its first message, or exists: its limit runs. */
  started: boolean;
  steps: RearmPolicy;
  shift: LegShift;
}
