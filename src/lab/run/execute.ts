/**
 * One lab run, inside the sandbox: the part every engine shares. The browser worker and the Node grader's
 * worker thread both call `executeRun` with the same lab sources and the same mock, and differ only in how
 * they are started, stopped and talked to. Emits every message of the run except `run-start` (which the
 * host sends, so a run that never starts still has one).
 *
 * Order: compile the learner's file and the driver (a syntax error there stops here) -> load the learner's
 * module and check its exports -> call the driver once under the chosen scenario (the Run) -> compile and
 * load the checks -> run them (visible ones, plus hidden ones in `check` mode), each with its own scenario
 * and timeout. Visible checks without a scenario of their own run under the chosen one, or under the lab's
 * first when the chosen one is only explored (`explore.ts`).
 */
import { CheckFailure } from '../checks/failure.ts';
import type { Check, CheckContext, MockRequestOptions } from '../checks/index.ts';
import type { LabDefinition } from '../schema.ts';
import type { Clock } from '../../mock/core/clock.ts';
import { createMockFetch } from '../../mock/core/fetch.ts';
import { createCauseSharer } from '../checks/causes.ts';
import { applyRunMessage, emptyRecording } from './messages.ts';
import type { RunMessage } from './messages.ts';
import { checkScenario, isExploration } from './explore.ts';
import { checkTimeLimitMs, withinExtraMs } from './check-limits.ts';
import { ModuleLoader } from './modules.ts';
import { createRecorder, LAB_ENV, MOCK_ORIGIN } from './recorder.ts';
import type { ConsoleLevel, LearnerError, RunOutcome } from './recording.ts';
import type { LearnerScope, LearnerScopeOptions } from './compartment.ts';
import { safeRead, safeText } from './safe.ts';
import { CONSOLE_TEXT_LIMIT, ERROR_TEXT_LIMIT, truncateText } from './truncate.ts';

/** What crosses into the sandbox: plain data (structured-clonable). */
export interface SandboxRunRequest {
  runId: string;
  labId: string;
  definition: LabDefinition;
  driver: string;
  checks: string;
  /** The learner's TypeScript. */
  code: string;
  /** Name the learner's code is reported under (`sse-reader.ts`, or the grader's path argument). */
  fileName: string;
  mode: 'run' | 'check';
  scenario: string;
  /** Knob overrides for the driver's requests, `k=v,...` (presenter mode's knobs panel); checks get none. */
  knobs?: string;
  /** Only these checks run (by id); see `RunRequest.only`. */
  only?: string[];
  /**
   * A later leg of a run whose check `check` the host stopped at its limit (`engines/legs.ts`): the
   * driver is not run again, `check` is reported failed with the host's `message`, the rest run.
   */
  resume?: { check: string; message: string };
  startedAt: string;
  engine: string;
  label?: string;
}

export interface ExecuteHost {
  /** Loaders of the library modules lab code may `require` (see `builtins.ts`). */
  builtins: Record<string, () => Promise<unknown>>;
  /** Makes a fresh mock server for the run. */
  createHandler: (clock: Clock) => (request: Request) => Promise<Response>;
  clock: Clock;
  emit: (message: RunMessage) => void;
  /** The global object the lab's own files (driver, checks) run against (`self`, `globalThis`). */
  global: typeof globalThis;
  /**
   * The learner's own scope (`createLearnerScope` from `compartment.ts`, after `lockDownRealm()`): learner
   * code is evaluated there, never against `global`.
   */
  learnerScope: (options: LearnerScopeOptions) => LearnerScope;
}

/** Stops a console flood from flooding the page: only this many entries per run are kept. */
export const CONSOLE_LIMIT = 500;

/** Formats console arguments roughly as a console shows them. */
export function formatConsoleArgs(args: unknown[]): string {
  return args.map(formatConsoleArg).join(' ');
}

/** One console argument as text; never throws, whatever learner code logs (see `safe.ts`). */
function formatConsoleArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'undefined' || typeof arg === 'function' || typeof arg === 'symbol') {
    return safeText(arg, typeof arg);
  }
  try {
    if (arg instanceof Error)
      return `${safeText(safeRead(arg, 'name'), 'Error')}: ${safeText(safeRead(arg, 'message'), '')}`;
    if (arg instanceof Uint8Array)
      return `Uint8Array(${arg.length}) [${arg.slice(0, 32).join(', ')}${arg.length > 32 ? ', …' : ''}]`;
    const json = JSON.stringify(arg, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    return json ?? safeText(arg, '');
  } catch {
    return safeText(arg, '[a value that cannot be shown]');
  }
}

function positioned(error: LearnerError): string {
  const where = error.file ? ` (${error.file}:${error.line}:${error.column})` : '';
  return `${error.name}: ${error.message}${where}`;
}

/** Runs one lab run to its end, emitting messages; resolves after `done` was emitted. Never rejects. */
export async function executeRun(request: SandboxRunRequest, host: ExecuteHost): Promise<void> {
  let ended = false;
  const emit = (message: RunMessage): void => {
    if (ended) return;
    if (message.type === 'done') ended = true;
    host.emit(message);
  };
  try {
    await runLab(request, { ...host, emit });
  } catch (error) {
    // Only a bug of the lab runtime gets here (learner code's errors are caught where it is called).
    emit({
      type: 'done',
      t: 0,
      outcome: 'error',
      error: {
        name: 'Error',
        message: `The lab runtime failed: ${safeText(error, 'unknown error')}`,
      },
    });
  }
}

async function runLab(request: SandboxRunRequest, host: ExecuteHost): Promise<void> {
  const { clock, global } = host;
  const t0 = clock.now();
  // Checks read the live recording, so the run keeps one, built from the same messages the host gets.
  const recording = emptyRecording({
    type: 'run-start',
    id: request.runId,
    labId: request.labId,
    scenario: request.scenario,
    engine: request.engine,
    startedAt: request.startedAt,
  });
  const emit = (message: RunMessage): void => {
    applyRunMessage(recording, message);
    host.emit(message);
  };
  const recorder = createRecorder({ handler: host.createHandler(clock), clock, t0, emit });
  const now = recorder.now;

  // Globals lab code sees: `fetch` and `process.env` aimed at the mock, and a console that records.
  let currentFetch = recorder.fetchFor(request.scenario, undefined, request.knobs);
  const labFetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    currentFetch(input, init)) as typeof fetch;
  Object.defineProperty(global, 'fetch', { value: labFetch, writable: true, configurable: true });
  const proc = (global as { process?: { env?: Record<string, string | undefined> } }).process;
  if (proc?.env) Object.assign(proc.env, LAB_ENV);
  else
    Object.defineProperty(global, 'process', {
      value: { env: { ...LAB_ENV } },
      writable: true,
      configurable: true,
    });

  let consoleCount = 0;
  const record = (level: ConsoleLevel, args: unknown[]): void => {
    consoleCount++;
    if (consoleCount > CONSOLE_LIMIT) {
      if (consoleCount === CONSOLE_LIMIT + 1) {
        emit({
          type: 'console',
          entry: {
            t: now(),
            level: 'warn',
            text: `Console output stopped after ${CONSOLE_LIMIT} lines (a flood of logs slows the page down).`,
          },
        });
      }
      return;
    }
    const text = truncateText(formatConsoleArgs(args), CONSOLE_TEXT_LIMIT);
    emit({ type: 'console', entry: { t: now(), level, text } });
  };
  const labConsole = {
    log: (...a: unknown[]) => record('log', a),
    info: (...a: unknown[]) => record('info', a),
    warn: (...a: unknown[]) => record('warn', a),
    error: (...a: unknown[]) => record('error', a),
    debug: (...a: unknown[]) => record('debug', a),
  };
  Object.defineProperty(global, 'console', {
    value: { ...global.console, ...labConsole },
    writable: true,
    configurable: true,
  });

  const modules: Record<string, unknown> = {};
  const learnerModules: Record<string, unknown> = {};
  const scope = host.learnerScope({ fetch: labFetch, console: labConsole, env: LAB_ENV });
  const loader = new ModuleLoader({
    builtins: modules,
    learnerBuiltins: learnerModules,
    evaluateLearner: (code) => scope.evaluate(code),
    learner: { fileName: request.fileName, source: request.code },
    files: {
      driver: { fileName: `labs/${request.labId}/driver.ts`, source: request.driver },
      checks: { fileName: `labs/${request.labId}/checks.ts`, source: request.checks },
    },
  });

  /** Uncaught errors and rejections the host catches, shown in the console with their position. */
  const reportUncaught = (error: unknown, inPromise: boolean): void => {
    const described = loader.describeError(error);
    record('error', [`Uncaught${inPromise ? ' (in promise)' : ''} ${positioned(described)}`]);
  };
  runningUncaughtReporter = reportUncaught;

  let outcome: RunOutcome = 'ok';
  let runError: LearnerError | undefined;
  /** What the driver returned, as plain data. */
  let result: unknown;
  /** The error and result so far, as `driver-end` and `done` carry them. */
  const ending = (): { error?: LearnerError; result?: unknown } => {
    const fields: { error?: LearnerError; result?: unknown } = {};
    if (runError)
      fields.error = { ...runError, message: truncateText(runError.message, ERROR_TEXT_LIMIT) };
    if (result !== undefined) fields.result = result;
    return fields;
  };
  const finish = (): void => emit({ type: 'done', t: now(), outcome, ...ending() });

  // Load only the libraries the compiled files import; an unknown one fails at its `require` with a
  // message listing what can be imported.
  for (const name of Object.keys(host.builtins)) {
    modules[name] = undefined;
    learnerModules[name] = undefined;
  }
  const loadRequired = (): Promise<unknown> =>
    Promise.all(
      loader.requiredBuiltins().map(async (name) => {
        const load = host.builtins[name];
        if (!load || modules[name] !== undefined) return;
        modules[name] = await load();
        learnerModules[name] = forLearner(name, modules[name]);
      }),
    );

  emit({ type: 'phase', phase: 'transpiling', t: now() });
  let learner: Record<string, unknown>;
  try {
    // The checks are compiled after the Run, off the path to its first chunk (a lab's checks.ts is
    // often ten times the size of the learner's file).
    loader.compileOnly(['learner', 'driver']);
    await loadRequired();
    learner = loader.learner();
  } catch (error) {
    outcome = 'error';
    runError = loader.describeError(error);
    return finish();
  }
  const missing = request.definition.exports.filter(
    (name) => safeRead(learner, name) === undefined,
  );
  if (missing.length > 0) {
    outcome = 'error';
    runError = {
      name: 'Error',
      message: `Your file must export ${missing.map((n) => `'${n}'`).join(' and ')} (export function ${missing[0]}(…) { … }).`,
      file: request.fileName,
    };
    return finish();
  }

  const exploring = isExploration(request.definition, request.scenario);
  const checkedScenario = checkScenario(request.definition, request.scenario);
  emit({ type: 'phase', phase: 'running', t: now() });
  try {
    const driver = loader.file('driver');
    const main = driver.default;
    if (typeof main !== 'function')
      throw new Error(`labs/${request.labId}/driver.ts must export a default function`);
    // A later leg of the run (`engines/legs.ts`) does not run the driver again.
    if (!request.resume) {
      // As plain data, once: `driver-end` and `done` both carry it.
      const returned = await (main as () => Promise<unknown>)();
      if (returned !== undefined) result = plainResult(returned);
    }
  } catch (error) {
    const described = loader.describeError(error);
    if (exploring) {
      // Under a scenario explored, not checked, a rejection can be the right answer (a clear error for
      // a dropped connection): it is shown, and the checks decide.
      record('warn', [
        `The run rejected under '${request.scenario}' (explored, not checked): ${positioned(described)}`,
      ]);
    } else {
      outcome = 'error';
      runError = described;
      record('error', [`Uncaught ${positioned(runError)}`]);
    }
  }

  // The Run's own ending, kept by a host that goes on in a fresh sandbox if a check hangs (`legs.ts`).
  if (!request.resume)
    emit({
      type: 'driver-end',
      t: now(),
      outcome: outcome === 'error' ? 'error' : 'ok',
      ...ending(),
    });

  let checks: Check[];
  try {
    loader.compileOnly(['checks']);
    await loadRequired();
    const exported = loader.file('checks').default;
    if (!Array.isArray(exported))
      throw new Error(`labs/${request.labId}/checks.ts must export default defineChecks([...])`);
    const only = request.only;
    checks = (exported as Check[]).filter(
      (check) => (request.mode === 'check' || !check.hidden) && (!only || only.includes(check.id)),
    );
  } catch (error) {
    outcome = 'error';
    runError ??= loader.describeError(error);
    return finish();
  }

  const shareCause = createCauseSharer();
  for (const check of checks) {
    const scenario = check.scenario ?? checkedScenario;
    const stopped = request.resume?.check === check.id ? request.resume : undefined;
    if (!stopped) emit({ type: 'phase', phase: 'checking', t: now(), check: check.id });
    const started = clock.now();
    const status = stopped
      ? { status: 'fail' as const, message: stopped.message }
      : await runCheck(check, scenario);
    if (status.message)
      status.message = truncateText(shareCause(check.name, status.message), ERROR_TEXT_LIMIT);
    emit({
      type: 'check',
      result: {
        id: check.id,
        name: check.name,
        hidden: check.hidden ?? false,
        scenario,
        ...status,
        durationMs: Math.round(clock.now() - started),
      },
    });
  }
  currentFetch = recorder.fetchFor(request.scenario, undefined, request.knobs);
  return finish();

  async function runCheck(
    check: Check,
    scenario: string,
  ): Promise<{ status: 'pass' | 'fail' | 'error'; message?: string }> {
    const checkFetch = recorder.fetchFor(scenario, check.id);
    const fail = (message: string): never => {
      throw new CheckFailure(message);
    };
    const controller = new AbortController();
    // Waits written for the lab's first scenario stretch with a slower picked one (`check-limits.ts`).
    const extra = withinExtraMs(check, request.definition, checkedScenario);
    const within = <T>(
      ms: number,
      work: Promise<T> | (() => Promise<T>),
      message: string,
    ): Promise<T> => race(ms + extra, work, message);
    const race = async <T>(
      ms: number,
      work: Promise<T> | (() => Promise<T>),
      message: string,
    ): Promise<T> => {
      const promise = typeof work === 'function' ? work() : work;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CheckFailure(message)), ms);
      });
      try {
        return await Promise.race([promise, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    const ctx: CheckContext<Record<string, unknown>> = {
      learner,
      scenario,
      mockOrigin: MOCK_ORIGIN,
      fetch: checkFetch,
      request(path: string, body?: unknown, options: MockRequestOptions = {}) {
        const target = options.scenario ?? scenario;
        const f =
          options.record === false ? unrecorded(target) : recorder.fetchFor(target, check.id);
        return f(`${MOCK_ORIGIN}${path}`, {
          method: options.method ?? 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: body === undefined ? null : JSON.stringify(body),
          signal: controller.signal,
        });
      },
      async runDriver() {
        currentFetch = checkFetch;
        const main = loader.file('driver').default as () => Promise<unknown>;
        return main();
      },
      recording,
      attempts: () => recording.attempts.filter((a) => a?.check === check.id),
      now,
      fail,
      assert(condition: unknown, message: string) {
        if (!condition) fail(message);
      },
      within,
    };
    const limit = checkTimeLimitMs(check, checkedScenario);
    try {
      await race(
        limit,
        async () => check.run(ctx),
        `did not finish within ${Math.round(limit / 100) / 10} s: your code may be waiting for something that never comes`,
      );
      return { status: 'pass' };
    } catch (error) {
      const prefix = check.condition ? `With ${check.condition}: ` : '';
      if (isCheckFailure(error))
        return { status: 'fail', message: prefix + safeText(safeRead(error, 'message'), '') };
      const described = loader.describeError(error);
      return { status: 'error', message: `${prefix}your code threw ${positioned(described)}` };
    } finally {
      controller.abort(new DOMException('The check ended.', 'AbortError'));
      currentFetch = recorder.fetchFor(request.scenario, undefined, request.knobs);
    }
  }

  /** A fetch straight to a fresh mock, for reference responses the check computes expectations from. */
  function unrecorded(target: string): typeof fetch {
    // `createMockFetch` keeps each Request as long as its answer's body, so the check's end still
    // aborts it after a garbage collection (nodejs/node#55428).
    const mockFetch = createMockFetch(host.createHandler(clock), { baseUrl: MOCK_ORIGIN });
    return ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      const path = url.pathname.startsWith('/scenarios/')
        ? url.pathname
        : `/scenarios/${target}${url.pathname}`;
      return mockFetch(`${MOCK_ORIGIN}${path}${url.search}`, init);
    }) as typeof fetch;
  }
}

/**
 * The module object learner code gets for a library: a copy of its own, so changing it does not change
 * what the lab's files import; the check API is also hardened (checks import its helpers).
 */
function forLearner(name: string, module: unknown): unknown {
  if (typeof module !== 'object' || module === null) return module;
  const copy = { ...module };
  return name === 'streamlab:lab' ? harden(copy) : copy;
}

/** Whether a check failed (rather than threw); never throws, whatever was thrown. */
function isCheckFailure(error: unknown): boolean {
  try {
    return error instanceof CheckFailure;
  } catch {
    return false;
  }
}

/** What the driver returned, as plain JSON data; never throws (see `safe.ts`). */
function plainResult(result: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(result) ?? 'null') as unknown;
  } catch {
    return safeText(result, '[a value that cannot be shown]');
  }
}

/** The current run's reporter for uncaught errors (hosts call `reportUncaught`). */
let runningUncaughtReporter: ((error: unknown, inPromise: boolean) => void) | undefined;

/** Hosts call this from their uncaught-error / unhandled-rejection hooks. */
export function reportUncaught(error: unknown, inPromise: boolean): void {
  runningUncaughtReporter?.(error, inPromise);
}
