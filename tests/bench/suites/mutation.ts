/**
 * Bench: how strong each lab's checks are, by mutation testing (`npm run bench -- mutation`). StrykerJS
 * makes small changes (mutants) to `labs/<lab>/solution.ts` and grades each with the lab's checks; a
 * mutant that still passes every check survives. Survivors the lab lists in
 * `labs/<lab>/equivalent-mutants.json` (each with a one-line reason) are left out of the score; every
 * other survivor is printed as a gap in the checks.
 *
 * Figures: `score_<lab>_pct` per lab and `score_min_pct` (the lowest of this run), plus
 * `unexplained_<lab>` (survivors not listed as equivalent). `MUTATION_LABS=partial-json,batch-classify`
 * picks labs (default: every lab); `MUTATION_REUSE=1` re-scores the last run's saved results without
 * running Stryker (to check an edited list of equivalents). Slow: seconds per mutant, one at a time.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { BenchContext } from '../context.ts';
import {
  describeMutant,
  formatSurvivor,
  parseEquivalents,
  tally,
  type EquivalentMutant,
  type StrykerMutant,
  type Tally,
} from '../lib/mutation/tally.ts';

async function selectLabs(root: string, filter: string | undefined): Promise<string[]> {
  const known = (await readdir(join(root, 'labs'), { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (filter === undefined || filter.trim() === '') return known;
  const wanted = filter.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new Error(`MUTATION_LABS: no lab ${unknown.join(', ')} (labs: ${known.join(', ')})`);
  }
  return wanted;
}

async function readEquivalents(root: string, labId: string): Promise<EquivalentMutant[]> {
  const path = `labs/${labId}/equivalent-mutants.json`;
  let text: string;
  try {
    text = await readFile(join(root, path), 'utf8');
  } catch {
    return [];
  }
  return parseEquivalents(text, path);
}

/**
 * Stryker's results for a lab: a fresh run, saved to `tests/.tmp/mutation/<lab>.json` (git-ignored), or
 * with `MUTATION_REUSE=1` the saved ones, to re-check a list of equivalents without re-running.
 */
async function mutantsOf(
  root: string,
  labId: string,
  runStryker: (labId: string) => Promise<StrykerMutant[]>,
): Promise<StrykerMutant[]> {
  const saved = join(root, `tests/.tmp/mutation/${labId}.json`);
  if (process.env.MUTATION_REUSE === '1') {
    try {
      return JSON.parse(await readFile(saved, 'utf8')) as StrykerMutant[];
    } catch (error) {
      throw new Error(`MUTATION_REUSE=1: no saved results for ${labId} in ${saved}`, { cause: error });
    }
  }
  const mutants = await runStryker(labId);
  await mkdir(dirname(saved), { recursive: true });
  await writeFile(saved, JSON.stringify(mutants));
  return mutants;
}

function report(ctx: BenchContext, labId: string, result: Tally): void {
  const file = `labs/${labId}/solution.ts`;
  ctx.log(
    `${labId}: ${result.scorePct} % (${result.detected.length} detected, ${result.survivors.length} unexplained survivors, ` +
      `${result.equivalent.length} equivalent, ${result.invalid.length} invalid)`,
  );
  for (const fact of result.survivors) ctx.log(`  survived: ${formatSurvivor(file, fact)}`);
  for (const entry of result.unusedEquivalents) {
    ctx.log(
      `  labs/${labId}/equivalent-mutants.json lists a mutant that did not survive (stale or killed now): ${JSON.stringify(entry)}`,
    );
  }
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  if (resolve(process.cwd()) !== resolve(ctx.root)) {
    throw new Error(`run the mutation bench from the repository root (${ctx.root}), not ${process.cwd()}`);
  }
  const figures: Record<string, number> = {};
  const scores: number[] = [];
  // Stryker and the warm grader load only when this suite runs, not whenever the runner imports suites.
  const { runStryker } = await import('../lib/mutation/stryker.ts');
  const { startGrader } = await import('../lib/mutation/grader-server.ts');
  const grader = await startGrader();
  process.env.MUTATION_GRADER_URL = grader.url; // inherited by Stryker's test command
  try {
    for (const labId of await selectLabs(ctx.root, process.env.MUTATION_LABS)) {
      const equivalents = await readEquivalents(ctx.root, labId);
      const source = await readFile(join(ctx.root, 'labs', labId, 'solution.ts'), 'utf8');
      ctx.log(`${labId}: mutating labs/${labId}/solution.ts`);
      const mutants = await mutantsOf(ctx.root, labId, runStryker);
      const result = tally(
        mutants.map((m) => describeMutant(source, m)),
        equivalents,
      );
      report(ctx, labId, result);
      figures[`score_${labId}_pct`] = result.scorePct;
      figures[`unexplained_${labId}`] = result.survivors.length;
      scores.push(result.scorePct);
    }
  } finally {
    delete process.env.MUTATION_GRADER_URL;
    await grader.close();
  }
  figures.score_min_pct = Math.min(...scores);
  return figures;
}

export default { name: 'mutation', run };
