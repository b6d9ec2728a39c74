import { describe, expect, it } from 'vitest';
import { gradeFile } from './cli.ts';
import { loadLab } from './load.ts';

describe('gradeFile with only', () => {
  it('runs just the named checks, and the verdict is checked against them alone', async () => {
    const lab = await loadLab('sse-reader');
    const buggy = Object.entries(lab.definition.buggy)[0]!;
    const [name, expectation] = buggy;
    const recording = await gradeFile(lab, lab.files.buggy[name]!, `buggy/${name}`, {
      only: expectation.fails,
    });
    expect(recording.outcome).toBe('ok');
    expect(recording.checks.map((c) => c.id).sort()).toEqual([...expectation.fails].sort());
    expect(recording.checks.every((c) => c.status !== 'pass')).toBe(true);
  }, 30_000);
});
