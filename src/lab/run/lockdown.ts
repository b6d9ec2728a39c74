/**
 * Hardens the realm a lab run happens in (the browser worker, the grader's thread), once, before any
 * learner code is evaluated. After it, every JavaScript intrinsic (Promise, Array, JSON, Function,
 * Object, Symbol and their prototypes) is frozen, as are the Web classes learner code is given (Response,
 * ReadableStream, TextDecoder…): learner code cannot change what the checks, the recorder or the mock
 * see by patching a prototype they share. Learner code itself runs in a `Compartment` with its own global
 * scope (`compartment.ts`).
 *
 * This is the `ses` package's `lockdown()`, split into its two steps so one repair can go in between:
 * the openai SDK assigns `return` on its own async generator objects, which a frozen
 * `%AsyncGeneratorPrototype%` forbids ("the override mistake"). `ses` converts such properties into
 * accessors that let an *instance* get its own value while the prototype stays frozen; it does so for a
 * fixed list that lacks this one, so it is added here the same way.
 *
 * Hosts that replace time functions (the grader's time warp, `warp.ts`) must do so before this runs.
 */
import 'ses';

/** The Web classes learner code gets (see `compartment.ts`), frozen with their prototypes. */
export const SHARED_WEB_CLASSES = [
  'Response',
  'Request',
  'Headers',
  'ReadableStream',
  'ReadableStreamDefaultReader',
  'ReadableByteStreamController',
  'ReadableStreamDefaultController',
  'ReadableStreamBYOBReader',
  'WritableStream',
  'WritableStreamDefaultWriter',
  'TransformStream',
  'TransformStreamDefaultController',
  'ByteLengthQueuingStrategy',
  'CountQueuingStrategy',
  'TextEncoder',
  'TextDecoder',
  'TextEncoderStream',
  'TextDecoderStream',
  'AbortController',
  'AbortSignal',
  'EventTarget',
  'Event',
  'DOMException',
  'URL',
  'URLSearchParams',
  'Blob',
] as const;

let locked = false;

/** Locks the current realm down (idempotent). */
export function lockDownRealm(): void {
  if (locked) return;
  locked = true;
  repairIntrinsics({
    // Keep the stack and message of errors: learners need the line their code failed on.
    errorTaming: 'unsafe',
    stackFiltering: 'verbose',
    // The hosts keep their own console and their own uncaught-error handling.
    consoleTaming: 'unsafe',
    errorTrapping: 'none',
    unhandledRejectionTrapping: 'none',
    reporting: 'none',
    // Trusted lab files (driver, checks) are evaluated with the host's own eval; learner code never sees it.
    evalTaming: 'unsafe-eval',
    // Not 'moderate': it turns Promise.prototype.constructor and every typed-array method into
    // accessors, which takes V8 off its fast paths (a one-byte-reads check ran about ten times slower).
    overrideTaming: 'min',
  });
  enableInstanceOverrides(asyncGeneratorPrototype(), ['next', 'return', 'throw']);
  // What libraries commonly assign on their own error objects (the rest of 'moderate', minus the slow part).
  enableInstanceOverrides(Error.prototype, ['message', 'constructor', 'toString']);
  for (const ErrorClass of [
    TypeError,
    RangeError,
    SyntaxError,
    ReferenceError,
    URIError,
    EvalError,
    AggregateError,
  ]) {
    enableInstanceOverrides(ErrorClass.prototype, ['message', 'name', 'constructor']);
  }
  enableInstanceOverrides(Object.prototype, ['valueOf']);
  hardenIntrinsics();
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of SHARED_WEB_CLASSES) {
    const WebClass = global[name] as { prototype?: object } | undefined;
    if (WebClass === undefined) continue;
    // Stream libraries assign `constructor` on their own instances (eventsource-parser's
    // EventSourceParserStream reaches a WritableStream that way): the same override mistake.
    if (WebClass.prototype) enableInstanceOverrides(WebClass.prototype, ['constructor']);
    harden(WebClass);
  }
}

function asyncGeneratorPrototype(): object {
  const generator = (async function* () {})();
  return Object.getPrototypeOf(Object.getPrototypeOf(generator)) as object;
}

/** What `ses` does for its own list: a frozen getter, and a setter that gives the instance its own value. */
function enableInstanceOverrides(target: object, keys: string[]): void {
  for (const key of keys) {
    const desc = Object.getOwnPropertyDescriptor(target, key);
    if (!desc || !('value' in desc) || !desc.configurable) continue;
    const value: unknown = desc.value;
    Object.defineProperty(target, key, {
      configurable: true,
      enumerable: desc.enumerable ?? false,
      get() {
        return value;
      },
      set(this: object, next: unknown) {
        if (this === target) throw new TypeError(`Cannot assign to read only property '${key}'`);
        Object.defineProperty(this, key, {
          value: next,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      },
    });
  }
}
