/**
 * `streamlab grade` (`npm run grade --`): grade a learner's file against a lab in Node, list the labs, or
 * verify every lab (`--all`, part of `npm test`). The checks, the mock and the transpiler are the very ones
 * the browser runs, in a worker thread that is terminated at the lab's time limit.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LabBundle } from '../catalog.ts';
import type { Check } from '../checks/index.ts';
import { builtins } from '../run/builtins.ts';
import { ModuleLoader } from '../run/modules.ts';
import type { RunRecording } from '../run/recording.ts';
import type { CheckPlan } from '../run/check-limits.ts';
import { lessonFiles, loadLab, loadLabsSeparately, repoRoot } from './load.ts';
import { isScenarioName, SCENARIO_NAMES } from '../../mock/core/index.ts';
import { createNodeEngine } from './node-engine.ts';
import { verifyVerdict } from './verdict.ts';
import { verifyLab } from './verify.ts';
import { HANDIN_MANIFEST, inZip, readSubmission, selectFromHandIns } from './handin.ts';
import {
  classReport,
  pool,
  reportCsv,
  reportMarkdown,
  toVerdict,
  type CheckInfo,
} from './class.ts';

const USAGE = `Usage:
  streamlab grade <lab-id> <file.ts> [--scenario <name>] [--visible] [--json]
      Run the lab's checks (visible and hidden) on a learner's file; exit 0 only if all pass.
  streamlab grade <lab-id> <files or folders...> [--jobs <n>] [--report md|csv|json] [--json]
      Grade a class: every .ts file given or found in the folders, and every "Download my work"
      hand-in (a .zip, or the folder it unzips to: only its <lab-id>.ts is graded).
      Exit 0 only if every submission passes every check.
  streamlab grade --list [--json]
      List the labs (with --json: one JSON array of {id, title, lesson, url, starter, solution, checks}).
  streamlab grade --all [<lab-id>...] [--jobs <n>]
      Verify every lab (or those named): its solution passes, its starter fails, each buggy/ file
      fails as declared (--jobs: how many labs at once, default 1).

Options:
  --scenario <name>  scenario for the driver and the visible checks (default: the lab's first)
  --visible          run only the visible checks (what Run does in the page)
  --json             print each submission's verdict as JSON (checks, messages, timings): one object
                     for one file, an array for several
  --recording        with --json: add the full run recording to each verdict
  --report <format>  print a class report: md, csv or json (per learner: checks passed of the lab's
                     total, hidden included, and the first failure; per check: the class's pass rate)
  --jobs <n>         grade n submissions at once (default 1; timing checks like a quiet machine)
  --timeout <ms>     override the lab's time limit
  --real-time        wait out every delay instead of skipping it (see below)

Waits are skipped: whenever a run is only waiting on a timer (a time to first token, a stall, a
retry-after), time jumps to it. Events keep their order and timestamps, so checks see what they would
in real time, in a fraction of the wall time. --real-time turns this off.
`;

/** `grade` entry point (see `src/cli/streamlab.ts`); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    process.stderr.write(`streamlab grade: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    if (values.list) return await list(values.json ?? false);
    if (values.all) {
      const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) {
        process.stderr.write(`streamlab grade: --jobs must be a positive integer\n`);
        return 2;
      }
      return await all(jobs, values['real-time'] ?? false, positionals);
    }
    if (positionals.length < 2) {
      process.stderr.write(`streamlab grade: expected <lab-id> <files or folders...>\n\n${USAGE}`);
      return 2;
    }
    const report = values.report;
    if (report !== undefined && !['md', 'csv', 'json'].includes(report)) {
      process.stderr.write(`streamlab grade: --report must be md, csv or json, got '${report}'\n`);
      return 2;
    }
    const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1) {
      process.stderr.write(`streamlab grade: --jobs must be a positive integer\n`);
      return 2;
    }
    const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
    if (timeout !== undefined && !(timeout > 0)) {
      process.stderr.write(
        `streamlab grade: --timeout must be a positive number of milliseconds\n`,
      );
      return 2;
    }
    const options = {
      scenario: values.scenario,
      visibleOnly: values.visible ?? false,
      json: values.json ?? false,
      timeout,
      realTime: values['real-time'] ?? false,
    };
    const [labId, ...paths] = positionals as [string, ...string[]];
    await loadLab(labId); // a wrong lab id is named before any file is read
    const files = await submissionFiles(paths, labId);
    if (files.length === 1 && report === undefined && !options.json)
      return await grade(labId, files[0]!, options);
    return await gradeClass(labId, files, {
      ...options,
      jobs,
      report: report as ClassReportFormat | undefined,
      recording: values.recording ?? false,
    });
  } catch (error) {
    process.stderr.write(`streamlab grade: ${(error as Error).message}\n`);
    return 2;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      list: { type: 'boolean' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      visible: { type: 'boolean' },
      scenario: { type: 'string' },
      timeout: { type: 'string' },
      jobs: { type: 'string' },
      report: { type: 'string' },
      recording: { type: 'boolean' },
      'real-time': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * Counts a lab's visible and hidden checks by evaluating its `checks.ts` (the lab's own code, not a
 * learner's: it only declares the checks; nothing runs them here).
 */
export async function countChecks(lab: LabBundle): Promise<{ visible: number; hidden: number }> {
  const checks = await declaredChecks(lab);
  const hidden = checks.filter((check) => check.hidden).length;
  return { visible: checks.length - hidden, hidden };
}

/** A declared check: what the verdict is compared with, and the timing the host arms its step with. */
export type DeclaredCheck = CheckInfo & CheckPlan;

/** Declared checks by `checks.ts` source: a class of 30 files of one lab evaluates it once. */
const declaredCache = new Map<string, Promise<DeclaredCheck[]>>();

/** The lab's checks (id, name, hidden, scenario, timeout), in order, from its `checks.ts`. */
export function declaredChecks(lab: LabBundle): Promise<DeclaredCheck[]> {
  const key = `${lab.id}\n${lab.files.checks}`;
  let found = declaredCache.get(key);
  if (!found) {
    found = loadDeclaredChecks(lab);
    declaredCache.set(key, found);
    found.catch(() => declaredCache.delete(key));
  }
  return found;
}

async function loadDeclaredChecks(lab: LabBundle): Promise<DeclaredCheck[]> {
  const modules: Record<string, unknown> = {};
  const loader = new ModuleLoader({
    builtins: modules,
    learner: { fileName: `labs/${lab.id}/solution.ts`, source: lab.files.solution },
    files: { checks: { fileName: `labs/${lab.id}/checks.ts`, source: lab.files.checks } },
  });
  loader.compileAll();
  for (const name of loader.requiredBuiltins()) modules[name] = await builtins[name]?.();
  const checks = loader.file('checks').default;
  if (!Array.isArray(checks)) {
    throw new Error(`labs/${lab.id}/checks.ts must export default defineChecks([...])`);
  }
  return (checks as Check[]).map((c) => ({
    id: c.id,
    name: c.name,
    hidden: c.hidden === true,
    scenario: c.scenario,
    timeoutMs: c.timeoutMs,
  }));
}

async function list(json: boolean): Promise<number> {
  // A broken lab is reported (and fails the command) without hiding the others from the listing.
  let broken = 0;
  const labs: LabBundle[] = [];
  for (const entry of await loadLabsSeparately()) {
    if (entry.lab) labs.push(entry.lab);
    else {
      broken++;
      process.stderr.write(`streamlab grade: ${entry.error?.message}\n`);
    }
  }
  const rows = [];
  for (const lab of labs) {
    rows.push({
      id: lab.id,
      title: lab.definition.title,
      lesson: lab.definition.lesson,
      url: `/lessons/${lab.definition.lesson}/`,
      starter: `labs/${lab.id}/starter.ts`,
      solution: `labs/${lab.id}/solution.ts`,
      checks: await countChecks(lab),
    });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const row of rows) {
      process.stdout.write(
        `${row.id.padEnd(20)} ${row.title}  (${row.url}; ${row.checks.visible} visible + ${row.checks.hidden} hidden checks)\n`,
      );
    }
  }
  return broken === 0 ? 0 : 1;
}

/** One line per check, then a summary; returns whether everything passed. */
export function formatRecording(recording: RunRecording): { lines: string[]; passed: boolean } {
  const lines: string[] = [];
  if (recording.error) {
    const e = recording.error;
    const where = e.file && e.line ? `${e.file}:${e.line}:${e.column ?? 1}: ` : '';
    const text = e.message.startsWith(where) ? e.message : `${where}${e.name}: ${e.message}`;
    lines.push(`${recording.outcome === 'timeout' ? 'timeout' : 'error'}: ${text}`);
  }
  for (const check of recording.checks) {
    const mark = check.status === 'pass' ? 'PASS' : check.status === 'fail' ? 'FAIL' : 'ERROR';
    const tag = check.hidden ? ' (hidden)' : '';
    const message = check.message ? ` — ${check.message}` : '';
    lines.push(`${mark.padEnd(5)} ${check.id}${tag}: ${check.name}${message}`);
  }
  const passed =
    recording.outcome === 'ok' &&
    recording.checks.length > 0 &&
    recording.checks.every((c) => c.status === 'pass');
  const count = recording.checks.filter((c) => c.status === 'pass').length;
  lines.push(
    passed
      ? `All ${count} checks passed.`
      : `${count} of ${recording.checks.length} checks passed${recording.outcome !== 'ok' ? ` (run ${recording.outcome})` : ''}.`,
  );
  return { lines, passed };
}

/** Runs the checks of `labId` on the file at `path`. */
export async function gradeFile(
  lab: LabBundle,
  code: string,
  fileName: string,
  options: {
    scenario?: string | undefined;
    visibleOnly?: boolean;
    timeout?: number | undefined;
    /** Wait out delays instead of skipping them. */
    realTime?: boolean;
    /** Stops the run (its worker is terminated) when aborted, e.g. once nobody waits for the verdict. */
    signal?: AbortSignal | undefined;
    /** Only these checks run (the verdict is then checked against them alone). */
    only?: readonly string[] | undefined;
  } = {},
): Promise<RunRecording> {
  const engine = createNodeEngine({ warp: !options.realTime });
  options.signal?.addEventListener('abort', () => engine.dispose(), { once: true });
  try {
    const only = options.only;
    const declared = (await declaredChecks(lab)).filter((c) => !only || only.includes(c.id));
    const request: Parameters<typeof engine.run>[0] = {
      // The host arms each check with its own limit (`run/check-limits.ts`).
      lab: { ...lab, checks: declared },
      code,
      fileName,
      mode: options.visibleOnly ? 'run' : 'check',
      label: fileName,
    };
    if (options.scenario !== undefined) request.scenario = options.scenario;
    if (only) request.only = only;
    if (options.timeout !== undefined) request.timeLimitMs = options.timeout;
    const recording = await engine.run(request, () => {}).result;
    return verifyVerdict(recording, declared, request.mode);
  } finally {
    engine.dispose();
  }
}

/**
 * The submissions named on the command line: files as given, folders searched for `.ts` files. With a
 * lab id, hand-ins count too (`handin.ts`): a `.zip` given or found is one submission (its
 * `<lab>.ts`), and in an unzipped hand-in folder only `<lab>.ts` counts.
 */
export async function submissionFiles(paths: string[], labId?: string): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new Error(`cannot read ${path}: no such file or folder`);
    }
    if (info.isFile()) out.push(labId && /\.zip$/i.test(path) ? inZip(path, labId) : path);
    else if (info.isDirectory()) {
      const entries = (await readdir(path, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
        .filter((p) => !/(^|[\\/])(node_modules|\.[^\\/]+)[\\/]/.test(relative(path, p)));
      let found = entries.filter((p) => /\.(ts|mts|tsx)$/.test(p) && !p.endsWith('.d.ts'));
      if (labId) {
        const manifests = entries.filter((p) => basename(p) === HANDIN_MANIFEST);
        found = selectFromHandIns(found, manifests, labId);
        found.push(...entries.filter((p) => /\.zip$/i.test(p)).map((p) => inZip(p, labId)));
      }
      found.sort();
      if (found.length === 0) throw new Error(`${path} holds no .ts files or hand-ins to grade`);
      out.push(...found);
    }
  }
  return out;
}

type ClassReportFormat = 'md' | 'csv' | 'json';

/** Grades many submissions of one lab; prints verdicts and/or a class report. */
async function gradeClass(
  labId: string,
  files: string[],
  options: {
    scenario?: string | undefined;
    visibleOnly: boolean;
    json: boolean;
    recording: boolean;
    timeout?: number | undefined;
    realTime: boolean;
    jobs: number;
    report?: ClassReportFormat | undefined;
  },
): Promise<number> {
  const lab = await loadLab(labId);
  const declared = (await declaredChecks(lab)).filter((c) => !options.visibleOnly || !c.hidden);
  const verdicts = await pool(files, options.jobs, async (file) => {
    const inside = relative(process.cwd(), resolve(file));
    const shown = inside && !inside.startsWith('..') ? inside : file;
    const started = performance.now();
    let recording: RunRecording;
    try {
      recording = await gradeFile(lab, await readSubmission(file), shown, options);
    } catch (error) {
      recording = failedRecording(labId, (error as Error).message);
    }
    const verdict = toVerdict(
      shown,
      labId,
      declared,
      recording,
      performance.now() - started,
      options.recording,
    );
    process.stderr.write(
      `${verdict.passed ? 'PASS' : 'FAIL'} ${shown}: ${verdict.score} of ${verdict.total}${verdict.firstFailure ? ` — ${verdict.firstFailure}` : ''}\n`,
    );
    return verdict;
  });
  const report = classReport(labId, declared, verdicts);
  if (options.json)
    process.stdout.write(
      `${JSON.stringify(verdicts.length === 1 ? verdicts[0] : verdicts, null, 2)}\n`,
    );
  if (options.report === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (options.report === 'csv') process.stdout.write(reportCsv(report, verdicts));
  else if (options.report === 'md') process.stdout.write(reportMarkdown(report));
  else if (!options.json)
    process.stdout.write(
      `${report.passed} of ${report.submissions} submissions pass every check.\n`,
    );
  return report.passed === report.submissions ? 0 : 1;
}

/** A recording for a file that could not even be run (unreadable): it scores 0 of the full total. */
function failedRecording(labId: string, message: string): RunRecording {
  return {
    version: 1,
    id: 'unrun',
    labId,
    scenario: 'default',
    engine: 'node',
    startedAt: new Date().toISOString(),
    attempts: [],
    console: [],
    checks: [],
    outcome: 'error',
    error: { name: 'Error', message },
  };
}

async function grade(
  labId: string,
  path: string,
  options: {
    scenario?: string | undefined;
    visibleOnly: boolean;
    json: boolean;
    timeout?: number | undefined;
    realTime: boolean;
  },
): Promise<number> {
  const lab = await loadLab(labId);
  if (options.scenario !== undefined && !isScenarioName(options.scenario)) {
    throw new Error(
      `there is no scenario '${options.scenario}' (the mock has ${SCENARIO_NAMES.join(', ')})`,
    );
  }
  const code = await readSubmission(path);
  const shown = relative(process.cwd(), resolve(path)) || path;
  const recording = await gradeFile(lab, code, shown, options);
  const { lines, passed } = formatRecording(recording);
  process.stdout.write(`${labId}: ${shown}\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  return passed ? 0 : 1;
}

/**
 * `--all` verifies one lab at a time by default: several labs time their runs (TTFT, pacing), and CPU
 * contention from a parallel lab makes those checks flaky. `--jobs N` overlaps N labs on a roomier machine.
 */
async function all(jobs = 1, realTime = false, only: readonly string[] = []): Promise<number> {
  const lessons = await lessonFiles();
  const every = await loadLabsSeparately({ scenarios: SCENARIO_NAMES });
  const unknown = only.filter((id) => !every.some((entry) => entry.id === id));
  if (unknown.length > 0) {
    process.stderr.write(
      `streamlab grade: no lab ${unknown.map((id) => `'${id}'`).join(', ')} (labs: ${every.map((e) => e.id).join(', ')})\n`,
    );
    return 2;
  }
  const entries = only.length > 0 ? every.filter((entry) => only.includes(entry.id)) : every;
  const verify = async ({ id, lab, error }: (typeof entries)[number]): Promise<string[]> => {
    if (!lab) return [`FAIL  ${error?.message ?? `labs/${id}/: invalid`}`];
    const started = performance.now();
    const found = await verifyLab(lab, {
      grade: (code, fileName, run) => gradeFile(lab, code, fileName, { ...run, realTime }),
      lessons: lessons.size > 0 ? [...lessons.keys()] : undefined,
    });
    if (found.length > 0) return found.map((problem) => `FAIL  labs/${lab.id}/: ${problem}`);
    const buggy = Object.keys(lab.files.buggy).length;
    return [
      `ok    labs/${lab.id}/ (solution passes, starter and ${buggy} buggy files fail as declared) ${((performance.now() - started) / 1000).toFixed(1)} s`,
    ];
  };
  // Verified concurrently, reported in order, each lab as soon as it and the ones before it are done.
  const results = entries.map(() => undefined as Promise<string[]> | undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      results[i] = verify(entries[i]!);
      await results[i];
    }
  };
  const pool = Array.from({ length: Math.max(1, jobs) }, worker);
  let problems = 0;
  for (let i = 0; i < entries.length; i++) {
    while (!results[i]) await new Promise((resolve) => setTimeout(resolve, 20));
    const lines = await results[i]!;
    problems += lines.filter((line) => line.startsWith('FAIL')).length;
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  await Promise.all(pool);
  process.stdout.write(
    problems === 0
      ? `${entries.length === 1 ? 'The lab was' : `All ${entries.length} labs`} verified.\n`
      : `${problems} problem${problems === 1 ? '' : 's'} in ${relative(process.cwd(), repoRoot) || '.'}/labs.\n`,
  );
  return problems === 0 ? 0 : 1;
}
