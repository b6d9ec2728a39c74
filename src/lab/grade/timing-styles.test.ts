/**
 * Correct timing code is correct however it reads the clock. The measure-ttft solution, rewritten to time
 * with `Date.now()`, `new Date()`, `performance.now()` and `performance.mark`/`measure`, gets the same
 * verdict on every check with the time warp as in real time, and passes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeFile } from './cli.ts';
import { loadLab } from './load.ts';

const lab = await loadLab('measure-ttft');
const solution = lab.files.solution;

const styles: Record<string, string> = {
  'performance.now': solution,
  'Date.now': solution.replaceAll('performance.now()', 'Date.now()'),
  'new Date': solution.replaceAll('performance.now()', 'new Date().getTime()'),
  'mark/measure': solution
    .replace(
      'const start = performance.now();',
      'const mark = `ttft-${Math.random()}`;\n  performance.mark(mark);',
    )
    .replaceAll('performance.now() - start', 'performance.measure(`${mark}-m`, mark).duration'),
};

describe('timing code written four ways (measure-ttft)', () => {
  it('each rewrite really uses its clock', () => {
    expect(styles['Date.now']).toContain('Date.now()');
    expect(styles['new Date']).toContain('new Date().getTime()');
    expect(styles['mark/measure']).toContain('performance.measure(');
    for (const [style, code] of Object.entries(styles))
      if (style !== 'performance.now') expect(code, style).not.toContain('performance.now()');
  });

  const verdicts = async (code: string, style: string, realTime: boolean) => {
    const recording = await gradeFile(lab, code, `${style}.ts`, { realTime });
    return [`outcome ${recording.outcome}`, ...recording.checks.map((c) => `${c.id}: ${c.status}`)];
  };
  /** Each style's verdicts with the warp, graded once (the real-time comparison reuses them). */
  const warpedRuns = new Map<string, Promise<string[]>>();
  const warped = (style: string): Promise<string[]> => {
    let run = warpedRuns.get(style);
    if (!run) warpedRuns.set(style, (run = verdicts(styles[style]!, style, false)));
    return run;
  };

  // Real time costs ~10 s a run, mostly waiting (a 4 s first token, split reads): compared once, on the
  // style furthest from performance.now, and started with the file so its waits overlap the gradings
  // with the warp (grade.test.ts compares warped and real time on the timing labs' buggy files).
  let real: Promise<string[]>;
  beforeAll(() => {
    real = verdicts(styles['mark/measure']!, 'mark-measure', true);
    real.catch(() => {}); // awaited (and reported) by its test
  });

  for (const style of Object.keys(styles)) {
    it(`${style}: passes every check with the warp`, async () => {
      const verdict = await warped(style);
      expect(verdict[0]).toBe('outcome ok');
      expect(
        verdict.slice(1).every((v) => v.endsWith(': pass')),
        verdict.join(', '),
      ).toBe(true);
    }, 60_000);
  }

  it('mark/measure: the same verdicts in real time as with the warp', async () => {
    expect(await warped('mark/measure')).toEqual(await real);
  }, 120_000);
});
