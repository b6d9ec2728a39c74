/**
 * Runs StrykerJS over one lab's `solution.ts` with the lab's checks as the test: Stryker's command
 * runner calls `grade-mutant.ts` in its sandbox copy of the repository, once per mutant, one at a time.
 * A mutant the checks fail is killed; one that hangs is killed by Stryker's timeout (or the grader's
 * time limit, whichever comes first).
 */
import { Stryker } from '@stryker-mutator/core';
import type { StrykerMutant } from './tally.ts';

type StrykerOptions = ConstructorParameters<typeof Stryker>[0];
type LogLevel = NonNullable<StrykerOptions['logLevel']>;

/** Stryker's sandboxes, under `tests/.tmp/` (git-ignored) so the top level stays clean. */
export const STRYKER_TEMP_DIR = 'tests/.tmp/stryker';

export function strykerOptions(labId: string): StrykerOptions {
  return {
    mutate: [`labs/${labId}/solution.ts`],
    testRunner: 'command',
    commandRunner: {
      command: `"${process.execPath}" tests/bench/lib/mutation/grade-mutant.ts ${labId}`,
    },
    coverageAnalysis: 'off',
    concurrency: 1,
    // A mutant that makes a run hang is cut off this long after a normal run's time.
    timeoutMS: 5000,
    timeoutFactor: 1.5,
    inPlace: false,
    tempDirName: STRYKER_TEMP_DIR,
    cleanTempDir: true,
    // What the grader does not need is not copied into the sandbox.
    ignorePatterns: ['/dist', '/.astro', '/bench', '/tests/.tmp', '/test-results', '/playwright-report'],
    // The suite prints the score and survivors itself; no report files at the top level.
    reporters: ['progress-append-only'],
    thresholds: { high: 95, low: 90, break: null },
    logLevel: 'warn' as LogLevel,
    fileLogLevel: 'off' as LogLevel,
    incremental: false,
  };
}

/** Mutates the lab's solution and grades every mutant; resolves to Stryker's result per mutant. */
export async function runStryker(labId: string): Promise<StrykerMutant[]> {
  const results = await new Stryker(strykerOptions(labId)).runMutationTest();
  return results.map((r) => ({
    id: r.id,
    mutatorName: r.mutatorName,
    replacement: r.replacement,
    status: r.status,
    location: r.location,
  }));
}
