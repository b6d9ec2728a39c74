/**
 * The GitHub Classroom step: turns `streamlab grade <lab> <file> --json` verdicts into what GitHub shows
 * and Classroom reads. Called by `workflow.yml` (copy it to `.github/workflows/classroom.yml`):
 *
 *   node src/lab/grade/classroom/classroom.ts verdict.json
 *
 * It appends a Markdown verdict to `$GITHUB_STEP_SUMMARY` (the job summary) and writes the step output
 * `result`: base64 JSON `{version: 1, status, max_score, tests: [{name, status, message, score}]}`,
 * the format `classroom-resources/autograding-grading-reporter` reads. Exit code 0 only if all passed.
 */
import { appendFile, readFile } from 'node:fs/promises';
import type { Verdict } from '../class.ts';

export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: {
    name: string;
    status: 'pass' | 'fail' | 'error';
    message: string;
    score: number;
    execution_time: string;
  }[];
}

/** One point per check (hidden ones included), summed over the verdicts. */
export function toClassroomResult(verdicts: Verdict[]): ClassroomResult {
  const tests = verdicts.flatMap((v) =>
    v.checks.map((c) => ({
      name: `${v.lab}: ${c.name}${c.hidden ? ' (hidden)' : ''}`,
      status:
        c.status === 'pass'
          ? ('pass' as const)
          : c.status === 'fail'
            ? ('fail' as const)
            : ('error' as const),
      message: c.message ?? '',
      score: c.status === 'pass' ? 1 : 0,
      execution_time: `${(c.ms / 1000).toFixed(2)}s`,
    })),
  );
  const crashed = verdicts.some((v) => v.outcome !== 'ok');
  return {
    version: 1,
    status: verdicts.every((v) => v.passed) ? 'pass' : crashed ? 'error' : 'fail',
    max_score: tests.length,
    tests,
  };
}

/** The job summary: a verdict per file, the first failure first. */
export function summaryMarkdown(verdicts: Verdict[]): string {
  return verdicts
    .map((v) => {
      const head = `### ${v.passed ? '✅' : '❌'} ${v.lab}: ${v.score} of ${v.total} checks pass (${v.file})`;
      const first = v.firstFailure ? `\n\n**First to fix:** ${v.firstFailure}` : '';
      const rows = v.checks.map(
        (c) =>
          `| ${c.status === 'pass' ? 'pass' : c.status} | ${c.name}${c.hidden ? ' (hidden)' : ''} | ${(c.message ?? '').replace(/\|/g, '\\|').replace(/\s+/g, ' ')} |`,
      );
      return `${head}${first}\n\n| result | check | message |\n| --- | --- | --- |\n${rows.join('\n')}\n`;
    })
    .join('\n');
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv.length !== 1) {
    process.stderr.write('usage: classroom.ts <verdict.json from streamlab grade --json>\n');
    return 2;
  }
  let verdicts: Verdict[];
  try {
    const parsed = JSON.parse(await readFile(argv[0]!, 'utf8')) as Verdict | Verdict[];
    verdicts = Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    process.stderr.write(
      `classroom.ts: cannot read the verdicts in ${argv[0]}: ${(error as Error).message}\n`,
    );
    return 2;
  }
  const result = toClassroomResult(verdicts);
  const summary = summaryMarkdown(verdicts);
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, summary);
  else process.stdout.write(summary);
  const encoded = Buffer.from(JSON.stringify(result)).toString('base64');
  if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, `result=${encoded}\n`);
  return result.status === 'pass' ? 0 : 1;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
