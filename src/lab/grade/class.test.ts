import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RunRecording } from '../run/recording.ts';
import { classReport, pool, reportCsv, reportMarkdown, toVerdict } from './class.ts';
import { submissionFiles } from './cli.ts';

const CLI = fileURLToPath(new URL('../../cli/streamlab.ts', import.meta.url));
const declared = [
  { id: 'whole', name: 'Returns the whole answer', hidden: false },
  { id: 'split', name: 'Handles split events', hidden: true },
  { id: 'done', name: 'Stops at [DONE]', hidden: true },
];
const recording = (over: Partial<RunRecording>): RunRecording => ({
  version: 1,
  id: 'r',
  scenario: 'default',
  engine: 'node',
  startedAt: '',
  attempts: [],
  console: [],
  checks: [],
  outcome: 'ok',
  ...over,
});
const check = (id: string, status: 'pass' | 'fail', message?: string) => ({
  id,
  name: id,
  hidden: id !== 'whole',
  scenario: 'default',
  status,
  message,
  durationMs: 3,
});

describe('class grading', () => {
  const ada = toVerdict(
    'ada.ts',
    'lab',
    declared,
    recording({ checks: declared.map((d) => check(d.id, 'pass')) }),
    10,
  );
  const bob = toVerdict(
    'bob.ts',
    'lab',
    declared,
    recording({
      checks: [
        check('whole', 'pass'),
        check('split', 'fail', 'an event split across two reads was dropped'),
        check('done', 'fail', 'x'),
      ],
    }),
    12,
  );
  const cy = toVerdict(
    'cy.ts',
    'lab',
    declared,
    recording({ outcome: 'timeout', error: { name: 'Timeout', message: 'Stopped after 5 s' } }),
    5000,
  );

  it('a timeout or crash scores 0 of the full total, hidden checks included, never 0 of 0', () => {
    expect(cy).toMatchObject({
      passed: false,
      score: 0,
      total: 3,
      outcome: 'timeout',
      firstFailure: 'timeout: Stopped after 5 s',
    });
    expect(cy.checks.every((c) => c.status === 'not run')).toBe(true);
    expect(ada).toMatchObject({ passed: true, score: 3, total: 3 });
    expect(ada.firstFailure).toBeUndefined();
    expect(bob).toMatchObject({
      score: 1,
      firstFailure: 'split: an event split across two reads was dropped',
    });
    expect(bob.recording).toBeUndefined();
  });

  it('reports per learner and per check, as Markdown, CSV and JSON', () => {
    const report = classReport('lab', declared, [ada, bob, cy]);
    expect(report).toMatchObject({ submissions: 3, passed: 1 });
    expect(report.checks.map((c) => c.passed)).toEqual([2, 1, 1]);
    const md = reportMarkdown(report);
    expect(md).toContain(
      '| bob.ts | 1 of 3 | split: an event split across two reads was dropped |',
    );
    expect(md).toContain('| cy.ts | 0 of 3 (timeout) |');
    expect(md).toContain('| Handles split events (hidden) | 33% (1/3) |');
    const csv = reportCsv(report, [ada, bob, cy]).trim().split('\n');
    expect(csv[0]).toBe('file,score,total,passed,outcome,first_failure,whole,split,done');
    expect(csv[2]).toBe(
      'bob.ts,1,3,false,ok,split: an event split across two reads was dropped,1,0,0',
    );
  });

  it('pool keeps input order and never runs more than `jobs` at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await pool([5, 1, 3, 2], 2, async (n) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20]);
    expect(peak).toBe(2);
  });

  it('finds the .ts files in folders, skipping node_modules and dot folders, and names a missing path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'class-'));
    await mkdir(join(dir, 'b', 'node_modules'), { recursive: true });
    await mkdir(join(dir, '.git'));
    for (const f of [
      'a.ts',
      'b/c.ts',
      'b/node_modules/x.ts',
      '.git/y.ts',
      'notes.md',
      'types.d.ts',
    ])
      await writeFile(join(dir, f), '');
    expect((await submissionFiles([dir])).map((f) => f.slice(dir.length + 1))).toEqual([
      'a.ts',
      'b/c.ts',
    ]);
    await expect(submissionFiles([join(dir, 'nope')])).rejects.toThrow(/cannot read .*nope/);
  });

  it('streamlab grade <lab> <folder> --report json: exit 1, a broken file scores 0 of the full total', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'class-'));
    await writeFile(join(dir, 'dan.ts'), 'export function broken( {\n');
    const result = await promisify(execFile)(process.execPath, [
      CLI,
      'grade',
      'sse-reader',
      dir,
      '--report',
      'json',
      '--timeout',
      '60000',
    ]).catch((error: { code: number; stdout: string }) => error);
    expect((result as { code?: number }).code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.learners).toHaveLength(1);
    expect(report.learners[0]).toMatchObject({ score: 0, outcome: 'error' });
    expect(report.learners[0].total).toBeGreaterThan(3);
    expect(report.learners[0].firstFailure).toMatch(/dan\.ts:2:1/);
  }, 60_000);
});
