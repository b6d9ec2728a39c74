/**
 * Pure core of the mutation bench: what each Stryker mutant of a lab's solution was (its mutator, the
 * original and replacement text, the line it sits on), which survivors the lab lists as equivalent
 * (`labs/<lab>/equivalent-mutants.json`), and the mutation score. No I/O: the suite reads the files and
 * runs Stryker (`tests/bench/suites/mutation.ts`).
 */

/** What Stryker reports per mutant (`runMutationTest()`), lines and columns 1-based, as in its reports. */
export interface StrykerMutant {
  id: string;
  mutatorName: string;
  replacement: string;
  status: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** One mutant, described by text rather than position, so a list of equivalents survives edits. */
export interface MutantFact {
  id: string;
  status: string;
  mutator: string;
  /** The code the mutant replaced, and its replacement, with whitespace runs collapsed. */
  original: string;
  replacement: string;
  /** The whole source line the mutant starts on, trimmed and collapsed. */
  line: string;
  /** 1-based, for `file:line:column`. */
  lineNumber: number;
  column: number;
}

/** An entry of `equivalent-mutants.json`: a surviving mutant no correct check can kill, and why. */
export interface EquivalentMutant {
  mutator: string;
  line: string;
  original: string;
  replacement: string;
  reason: string;
}

export interface Tally {
  /** Killed and timed out: the checks noticed. */
  detected: MutantFact[];
  /** Survived (or never ran) and not listed as equivalent: a gap in the checks. */
  survivors: MutantFact[];
  /** Survived and listed as equivalent: left out of the score. */
  equivalent: MutantFact[];
  /** Did not compile or broke at load: no verdict on the checks, left out of the score. */
  invalid: MutantFact[];
  /** Listed entries that match no surviving mutant (stale, or killed now): remove them. */
  unusedEquivalents: EquivalentMutant[];
  /** Percentage of scored mutants detected, rounded down to 0.1. */
  scorePct: number;
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Offset of a 0-based line and column in `source`. */
function offsetOf(lines: readonly string[], line: number, column: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset += lines[i]!.length + 1;
  return offset + column;
}

/** The `[start, end)` offsets in `source` of the code a mutant replaces; throws if it lies past the file. */
export function mutantRange(source: string, mutant: StrykerMutant): { start: number; end: number; line: number } {
  const lines = source.split('\n');
  const at = (p: { line: number; column: number }) => ({ line: p.line - 1, column: p.column - 1 });
  const start = at(mutant.location.start);
  const end = at(mutant.location.end);
  if (start.line >= lines.length || end.line >= lines.length) {
    throw new Error(
      `mutant ${mutant.id} (${mutant.mutatorName}) is at line ${start.line + 1}, past the file's ${lines.length} lines`,
    );
  }
  return {
    start: offsetOf(lines, start.line, start.column),
    end: offsetOf(lines, end.line, end.column),
    line: start.line,
  };
}

/** Describes a Stryker mutant of `source` (the original file text) by its text. */
export function describeMutant(source: string, mutant: StrykerMutant): MutantFact {
  const range = mutantRange(source, mutant);
  const lines = source.split('\n');
  return {
    id: mutant.id,
    status: mutant.status,
    mutator: mutant.mutatorName,
    original: collapse(source.slice(range.start, range.end)),
    replacement: collapse(mutant.replacement),
    line: collapse(lines[range.line]!),
    lineNumber: mutant.location.start.line,
    column: mutant.location.start.column,
  };
}

/** `source` with the mutant applied as text: what Stryker's instrumented code runs when it is active. */
export function applyMutant(source: string, mutant: StrykerMutant): string {
  const { start, end } = mutantRange(source, mutant);
  return source.slice(0, start) + mutant.replacement + source.slice(end);
}

/** Whether Stryker's status means the mutant was not detected (and so may be re-checked or listed). */
export function isUndetected(status: string): boolean {
  return UNDETECTED.has(status);
}

/** Whether a listed equivalent is this mutant: same mutator, original, replacement and line text. */
export function matches(entry: EquivalentMutant, fact: MutantFact): boolean {
  return (
    entry.mutator === fact.mutator &&
    collapse(entry.original) === fact.original &&
    collapse(entry.replacement) === fact.replacement &&
    collapse(entry.line) === fact.line
  );
}

/** Parses `equivalent-mutants.json`; throws naming the file, the entry and the field that is wrong. */
export function parseEquivalents(text: string, path: string): EquivalentMutant[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(data)) throw new Error(`${path}: must be a JSON array of equivalent mutants`);
  return data.map((item: unknown, index) => {
    const where = `${path}: entry ${index}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(`${where}: must be an object`);
    }
    const entry = item as Record<string, unknown>;
    for (const field of ['mutator', 'line', 'original', 'replacement', 'reason']) {
      if (typeof entry[field] !== 'string') throw new Error(`${where}: "${field}" must be a string`);
    }
    const reason = (entry.reason as string).trim();
    if (reason === '' || reason.includes('\n')) {
      throw new Error(`${where}: "reason" must be one line saying why no check can kill it`);
    }
    return entry as unknown as EquivalentMutant;
  });
}

/** Sorts the mutants by outcome and computes the score, leaving listed equivalents out of it. */
export function tally(facts: readonly MutantFact[], equivalents: readonly EquivalentMutant[]): Tally {
  const result: Tally = {
    detected: [],
    survivors: [],
    equivalent: [],
    invalid: [],
    unusedEquivalents: [],
    scorePct: 0,
  };
  const used = new Set<EquivalentMutant>();
  for (const fact of facts) {
    if (DETECTED.has(fact.status)) result.detected.push(fact);
    else if (!UNDETECTED.has(fact.status)) result.invalid.push(fact);
    else {
      const entry = equivalents.find((e) => matches(e, fact));
      if (entry) {
        used.add(entry);
        result.equivalent.push(fact);
      } else result.survivors.push(fact);
    }
  }
  result.unusedEquivalents = equivalents.filter((e) => !used.has(e));
  const scored = result.detected.length + result.survivors.length;
  if (scored === 0 && result.equivalent.length === 0) {
    throw new Error('no mutant was scored (none was killed or survived)');
  }
  // Every mutant equivalent: nothing the checks could have caught was missed.
  result.scorePct = scored === 0 ? 100 : Math.floor((result.detected.length / scored) * 1000) / 10;
  return result;
}

/** A survivor as one line (`file:line:col  Mutator  original → replacement`), then the entry to list it. */
export function formatSurvivor(file: string, fact: MutantFact): string {
  const cut = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
  const entry: EquivalentMutant = {
    mutator: fact.mutator,
    line: fact.line,
    original: fact.original,
    replacement: fact.replacement,
    reason: '…',
  };
  return (
    `${file}:${fact.lineNumber}:${fact.column}  ${fact.mutator}  ${cut(fact.original)}  →  ${cut(fact.replacement)}\n` +
    `    if no correct check can kill it, list it as equivalent: ${JSON.stringify(entry)}`
  );
}
