/**
 * TypeScript -> CommonJS for lab code, with sucrase (the same in the browser worker and the Node grader,
 * so a file passes or fails identically in both). Sucrase keeps every line where it was and emits a
 * token-level source map, which `mapPosition` uses to report errors at the learner's own line and column.
 *
 * Why sucrase rather than esbuild-wasm: see `tests/bench/suites/transpile.ts` and the report; in short it
 * starts in ~0 ms (plain JS, no wasm to fetch and compile) and transforms a lab file in well under a
 * millisecond, and it handles every TypeScript construct learners write, enums included.
 */
import { transform } from 'sucrase';

/** A compiled module: CommonJS code and the map back to the TypeScript source. */
export interface Transpiled {
  code: string;
  /** Source map v3 `mappings` (sucrase maps every token). */
  mappings: string;
}

/** A learner-facing compile error, positioned in the TypeScript source (1-based line and column). */
export class LabSyntaxError extends SyntaxError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  constructor(file: string, line: number, column: number, message: string) {
    super(`${file}:${line}:${column}: ${message}`);
    this.name = 'SyntaxError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** Files compiled ahead of a run, by file name: the latest source of each and its output. */
const prepared = new Map<string, { source: string; output: Transpiled }>();

/**
 * Compiles a file ahead of time (a spare worker, while it waits for its run): a later `transpile` of the
 * same file name and the same source is then a lookup. A file that does not compile is left for the run,
 * which reports the error. Keeps one source per file name.
 */
export function pretranspile(source: string, fileName: string): void {
  try {
    prepared.set(fileName, { source, output: transpile(source, fileName) });
  } catch {
    prepared.delete(fileName);
  }
}

/** Compiles one TypeScript module to CommonJS (`require`, `exports`). Throws `LabSyntaxError`. */
export function transpile(source: string, fileName: string): Transpiled {
  const ready = prepared.get(fileName);
  if (ready?.source === source) return ready.output;
  try {
    const result = transform(source, {
      transforms: ['typescript', 'imports'],
      filePath: fileName,
      sourceMapOptions: { compiledFilename: fileName.replace(/\.tsx?$/, '.js') },
      // Keeps `import './x'`-style side effects and avoids pulling in the React/Flow-specific paths.
      production: true,
    });
    return { code: result.code, mappings: result.sourceMap?.mappings ?? '' };
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const raw = error instanceof Error ? error.message : String(error);
    // Sucrase says "Error transforming x.ts: Unexpected token (3:5)"; keep only the reason.
    const reason = raw.replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '');
    // Sucrase's `loc.column` is already 1-based.
    if (loc) throw new LabSyntaxError(fileName, loc.line, loc.column, reason);
    throw new LabSyntaxError(fileName, 1, 1, reason);
  }
}

const VLQ_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes source-map `mappings` into, per generated line, sorted [generatedColumn, sourceLine, sourceColumn] (0-based). */
export function decodeMappings(mappings: string): Array<Array<[number, number, number]>> {
  const lines: Array<Array<[number, number, number]>> = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: Array<[number, number, number]> = [];
    let generatedColumn = 0;
    for (const segment of lineText.split(',')) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = VLQ_CHARS.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      generatedColumn += values[0] ?? 0;
      if (values.length >= 4) {
        sourceLine += values[2] ?? 0;
        sourceColumn += values[3] ?? 0;
        segments.push([generatedColumn, sourceLine, sourceColumn]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/**
 * Maps a 1-based position in the compiled code to the TypeScript source, using the nearest mapped token at
 * or before it on the same line. Falls back to the same line (sucrase never moves lines).
 */
export function mapPosition(
  decoded: Array<Array<[number, number, number]>>,
  line: number,
  column: number,
): { line: number; column: number } {
  const segments = decoded[line - 1];
  if (!segments || segments.length === 0) return { line, column };
  let best: [number, number, number] | undefined;
  for (const segment of segments) {
    if (segment[0] <= column - 1) best = segment;
    else break;
  }
  best ??= segments[0]!;
  return { line: best[1] + 1, column: best[2] + 1 + Math.max(0, column - 1 - best[0]) };
}
