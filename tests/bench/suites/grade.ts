/**
 * Bench: grading a class. Grades the sse-reader lab's solution, starter and buggy files (as a class of
 * submissions, one after another, as `streamlab grade <lab> <folder>` does by default) and reports the
 * median wall time per submission: `grade.ms_per_submission`.
 *
 * Runs under the bench runner (`npm run bench -- grade`).
 */
import { gradeFile } from '../../../src/lab/grade/cli.ts';
import { loadLab } from '../../../src/lab/grade/load.ts';
import type { BenchContext } from '../context.ts';

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const lab = await loadLab('sse-reader');
  const files: [string, string][] = [
    ['solution.ts', lab.files.solution],
    ['starter.ts', lab.files.starter],
    ...Object.entries(lab.files.buggy).map(([name, code]): [string, string] => [`buggy/${name}`, code]),
  ];
  const times: number[] = [];
  for (let r = 0; r < ctx.runs; r++) {
    for (const [name, code] of files) {
      const started = performance.now();
      await gradeFile(lab, code, name);
      times.push(performance.now() - started);
    }
  }
  ctx.log(`graded ${times.length} submissions of sse-reader`);
  return { ms_per_submission: Math.round(ctx.median(times)) };
}

export default { name: 'grade', run };
