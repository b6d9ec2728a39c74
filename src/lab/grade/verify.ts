/**
 * Verifies one lab by running it: its solution passes every check, its starter fails at least one, and
 * each `buggy/` file fails exactly the checks `lab.json` declares, with the declared words in the message.
 * Returns the problems found (empty: the lab is sound), each phrased for the lab's author.
 */
import type { LabBundle } from '../catalog.ts';
import type { RunRecording } from '../run/recording.ts';

export interface VerifyOptions {
  /** Runs all checks (hidden included) on `code`; `scenario` for the Run, `visibleOnly` as Run does. */
  grade: (
    code: string,
    fileName: string,
    options?: { scenario?: string; visibleOnly?: boolean; only?: readonly string[] },
  ) => Promise<RunRecording>;
  /** Lesson slugs that exist, when known. */
  lessons?: readonly string[] | undefined;
}

const summary = (recording: RunRecording): string => {
  if (recording.error) return `${recording.outcome}: ${recording.error.message}`;
  const failed = recording.checks.filter((c) => c.status !== 'pass');
  return failed.map((c) => `${c.id} ${c.status}${c.message ? ` (${c.message})` : ''}`).join('; ');
};

export async function verifyLab(lab: LabBundle, options: VerifyOptions): Promise<string[]> {
  const problems: string[] = [];
  if (options.lessons && !options.lessons.includes(lab.definition.lesson)) {
    problems.push(
      `lesson '${lab.definition.lesson}' has no file content/lessons/NN-${lab.definition.lesson}.mdx`,
    );
  }
  const solution = await options.grade(lab.files.solution, `labs/${lab.id}/solution.ts`);
  const solutionOk =
    solution.outcome === 'ok' &&
    solution.checks.length > 0 &&
    solution.checks.every((c) => c.status === 'pass');
  if (!solutionOk)
    problems.push(`solution.ts fails its own checks: ${summary(solution) || 'no checks ran'}`);
  const ids = new Set(solution.checks.map((c) => c.id));
  if (solutionOk) problems.push(...(await verifyScenarios(lab, options)));

  const starter = await options.grade(lab.files.starter, `labs/${lab.id}/starter.ts`);
  if (starter.outcome === 'ok' && starter.checks.every((c) => c.status === 'pass')) {
    problems.push('starter.ts passes every check: the learner would have nothing to do');
  }

  for (const [name, expectation] of Object.entries(lab.definition.buggy)) {
    const code = lab.files.buggy[name]!;
    // Only the checks it must fail: the others' verdicts are not part of the expectation.
    const run = await options.grade(code, `labs/${lab.id}/buggy/${name}`, {
      only: expectation.fails,
    });
    for (const id of expectation.fails) {
      if (solutionOk && !ids.has(id)) {
        problems.push(`lab.json buggy ${name}: there is no check '${id}'`);
        continue;
      }
      const check = run.checks.find((c) => c.id === id);
      if (!check) {
        problems.push(
          `buggy/${name} should fail check '${id}', which did not run (${summary(run)})`,
        );
      } else if (check.status === 'pass') {
        problems.push(
          `buggy/${name} should fail check '${id}' (${expectation.bug}), but passed it`,
        );
      } else if (!(check.message ?? '').toLowerCase().includes(expectation.message.toLowerCase())) {
        problems.push(
          `buggy/${name} fails check '${id}' with "${check.message}", which does not mention "${expectation.message}"`,
        );
      }
    }
  }
  return problems;
}

/**
 * Correct code is never told it is wrong: the solution passes every check under each scenario the lab
 * checks, and under each scenario it offers to explore no check fails and the Run ends within its limit.
 */
async function verifyScenarios(lab: LabBundle, options: VerifyOptions): Promise<string[]> {
  const problems: string[] = [];
  const { scenarios, explore } = lab.definition;
  const file = `labs/${lab.id}/solution.ts`;
  for (const scenario of scenarios.slice(1)) {
    const run = await options.grade(lab.files.solution, file, { scenario });
    const ok =
      run.outcome === 'ok' && run.checks.length > 0 && run.checks.every((c) => c.status === 'pass');
    if (!ok) problems.push(`solution.ts fails under scenario '${scenario}': ${summary(run)}`);
  }
  for (const scenario of explore) {
    const run = await options.grade(lab.files.solution, file, { scenario, visibleOnly: true });
    const failed = run.checks.filter((c) => c.status !== 'pass');
    if (run.outcome !== 'ok' || failed.length > 0)
      problems.push(`solution.ts, exploring scenario '${scenario}': ${summary(run)}`);
  }
  return problems;
}
