import { describe, expect, it } from 'vitest';
import { activateMutant } from '../bench/lib/mutation/activate.ts';
import {
  describeMutant,
  formatSurvivor,
  parseEquivalents,
  tally,
  type EquivalentMutant,
  type StrykerMutant,
} from '../bench/lib/mutation/tally.ts';

const SOURCE = [
  'export function clamp(n: number): number {',
  '  if (n < 0) return 0;',
  '  return n > 9',
  '    ? 9',
  '    : n;',
  '}',
].join('\n');

function mutant(
  id: string,
  status: string,
  mutatorName: string,
  replacement: string,
  [sl, sc, el, ec]: [number, number, number, number],
): StrykerMutant {
  return {
    id,
    status,
    mutatorName,
    replacement,
    location: { start: { line: sl + 1, column: sc + 1 }, end: { line: el + 1, column: ec + 1 } },
  };
}

const lessThan = mutant('1', 'Survived', 'EqualityOperator', 'n <= 0', [1, 6, 1, 11]);
const ternary = mutant('2', 'Killed', 'ConditionalExpression', 'true', [2, 9, 4, 7]);
const literal = mutant('3', 'Survived', 'ConditionalExpression', 'false', [1, 6, 1, 11]);

const boundary: EquivalentMutant = {
  mutator: 'EqualityOperator',
  line: 'if (n < 0) return 0;',
  original: 'n < 0',
  replacement: 'n <= 0',
  reason: 'at 0 both branches return 0',
};

describe('describeMutant', () => {
  it('reads the original text and the line from 1-based positions, across lines', () => {
    expect(describeMutant(SOURCE, lessThan)).toMatchObject({
      original: 'n < 0',
      line: 'if (n < 0) return 0;',
      lineNumber: 2,
      column: 7,
    });
    expect(describeMutant(SOURCE, ternary).original).toBe('n > 9 ? 9 : n');
  });

  it('names a mutant whose position is past the file', () => {
    const far = mutant('9', 'Survived', 'BlockStatement', '{}', [40, 0, 41, 1]);
    expect(() => describeMutant(SOURCE, far)).toThrow(/mutant 9 \(BlockStatement\) is at line 41/);
  });
});

describe('tally', () => {
  const facts = [lessThan, ternary, literal].map((m) => describeMutant(SOURCE, m));

  it('leaves a listed equivalent out of the score and counts the rest', () => {
    const result = tally(facts, [boundary]);
    expect(result.equivalent.map((f) => f.id)).toEqual(['1']);
    expect(result.survivors.map((f) => f.id)).toEqual(['3']);
    expect(result.scorePct).toBe(50);
    expect(result.unusedEquivalents).toEqual([]);
  });

  it('matches by text, not position: the line may move and be re-indented', () => {
    const moved = describeMutant(`\n\n${SOURCE.replace('  if', '      if')}`, {
      ...lessThan,
      location: { start: { line: 4, column: 11 }, end: { line: 4, column: 16 } },
    });
    expect(tally([moved], [boundary]).equivalent).toHaveLength(1);
  });

  it('does not match another mutator or replacement on the same line', () => {
    const other = { ...boundary, replacement: 'n >= 0' };
    const result = tally(facts, [other]);
    expect(result.survivors.map((f) => f.id)).toEqual(['1', '3']);
    expect(result.unusedEquivalents).toEqual([other]);
    expect(result.scorePct).toBe(33.3);
  });

  it('reports an entry for a mutant the checks now kill as unused', () => {
    const killed = describeMutant(SOURCE, { ...lessThan, status: 'Killed' });
    const result = tally([killed], [boundary]);
    expect(result.scorePct).toBe(100);
    expect(result.unusedEquivalents).toEqual([boundary]);
  });

  it('counts timeouts as detected and leaves compile errors out', () => {
    const out = describeMutant(SOURCE, { ...ternary, id: '4', status: 'Timeout' });
    const broken = describeMutant(SOURCE, { ...ternary, id: '5', status: 'CompileError' });
    const result = tally([out, broken, facts[2]!], []);
    expect(result.invalid.map((f) => f.id)).toEqual(['5']);
    expect(result.scorePct).toBe(50);
  });

  it('refuses a run with nothing to score', () => {
    expect(() => tally([], [])).toThrow(/no mutant was scored/);
  });
});

describe('parseEquivalents', () => {
  const path = 'labs/x/equivalent-mutants.json';

  it('reads a list of entries', () => {
    expect(parseEquivalents(JSON.stringify([boundary]), path)).toEqual([boundary]);
  });

  it('names the file, the entry and the field that is wrong', () => {
    expect(() => parseEquivalents('{', path)).toThrow(
      /^labs\/x\/equivalent-mutants.json: not valid JSON/,
    );
    expect(() => parseEquivalents('{}', path)).toThrow(/must be a JSON array/);
    const noMutator = { ...boundary, mutator: 3 };
    expect(() => parseEquivalents(JSON.stringify([boundary, noMutator]), path)).toThrow(
      'labs/x/equivalent-mutants.json: entry 1: "mutator" must be a string',
    );
    const noReason = { ...boundary, reason: ' ' };
    expect(() => parseEquivalents(JSON.stringify([noReason]), path)).toThrow(
      /entry 0: "reason" must be one line/,
    );
  });
});

describe('formatSurvivor', () => {
  it('gives file:line:column, the mutator, the change and the entry to paste', () => {
    const text = formatSurvivor('labs/x/solution.ts', describeMutant(SOURCE, lessThan));
    expect(text.split('\n')[0]).toBe('labs/x/solution.ts:2:7  EqualityOperator  n < 0  →  n <= 0');
    const pasted = JSON.parse(text.split('equivalent: ')[1]!) as EquivalentMutant;
    expect(
      tally([describeMutant(SOURCE, lessThan)], [{ ...pasted, reason: 'r' }]).equivalent,
    ).toHaveLength(1);
  });
});

describe('activateMutant', () => {
  it('sets the active mutant on the first line, keeping line numbers', () => {
    const code = activateMutant('a;\nb;', '12');
    expect(code.split('\n')).toHaveLength(2);
    expect(code).toMatch(/^globalThis\.__stryker__ = \{ activeMutant: "12" \}; a;/);
  });

  it('leaves the code alone for the dry run and refuses an id that is not one', () => {
    expect(activateMutant('a;', undefined)).toBe('a;');
    expect(() => activateMutant('a;', '1"; evil()')).toThrow(/not a mutant id/);
  });
});
