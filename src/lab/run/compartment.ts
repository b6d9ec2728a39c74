/**
 * The learner's own global scope: a `ses` Compartment (after `lockDownRealm()`, `lockdown.ts`) holding
 * only what a lab needs. `fetch` reaches the mock through the recorder, `console` records, `process.env`
 * holds the mock's base URLs and dummy keys, timers, `Date`, `performance` and `Math` are the host's (so
 * the grader's time warp applies), and the Web classes are the host's, frozen. There is no `self`,
 * `postMessage`, `process.exit`, `require` of Node modules, `import()`, `importScripts`, DOM or network.
 *
 * Everything handed over is a wrapper made here and hardened, never a host object learner code could
 * change for the host (a Node `Timeout`, the `performance` object): the host's timers, the checks'
 * `within()`, the recorder and the mock keep working as the host set them up.
 */
import { SHARED_WEB_CLASSES } from './lockdown.ts';

export interface LearnerScopeOptions {
  fetch: typeof fetch;
  console: Record<string, (...args: unknown[]) => void>;
  env: Readonly<Record<string, string>>;
}

export interface LearnerScope {
  /** Evaluates a script in the learner's scope and returns its completion value. */
  evaluate(source: string): unknown;
}

type HostTimer = unknown;

/** The timer functions for learner code: the host's, behind ids that learner code cannot misuse. */
function labTimers(global: typeof globalThis): Record<string, unknown> {
  const handles = new Map<number, HostTimer>();
  let nextId = 1;
  /** What Node code expects a timer to be (`unref()`, `refresh()`); the browser gets plain numbers. */
  class LabTimeout {
    readonly #id: number;
    constructor(id: number) {
      this.#id = id;
    }
    ref(): this {
      return this;
    }
    unref(): this {
      return this;
    }
    hasRef(): boolean {
      return handles.has(this.#id);
    }
    refresh(): this {
      (handles.get(this.#id) as { refresh?: () => void } | undefined)?.refresh?.();
      return this;
    }
    [Symbol.toPrimitive](): number {
      return this.#id;
    }
  }
  harden(LabTimeout);
  const start = (repeat: boolean, callback: unknown, ms: unknown, args: unknown[]): unknown => {
    if (typeof callback !== 'function')
      throw new TypeError('The "callback" argument must be of type function');
    const id = nextId++;
    const fire = (): void => {
      if (!repeat) handles.delete(id);
      (callback as (...a: unknown[]) => void)(...args);
    };
    const delay = Number(ms) || 0;
    const handle = repeat ? global.setInterval(fire, delay) : global.setTimeout(fire, delay);
    handles.set(id, handle);
    return typeof handle === 'number' ? id : new LabTimeout(id);
  };
  const clear = (handle: unknown): void => {
    if (handle === undefined || handle === null) return;
    const id = Number(handle);
    const host = handles.get(id);
    if (host === undefined) return;
    handles.delete(id);
    global.clearTimeout(host as Parameters<typeof clearTimeout>[0]);
    global.clearInterval(host as Parameters<typeof clearInterval>[0]);
  };
  return {
    setTimeout: (callback: unknown, ms?: unknown, ...args: unknown[]) =>
      start(false, callback, ms, args),
    setInterval: (callback: unknown, ms?: unknown, ...args: unknown[]) =>
      start(true, callback, ms, args),
    clearTimeout: clear,
    clearInterval: clear,
    queueMicrotask: (callback: unknown) => {
      if (typeof callback !== 'function')
        throw new TypeError('The "callback" argument must be of type function');
      global.queueMicrotask(callback as () => void);
    },
  };
}

/** `performance` for learner code: reads the host's at each call, so a time warp on it applies. */
function labPerformance(global: typeof globalThis): object {
  const host = (): Performance => global.performance;
  return {
    now: () => host().now(),
    get timeOrigin() {
      return host().timeOrigin;
    },
    mark: (...args: Parameters<Performance['mark']>) => host().mark(...args),
    measure: (...args: Parameters<Performance['measure']>) => host().measure(...args),
    getEntries: () => host().getEntries(),
    getEntriesByName: (...args: Parameters<Performance['getEntriesByName']>) =>
      host().getEntriesByName(...args),
    getEntriesByType: (type: string) => host().getEntriesByType(type),
    clearMarks: (name?: string) => host().clearMarks(name),
    clearMeasures: (name?: string) => host().clearMeasures(name),
    toJSON: () => ({ timeOrigin: host().timeOrigin }),
  };
}

/** The console methods learner code gets (the run's console records each). */
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Creates the learner's scope for one run. Requires `lockDownRealm()` to have run. */
export function createLearnerScope(options: LearnerScopeOptions): LearnerScope {
  return prepareLearnerScope()(options);
}

/**
 * Builds the learner's scope now and binds it to one run's `fetch`, `console` and `process.env` later:
 * a spare worker pays for the compartment (and hardening its globals) while it waits, not after Run.
 * No learner code runs before the binding; the returned function binds once.
 */
export function prepareLearnerScope(): (options: LearnerScopeOptions) => LearnerScope {
  let run: LearnerScopeOptions | undefined;
  const bound = (): LearnerScopeOptions => {
    if (!run) throw new Error('the learner scope is not bound to a run yet');
    return run;
  };
  const global = globalThis;
  const hostGlobals = global as unknown as Record<string, unknown>;
  const web: Record<string, unknown> = {};
  for (const name of SHARED_WEB_CLASSES) {
    if (hostGlobals[name] !== undefined) web[name] = hostGlobals[name];
  }
  const learnerConsole = Object.fromEntries(
    CONSOLE_METHODS.map((method) => [
      method,
      (...args: unknown[]) => bound().console[method]?.(...args),
    ]),
  );
  const globals = harden({
    ...web,
    ...labTimers(global),
    fetch: (input: RequestInfo | URL, init?: RequestInit) => bound().fetch(input, init),
    console: learnerConsole,
    performance: labPerformance(global),
    Date: global.Date,
    Math: global.Math,
    structuredClone: (value: unknown, transfer?: StructuredSerializeOptions) =>
      global.structuredClone(value, transfer),
    atob: (data: string) => global.atob(data),
    btoa: (data: string) => global.btoa(data),
  });
  const compartment = new Compartment({
    globals: globals as unknown as Map<string, unknown>,
    __options__: true,
  });
  const scope: LearnerScope = {
    evaluate(source) {
      // `ses` refuses any source containing `import(`, `<!--` or `-->`, even in a comment or a string.
      // sucrase has already turned real dynamic imports into `require` (which refuses Node modules), so
      // what is left is text: rewrite it (`__import__(`, `-- >`) rather than refuse a learner's file over
      // a comment. A `-->` in code means `-- >`, so only the text of a string can change.
      return compartment.evaluate(source, {
        __rejectSomeDirectEvalExpressions__: false,
        __evadeImportExpressionTest__: true,
        __evadeHtmlCommentTest__: true,
      });
    },
  };
  return (options) => {
    if (run) throw new Error('a learner scope serves one run');
    run = options;
    // Learner code may set its own globals (its `globalThis` is its own); `process.env` is its own copy.
    compartment.globalThis.process = { env: { ...options.env } };
    return scope;
  };
}
