import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../class.ts';
import { main } from './classroom.ts';

const verdict = (passed: boolean): Verdict => ({
  file: 'sse-reader.ts',
  lab: 'sse-reader',
  passed,
  score: passed ? 2 : 1,
  total: 2,
  outcome: 'ok',
  ...(passed ? {} : { firstFailure: 'split-event: an event split across two reads was dropped' }),
  checks: [
    { id: 'whole-text', name: 'Returns the whole answer', hidden: false, status: 'pass', ms: 12 },
    {
      id: 'split-event',
      name: 'Handles split events',
      hidden: true,
      status: passed ? 'pass' : 'fail',
      ...(passed ? {} : { message: 'an event split across two reads was dropped' }),
      ms: 30,
    },
  ],
  ms: 900,
});

async function runStep(v: Verdict) {
  const dir = await mkdtemp(join(tmpdir(), 'classroom-'));
  const env = { GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output') };
  await writeFile(join(dir, 'verdict.json'), JSON.stringify(v));
  const code = await main([join(dir, 'verdict.json')], env);
  const output = await readFile(env.GITHUB_OUTPUT, 'utf8');
  const result = JSON.parse(Buffer.from(output.match(/^result=(.+)$/m)![1]!, 'base64').toString());
  return { code, summary: await readFile(env.GITHUB_STEP_SUMMARY, 'utf8'), result };
}

describe('the GitHub Classroom step', () => {
  it('writes the verdict to the job summary and a base64 result Classroom reads; fails the step on a failure', async () => {
    const failed = await runStep(verdict(false));
    expect(failed.code).toBe(1);
    expect(failed.summary).toContain('❌ sse-reader: 1 of 2 checks pass');
    expect(failed.summary).toContain(
      '**First to fix:** split-event: an event split across two reads was dropped',
    );
    expect(failed.result).toMatchObject({ version: 1, status: 'fail', max_score: 2 });
    expect(failed.result.tests[1]).toMatchObject({
      name: 'sse-reader: Handles split events (hidden)',
      status: 'fail',
      score: 0,
      message: 'an event split across two reads was dropped',
    });
    const passed = await runStep(verdict(true));
    expect(passed.code).toBe(0);
    expect(passed.result).toMatchObject({ status: 'pass', max_score: 2 });
    expect(passed.result.tests.map((t: { score: number }) => t.score)).toEqual([1, 1]);
  });

  it('a missing verdict file is exit 2 with a message', async () => {
    expect(await main(['/nonexistent/verdict.json'], {})).toBe(2);
  });
});
