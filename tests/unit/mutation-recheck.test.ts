import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recheckSurvivors } from '../bench/lib/mutation/recheck.ts';
import { loadResults, saveResults } from '../bench/lib/mutation/saved.ts';
import { applyMutant, type StrykerMutant } from '../bench/lib/mutation/tally.ts';

const SOURCE = [
  'export function clamp(n: number): number {',
  '  if (n < 0) return 0;',
  '  return n;',
  '}',
].join('\n');

function mutant(
  id: string,
  status: string,
  replacement: string,
  [sl, sc, el, ec]: number[],
): StrykerMutant {
  return {
    id,
    status,
    mutatorName: 'EqualityOperator',
    replacement,
    location: {
      start: { line: sl! + 1, column: sc! + 1 },
      end: { line: el! + 1, column: ec! + 1 },
    },
  };
}

const lessEqual = mutant('1', 'Survived', 'n <= 0', [1, 6, 1, 11]);
const greater = mutant('2', 'Killed', 'n > 0', [1, 6, 1, 11]);
const always = mutant('3', 'NoCoverage', 'true', [1, 6, 1, 11]);

describe('applyMutant', () => {
  it('replaces exactly the mutated text and keeps the rest of the file', () => {
    expect(applyMutant(SOURCE, lessEqual).split('\n')[1]).toBe('  if (n <= 0) return 0;');
    expect(applyMutant(SOURCE, lessEqual).replace('n <= 0', 'n < 0')).toBe(SOURCE);
  });
});

describe('recheckSurvivors', () => {
  it('grades only undetected mutants, with the mutant applied, and keeps the rest as they were', async () => {
    const graded: string[] = [];
    const result = await recheckSurvivors(SOURCE, [lessEqual, greater, always], async (code, m) => {
      graded.push(m.id);
      return code.includes('n <= 0') ? 'Survived' : 'Killed';
    });
    expect(graded).toEqual(['1', '3']);
    expect(result.map((m) => m.status)).toEqual(['Survived', 'Killed', 'Killed']);
  });
});

describe('saved results', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const file = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mutation-saved-'));
    dirs.push(dir);
    return join(dir, 'lab.json');
  };

  it('reads back what was saved for the same solution', async () => {
    const path = await file();
    await saveResults(path, SOURCE, [lessEqual]);
    expect(await loadResults(path, SOURCE, () => {})).toEqual([lessEqual]);
  });

  it('refuses results made from another version of the solution', async () => {
    const path = await file();
    await saveResults(path, SOURCE, [lessEqual]);
    await expect(loadResults(path, `${SOURCE}\n`, () => {})).rejects.toThrow(
      /another version of the solution/,
    );
  });

  it('reads an old bare array with a warning, and says what to run when nothing is saved', async () => {
    const path = await file();
    await writeFile(path, JSON.stringify([greater]));
    const warnings: string[] = [];
    expect(await loadResults(path, SOURCE, (w) => warnings.push(w))).toEqual([greater]);
    expect(warnings[0]).toMatch(/without the solution's hash/);
    await expect(loadResults(`${path}.missing`, SOURCE, () => {})).rejects.toThrow(
      /no saved mutation results/,
    );
  });
});
