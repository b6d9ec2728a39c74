/**
 * Re-grades only the undetected mutants of a saved run against the lab's current checks
 * (`MUTATION_RECHECK=1`): after a check is added or sharpened, the mutants it should kill are graded
 * again in seconds instead of a full Stryker run. Killed mutants stay killed (checks only get stronger
 * between runs; a full run re-establishes everything). The grading is passed in, so this core is pure.
 */
import { applyMutant, isUndetected, type StrykerMutant } from './tally.ts';

/** What grading one mutated solution said: every check passed, a check failed, or the run timed out. */
export type RecheckVerdict = 'Survived' | 'Killed' | 'Timeout';

export async function recheckSurvivors(
  source: string,
  mutants: readonly StrykerMutant[],
  grade: (code: string, mutant: StrykerMutant) => Promise<RecheckVerdict>,
  onEach: (mutant: StrykerMutant, verdict: RecheckVerdict) => void = () => {},
): Promise<StrykerMutant[]> {
  const result: StrykerMutant[] = [];
  for (const mutant of mutants) {
    if (!isUndetected(mutant.status)) {
      result.push(mutant);
      continue;
    }
    const verdict = await grade(applyMutant(source, mutant), mutant);
    onEach(mutant, verdict);
    result.push({ ...mutant, status: verdict });
  }
  return result;
}
