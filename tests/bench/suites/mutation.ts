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
 * running Stryker (to check an edited list of equivalents); `MUTATION_RECHECK=1` grades only the saved
 * undetected mutants again, against the current checks. Slow: seconds per mutant, one at a time.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
import { recheckSurvivors, type RecheckVerdict } from '../lib/mutation/recheck.ts';
import { loadResults, saveResults } from '../lib/mutation/saved.ts';

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

/** Grades one mutated solution in this process, for `MUTATION_RECHECK=1`. */
async function gradeInProcess(labId: string): Promise<(code: string) => Promise<RecheckVerdict>> {
  const { formatRecording, gradeFile } = await import('../../../src/lab/grade/cli.ts');
  const { loadLab } = await import('../../../src/lab/grade/load.ts');
  const bundle = await loadLab(labId);
  return async (code) => {
    const recording = await gradeFile(bundle, code, `labs/${labId}/solution.ts`, {
      signal: AbortSignal.timeout(RECHECK_LIMIT_MS),
    });
    if (recording.outcome === 'timeout') return 'Timeout';
    return formatRecording(recording).passed ? 'Survived' : 'Killed';
  };
}

/** A mutant whose grading takes longer than this is counted as timed out (detected), as Stryker does. */
const RECHECK_LIMIT_MS = 60_000;

/**
 * Stryker's results for a lab: a fresh run, saved to `tests/.tmp/mutation/<lab>.json` (git-ignored);
 * with `MUTATION_REUSE=1` the saved ones, to re-check a list of equivalents without re-running; with
 * `MUTATION_RECHECK=1` the saved ones with their undetected mutants graded again against the current
 * checks (and saved), to see what a new check kills in seconds.
 */
async function mutantsOf(
  ctx: BenchContext,
  labId: string,
  source: string,
  runStryker: (labId: string) => Promise<StrykerMutant[]>,
): Promise<StrykerMutant[]> {
  const saved = join(ctx.root, `tests/.tmp/mutation/${labId}.json`);
  if (process.env.MUTATION_REUSE === '1') return loadResults(saved, source, ctx.log);
  if (process.env.MUTATION_RECHECK === '1') {
    const grade = await gradeInProcess(labId);
    const mutants = await recheckSurvivors(source, await loadResults(saved, source, ctx.log), grade, (m, verdict) =>
      ctx.log(`  re-checked ${m.mutatorName} at ${m.location.start.line}:${m.location.start.column}: ${verdict}`),
    );
    await saveResults(saved, source, mutants);
    return mutants;
  }
  const mutants = await runStryker(labId);
  await saveResults(saved, source, mutants);
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
  // Stryker and the warm grader load only when Stryker runs: not when the runner imports suites, nor
  // when saved results are re-scored or re-checked.
  const fresh = process.env.MUTATION_REUSE !== '1' && process.env.MUTATION_RECHECK !== '1';
  const runStryker = fresh
    ? (await import('../lib/mutation/stryker.ts')).runStryker
    : () => Promise.reject(new Error('Stryker does not run with MUTATION_REUSE or MUTATION_RECHECK'));
  const grader = fresh ? await (await import('../lib/mutation/grader-server.ts')).startGrader() : undefined;
  if (grader) process.env.MUTATION_GRADER_URL = grader.url; // inherited by Stryker's test command
  try {
    for (const labId of await selectLabs(ctx.root, process.env.MUTATION_LABS)) {
      const equivalents = await readEquivalents(ctx.root, labId);
      const source = await readFile(join(ctx.root, 'labs', labId, 'solution.ts'), 'utf8');
      ctx.log(`${labId}: mutating labs/${labId}/solution.ts`);
      const mutants = await mutantsOf(ctx, labId, source, runStryker);
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
    await grader?.close();
  }
  figures.score_min_pct = Math.min(...scores);
  return figures;
}

export default { name: 'mutation', run };
