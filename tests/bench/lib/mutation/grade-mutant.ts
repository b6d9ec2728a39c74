/**
 * The test command Stryker runs for each mutant of a lab's solution (`tests/bench/suites/mutation.ts`):
 * `node tests/bench/lib/mutation/grade-mutant.ts <lab>` in Stryker's sandbox copy of the repository.
 * It grades the sandbox's (instrumented) `labs/<lab>/solution.ts` with the lab's checks, visible and
 * hidden, and exits 0 when every check passes (the mutant survived), 1 when one fails (killed).
 *
 * Stryker names the active mutant in the env var `__STRYKER_ACTIVE_MUTANT__`, which its instrumented
 * code reads from `globalThis.process.env`. Learner code runs in a compartment whose `process.env` is
 * the lab's (base URLs and dummy keys), so the mutant is handed over in the code itself instead.
 *
 * With `MUTATION_GRADER_URL` set (the suite sets it), the code goes to the suite's warm grader
 * (`grader-server.ts`); without it, this process loads the grader itself.
 */
import { readFile } from 'node:fs/promises';
import { activateMutant } from './activate.ts';
import type { GradeAnswer } from './grader-server.ts';

async function gradeHere(lab: string, code: string, file: string): Promise<GradeAnswer> {
  const { formatRecording, gradeFile } = await import('../../../../src/lab/grade/cli.ts');
  const { loadLab } = await import('../../../../src/lab/grade/load.ts');
  return formatRecording(await gradeFile(await loadLab(lab), code, file));
}

async function gradeThere(url: string, lab: string, code: string, file: string): Promise<GradeAnswer> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify({ lab, code, file }) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as GradeAnswer;
}

async function main(argv: string[]): Promise<number> {
  const lab = argv[0];
  if (!lab || argv.length !== 1) {
    process.stderr.write('Usage: node tests/bench/lib/mutation/grade-mutant.ts <lab-id>\n');
    return 2;
  }
  const file = `labs/${lab}/solution.ts`;
  const code = activateMutant(await readFile(file, 'utf8'), process.env.__STRYKER_ACTIVE_MUTANT__);
  const url = process.env.MUTATION_GRADER_URL;
  const { lines, passed } = url ? await gradeThere(url, lab, code, file) : await gradeHere(lab, code, file);
  process.stdout.write(`${lines.join('\n')}\n`);
  return passed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
