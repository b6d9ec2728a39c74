import { describe, expect, it } from 'vitest';
import type { CheckResult, RunRecording } from './run/recording.ts';
import { visibleChecksPassed } from './solution-gate.ts';

describe('the after-pass unlock', () => {
  const check = (status: CheckResult['status'], hidden = false): CheckResult => ({
    id: `c${Math.random()}`,
    name: 'c',
    hidden,
    scenario: 'default',
    status,
    durationMs: 1,
  });
  const run = (checks: CheckResult[], outcome: RunRecording['outcome'] = 'ok') =>
    ({ checks, outcome }) as unknown as RunRecording;

  it('opens when every visible check of a finished run passed, whatever the hidden ones did', () => {
    expect(visibleChecksPassed(run([check('pass'), check('pass')]))).toBe(true);
    expect(visibleChecksPassed(run([check('pass'), check('fail', true)]))).toBe(true);
  });

  it('stays shut for no run, no visible check, a failed or skipped one, or a run that did not finish', () => {
    expect(visibleChecksPassed(undefined)).toBe(false);
    expect(visibleChecksPassed(run([]))).toBe(false);
    expect(visibleChecksPassed(run([check('pass', true)]))).toBe(false);
    expect(visibleChecksPassed(run([check('pass'), check('fail')]))).toBe(false);
    expect(visibleChecksPassed(run([check('pass'), check('skipped')]))).toBe(false);
    expect(visibleChecksPassed(run([check('pass')], 'timeout'))).toBe(false);
  });
});
