/**
 * A lab's saved mutation results (`tests/.tmp/mutation/<lab>.json`, git-ignored): Stryker's verdict per
 * mutant, and the SHA-256 of the `solution.ts` they were made from. Positions only mean something for
 * that exact text, so reading them for a changed solution is refused. Files saved before the hash was
 * kept (a bare array) are read with a warning.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StrykerMutant } from './tally.ts';

interface SavedResults {
  sourceSha256: string;
  mutants: StrykerMutant[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function saveResults(path: string, source: string, mutants: StrykerMutant[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const saved: SavedResults = { sourceSha256: sha256(source), mutants };
  await writeFile(path, JSON.stringify(saved));
}

/** The saved mutants for `source`; throws if none are saved or they were made from another text. */
export async function loadResults(
  path: string,
  source: string,
  warn: (line: string) => void,
): Promise<StrykerMutant[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`no saved mutation results in ${path}: run without MUTATION_REUSE/MUTATION_RECHECK first`, {
      cause: error,
    });
  }
  if (Array.isArray(data)) {
    warn(`${path} was saved without the solution's hash: assuming the solution has not changed since`);
    return data as StrykerMutant[];
  }
  const saved = data as SavedResults;
  if (saved.sourceSha256 !== sha256(source)) {
    throw new Error(
      `${path} was made from another version of the solution (its mutants' positions no longer fit): run Stryker again for this lab`,
    );
  }
  return saved.mutants;
}
