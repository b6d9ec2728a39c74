/**
 * Grading a class: many submissions of one lab, a verdict per submission and a class report. A verdict
 * always counts against the lab's full total (visible and hidden checks): a run that timed out or
 * crashed before its checks ran scores 0 of that total, never "0 of 0".
 */
import type { CheckResult, RunRecording } from '../run/recording.ts';

/** One submission's result, what `--json` prints per file. */
export interface Verdict {
  file: string;
  lab: string;
  /** Every check passed. */
  passed: boolean;
  /** Checks passed, of `total` (the lab's visible + hidden checks). */
  score: number;
  total: number;
  /** How the run ended: `ok`, `error` (the code threw), `timeout`, `stopped`. */
  outcome: string;
  /** The first failing check's message, or the run's error: what to tell the learner first. */
  firstFailure?: string;
  checks: {
    id: string;
    name: string;
    hidden: boolean;
    status: string;
    message?: string;
    ms: number;
  }[];
  /** Wall time of the whole grading of this file, ms. */
  ms: number;
  recording?: RunRecording;
}

/** The checks a lab declares, in order, to count against and to report on. */
export interface CheckInfo {
  id: string;
  name: string;
  hidden: boolean;
}

/** Builds the verdict of one graded file. Checks the run never reached count as failed. */
export function toVerdict(
  file: string,
  lab: string,
  declared: CheckInfo[],
  recording: RunRecording,
  ms: number,
  withRecording = false,
): Verdict {
  const ran = new Map<string, CheckResult>(recording.checks.map((c) => [c.id, c]));
  const error = recording.error
    ? `${recording.outcome === 'timeout' ? 'timeout' : 'error'}: ${recording.error.message}`
    : recording.outcome && recording.outcome !== 'ok'
      ? `run ${recording.outcome}`
      : undefined;
  const checks = declared.map((d) => {
    const r = ran.get(d.id);
    return r
      ? {
          id: d.id,
          name: d.name,
          hidden: d.hidden,
          status: r.status,
          ...(r.message ? { message: r.message } : {}),
          ms: Math.round(r.durationMs),
        }
      : {
          id: d.id,
          name: d.name,
          hidden: d.hidden,
          status: 'not run',
          message: error ?? 'the run ended before this check',
          ms: 0,
        };
  });
  const score = checks.filter((c) => c.status === 'pass').length;
  const firstFailing = checks.find((c) => c.status !== 'pass');
  const verdict: Verdict = {
    file,
    lab,
    passed: recording.outcome === 'ok' && score === declared.length && declared.length > 0,
    score,
    total: declared.length,
    outcome: recording.outcome ?? 'error',
    checks,
    ms: Math.round(ms),
  };
  const first =
    error ??
    (firstFailing
      ? `${firstFailing.id}: ${firstFailing.message ?? firstFailing.status}`
      : undefined);
  if (first !== undefined && !verdict.passed) verdict.firstFailure = first;
  if (withRecording) verdict.recording = recording;
  return verdict;
}

/** The class report as one object (`--report json`). */
export function classReport(lab: string, declared: CheckInfo[], verdicts: Verdict[]) {
  return {
    lab,
    submissions: verdicts.length,
    passed: verdicts.filter((v) => v.passed).length,
    learners: verdicts.map((v) => ({
      file: v.file,
      score: v.score,
      total: v.total,
      passed: v.passed,
      outcome: v.outcome,
      firstFailure: v.firstFailure ?? null,
    })),
    checks: declared.map((d) => {
      const passed = verdicts.filter(
        (v) => v.checks.find((c) => c.id === d.id)?.status === 'pass',
      ).length;
      return { ...d, passed, rate: verdicts.length ? passed / verdicts.length : 0 };
    }),
  };
}

const pct = (rate: number): string => `${Math.round(rate * 100)}%`;
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** The class report as Markdown (`--report md`; also what the job summary shows). */
export function reportMarkdown(report: ReturnType<typeof classReport>): string {
  const lines = [
    `## ${report.lab}: ${report.passed} of ${report.submissions} submissions pass every check`,
    '',
    '| learner | checks passed | first failing |',
    '| --- | --- | --- |',
    ...report.learners.map(
      (l) =>
        `| ${cell(l.file)} | ${l.score} of ${l.total}${l.outcome !== 'ok' ? ` (${l.outcome})` : ''} | ${cell(l.firstFailure ?? '')} |`,
    ),
    '',
    '| check | pass rate |',
    '| --- | --- |',
    ...report.checks.map(
      (c) =>
        `| ${cell(c.name)}${c.hidden ? ' (hidden)' : ''} | ${pct(c.rate)} (${c.passed}/${report.submissions}) |`,
    ),
  ];
  return lines.join('\n') + '\n';
}

const csvField = (value: string | number | boolean): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The class report as CSV: one row per learner, one column per check (1 = passed), for a spreadsheet. */
export function reportCsv(report: ReturnType<typeof classReport>, verdicts: Verdict[]): string {
  const header = [
    'file',
    'score',
    'total',
    'passed',
    'outcome',
    'first_failure',
    ...report.checks.map((c) => c.id),
  ];
  const rows = verdicts.map((v) => [
    v.file,
    v.score,
    v.total,
    v.passed,
    v.outcome,
    v.firstFailure ?? '',
    ...report.checks.map((c) => (v.checks.find((x) => x.id === c.id)?.status === 'pass' ? 1 : 0)),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** Runs `task` over `items` with at most `jobs` at once; results in input order. */
export async function pool<T, R>(
  items: T[],
  jobs: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return out;
}
