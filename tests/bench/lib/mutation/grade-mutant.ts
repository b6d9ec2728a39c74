/**
 * The test command Stryker runs for each mutant of a lab's solution (`tests/bench/suites/mutation.ts`):
 * `node tests/bench/lib/mutation/grade-mutant.ts <lab>` in Stryker's sandbox copy of the repository.
 * It grades the sandbox's (instrumented) `labs/<lab>/solution.ts` with the lab's checks, visible and
 * hidden, and exits 0 when every check passes (the mutant survived), 1 when one fails (killed).
 *
 * Stryker names the active mutant in the env var `__STRYKER_ACTIVE_MUTANT__`, which its instrumented
 * code reads from `globalThis.process.env`. Learner code runs in a compartment whose `process.env` is
 * the lab's (base URLs and dummy keys), so the mutant is handed over in the code itself instead.
 */
import { readFile } from 'node:fs/promises';
import { formatRecording, gradeFile } from '../../../../src/lab/grade/cli.ts';
import { loadLab } from '../../../../src/lab/grade/load.ts';
import { activateMutant } from './activate.ts';

async function main(argv: string[]): Promise<number> {
  const labId = argv[0];
  if (!labId || argv.length !== 1) {
    process.stderr.write('Usage: node tests/bench/lib/mutation/grade-mutant.ts <lab-id>\n');
    return 2;
  }
  const file = `labs/${labId}/solution.ts`;
  const lab = await loadLab(labId);
  const code = activateMutant(await readFile(file, 'utf8'), process.env.__STRYKER_ACTIVE_MUTANT__);
  const { lines, passed } = formatRecording(await gradeFile(lab, code, file));
  process.stdout.write(`${lines.join('\n')}\n`);
  return passed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
