/**
 * A tiny CommonJS module system for lab code. The learner's file, the lab's driver and its checks are
 * compiled by `transpile.ts` and evaluated with a `require` that only knows the lab's world: the pre-bundled
 * libraries (`openai`, `@anthropic-ai/sdk`, `eventsource-parser` and their subpaths, see `imports.ts`), the check API, and `./starter` /
 * `./solution`, which both mean the learner's file. Anything else fails with a message saying what can be
 * imported. Runtime errors are mapped back to the TypeScript file, line and column.
 */
import { labModuleFor } from './imports.ts';
import { decodeMappings, LabSyntaxError, mapPosition, transpile } from './transpile.ts';
import type { LearnerError } from './recording.ts';
import { isErrorLike, safeRead, safeText } from './safe.ts';

/** One TypeScript module the loader can evaluate. */
export interface LabModuleFile {
  /** Shown in errors and stack traces (`sse-reader.ts`, `labs/sse-reader/checks.ts`). */
  fileName: string;
  source: string;
}

export interface ModuleLoaderOptions {
  /** Library modules by specifier, as their exports objects. */
  builtins: Record<string, unknown>;
  /** The learner's file (what `./starter` and `./solution` resolve to). */
  learner: LabModuleFile;
  /** Other lab files by key (`driver`, `checks`). */
  files: Record<string, LabModuleFile>;
  /**
   * Evaluates compiled code and returns the function it defines. Injected so each host can pick how (the
   * browser worker and the Node grader both use an indirect `eval`, which honours `//# sourceURL`).
   */
  evaluate?: (code: string) => unknown;
  /**
   * Evaluates the learner's file (default: `evaluate`). The hosts pass the learner's own scope
   * (`compartment.ts`), so learner code never runs with the host's globals.
   */
  evaluateLearner?: (code: string) => unknown;
  /**
   * The library modules the learner's file gets (default: `builtins`). Separate objects, so learner code
   * that changes a module object cannot change what the driver and checks import.
   */
  learnerBuiltins?: Record<string, unknown>;
}

/** The specifier the check API is imported under by lab files (`../../src/lab/checks/index.ts`). */
const CHECKS_API = /(^|\/)src\/lab\/checks(\/index(\.ts)?)?$/;
const LEARNER = /^\.\/(starter|solution)(\.ts)?$/;

const REQUIRE_CALL = /\brequire\((['"])([^'"]+)\1\)/g;

/**
 * The `builtins` key a specifier means: lab files import the check API by its repository path, and a
 * subpath of a library means the module `imports.ts` maps it to (`eventsource-parser/stream` has its own).
 */
export function builtinKey(specifier: string): string {
  return CHECKS_API.test(specifier) ? 'streamlab:lab' : labModuleFor(specifier);
}

/** The wrapper puts the module's first line on the wrapper's line, so lines stay where they were. */
const WRAPPER_HEAD = '(function (exports, require, module) {';

interface LoadedModule {
  exports: Record<string, unknown>;
  file: LabModuleFile;
  decoded: ReturnType<typeof decodeMappings>;
}

const indirectEval = (code: string): unknown => (0, eval)(code);

export class ModuleLoader {
  private readonly options: ModuleLoaderOptions;
  private readonly cache = new Map<string, LoadedModule>();
  private readonly compiled = new Map<string, LoadedModule>();

  constructor(options: ModuleLoaderOptions) {
    this.options = options;
  }

  /** The learner's module exports (evaluated once). */
  learner(): Record<string, unknown> {
    return this.load('learner', this.options.learner);
  }

  /** A lab file's exports by key (`driver`, `checks`). */
  file(key: string): Record<string, unknown> {
    const file = this.options.files[key];
    if (!file) throw new Error(`The lab has no ${key} file`);
    return this.load(key, file);
  }

  /**
   * The library specifiers the compiled files `require` (after `compileAll`), as keys of `builtins`, so a
   * host can load just those before evaluating anything.
   */
  requiredBuiltins(): string[] {
    const found = new Set<string>();
    for (const entry of this.compiled.values()) {
      for (const match of (entry as LoadedModule & { code: string }).code.matchAll(REQUIRE_CALL)) {
        const specifier = match[2]!;
        if (!LEARNER.test(specifier)) found.add(builtinKey(specifier));
      }
    }
    return [...found];
  }

  /** Compiles without evaluating, so a syntax error in any file is reported before anything runs. */
  compileAll(): void {
    this.compileOnly(['learner', ...Object.keys(this.options.files)]);
  }

  /**
   * Compiles just these files (`learner` or a key of `files`) without evaluating them, so a host can
   * compile what a step needs and leave the rest (a lab's checks) until after it.
   */
  compileOnly(keys: string[]): void {
    for (const key of keys) {
      const file = key === 'learner' ? this.options.learner : this.options.files[key];
      if (!file) throw new Error(`The lab has no ${key} file`);
      this.compile(key, file);
    }
  }

  private compile(key: string, file: LabModuleFile): LoadedModule {
    const existing = this.compiled.get(key);
    if (existing) return existing;
    const { code, mappings } = transpile(file.source, file.fileName);
    const entry: LoadedModule & { code: string } = {
      exports: {},
      file,
      decoded: decodeMappings(mappings),
      code,
    };
    this.compiled.set(key, entry);
    return entry;
  }

  private load(key: string, file: LabModuleFile): Record<string, unknown> {
    const cached = this.cache.get(key);
    if (cached) return cached.exports;
    const entry = this.compile(key, file) as LoadedModule & { code: string };
    this.cache.set(key, entry);
    const module = { exports: entry.exports };
    const source = `${WRAPPER_HEAD}${entry.code}\n})\n//# sourceURL=${file.fileName}`;
    const evaluate =
      (key === 'learner' ? this.options.evaluateLearner : undefined) ??
      this.options.evaluate ??
      indirectEval;
    const factory = evaluate(source) as (
      exports: unknown,
      require: (specifier: string) => unknown,
      module: unknown,
    ) => void;
    factory(module.exports, (specifier) => this.require(specifier, file), module);
    entry.exports = module.exports;
    return entry.exports;
  }

  private require(specifier: string, from: LabModuleFile): unknown {
    if (LEARNER.test(specifier)) return this.learner();
    const key = builtinKey(specifier);
    const builtins =
      from === this.options.learner
        ? (this.options.learnerBuiltins ?? this.options.builtins)
        : this.options.builtins;
    // A builtin is `undefined` when the host knows it but did not load it (see `requiredBuiltins`).
    const found = Object.hasOwn(builtins, key) ? builtins[key] : undefined;
    if (found !== undefined) return found;
    const allowed = Object.keys(this.options.builtins)
      .filter((k) => k !== 'streamlab:lab')
      .map((k) => `'${k}'`)
      .join(', ');
    throw new Error(
      `${from.fileName}: cannot import '${specifier}'. Lab code can import ${allowed}, and the lab's own './starter.ts'.`,
    );
  }

  /**
   * Turns anything thrown into a `LearnerError` positioned in the TypeScript source: the first stack frame
   * in the learner's file, else in another lab file (driver, checks), else unpositioned.
   */
  describeError(error: unknown): LearnerError {
    if (isSyntaxError(error)) {
      return {
        name: 'SyntaxError',
        message: error.message,
        file: error.file,
        line: error.line,
        column: error.column,
      };
    }
    // Anything may be thrown: a Proxy, an object whose getters throw, a hostile toString. Every read is
    // guarded, so describing it never throws.
    const isError = isErrorLike(error);
    const name = isError ? safeText(safeRead(error, 'name'), 'Error') : 'Error';
    const message = isError
      ? safeText(safeRead(error, 'message'), '')
      : `Uncaught ${formatThrown(error)}`;
    const stack = isError ? safeText(safeRead(error, 'stack'), '') : '';
    const result: LearnerError = { name, message };
    const modules = [...this.compiled.values()].sort((a, b) =>
      a.file === this.options.learner ? -1 : b.file === this.options.learner ? 1 : 0,
    );
    const frames: Array<{ module: LoadedModule; line: number; column: number }> = [];
    for (const module of modules) {
      const pattern = new RegExp(`${escapeRegExp(module.file.fileName)}:(\\d+):(\\d+)`, 'g');
      for (const match of stack.matchAll(pattern)) {
        frames.push({ module, line: Number(match[1]), column: Number(match[2]) });
      }
    }
    const frame = frames[0];
    if (frame) {
      const column = frame.line === 1 ? frame.column - WRAPPER_HEAD.length : frame.column;
      const mapped = mapPosition(frame.module.decoded, frame.line, Math.max(1, column));
      result.file = frame.module.file.fileName;
      result.line = mapped.line;
      result.column = mapped.column;
    }
    if (stack) result.stack = cleanStack(stack);
    return result;
  }
}

function isSyntaxError(error: unknown): error is LabSyntaxError {
  try {
    return error instanceof LabSyntaxError;
  } catch {
    return false;
  }
}

function formatThrown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return safeText(value, 'a value that cannot be shown');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Drops the frames of the lab runtime itself, which mean nothing to a learner. */
function cleanStack(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => !/\/(node_modules|src\/lab\/run|src\/lab\/engines|assets)\//.test(line))
    .join('\n');
}
