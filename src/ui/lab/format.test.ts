import { describe, expect, it } from 'vitest';
import type { CheckResult, ConsoleEntry, RunRecording } from '../../lab/run/recording.ts';
import {
  allChecksPassed,
  capConsole,
  checkLabel,
  describeOutcome,
  formatSeconds,
  summarizeChecks,
  withoutEchoedError,
} from './format.ts';

const check = (status: CheckResult['status'], hidden = false): CheckResult => ({
  id: 'c',
  name: 'Handles split events',
  hidden,
  scenario: 'one-byte',
  status,
  durationMs: 1,
});

const recording = (over: Partial<RunRecording>): RunRecording => ({
  version: 1,
  id: 'r',
  scenario: 'default',
  engine: 'worker',
  startedAt: '2026-01-01T00:00:00Z',
  attempts: [],
  console: [],
  checks: [],
  ...over,
});

describe('summarizeChecks', () => {
  it('counts passes', () => {
    expect(summarizeChecks([check('pass'), check('fail'), check('error')])).toBe(
      '1 of 3 checks passed',
    );
    expect(summarizeChecks([check('pass'), check('pass')])).toBe('All 2 checks passed');
    expect(summarizeChecks([check('pass')])).toBe('The check passed');
    expect(summarizeChecks([])).toBe('No checks ran');
  });
});

describe('allChecksPassed', () => {
  it('needs an ok run with at least one check, all passing', () => {
    expect(allChecksPassed(recording({ outcome: 'ok', checks: [check('pass')] }))).toBe(true);
    expect(
      allChecksPassed(recording({ outcome: 'ok', checks: [check('pass'), check('skipped')] })),
    ).toBe(false);
    expect(allChecksPassed(recording({ outcome: 'ok', checks: [] }))).toBe(false);
    expect(allChecksPassed(recording({ outcome: 'timeout', checks: [check('pass')] }))).toBe(false);
    expect(allChecksPassed(undefined)).toBe(false);
  });
});

describe('describeOutcome', () => {
  it('says a runaway was stopped at the time limit', () => {
    expect(describeOutcome(recording({ outcome: 'timeout' }), 5000)).toMatch(
      /^Stopped after the 5 s time limit/,
    );
  });
  it('names the error and summarizes the checks', () => {
    expect(
      describeOutcome(
        recording({
          outcome: 'error',
          error: { name: 'TypeError', message: 'x' },
          checks: [check('fail')],
        }),
        5000,
      ),
    ).toBe('Your code threw an error: TypeError. 0 of 1 checks passed.');
  });
});

describe('formatSeconds', () => {
  it('rounds to tenths', () => {
    expect(formatSeconds(5000)).toBe('5 s');
    expect(formatSeconds(2540)).toBe('2.5 s');
  });
});

describe('capConsole', () => {
  const entries: ConsoleEntry[] = Array.from({ length: 5 }, (_, i) => ({
    t: i,
    level: 'log',
    text: String(i),
  }));
  it('keeps the newest entries and counts the rest', () => {
    const { shown, omitted } = capConsole(entries, 2);
    expect(shown.map((e) => e.text)).toEqual(['3', '4']);
    expect(omitted).toBe(3);
  });
  it('keeps everything under the cap', () => {
    expect(capConsole(entries, 10)).toEqual({ shown: entries, omitted: 0 });
  });
});

describe('checkLabel', () => {
  it('labels hidden checks with their scenario', () => {
    expect(checkLabel(check('fail', true))).toBe(
      'Handles split events (hidden check, scenario “one-byte”)',
    );
    expect(checkLabel(check('fail'))).toBe('Handles split events');
  });
});

describe('withoutEchoedError', () => {
  const entry = (level: 'log' | 'error', text: string) => ({ t: 0, level, text });
  const error = { name: 'TypeError', message: 'x is not a function', line: 3, column: 5 };
  it('drops the console line that echoes the uncaught error, keeping every other line', () => {
    const entries = [
      entry('log', 'hello'),
      entry('error', 'Uncaught TypeError: x is not a function (a.ts:3:5)'),
      entry('error', 'something else'),
    ];
    expect(withoutEchoedError(entries, error).map((e) => e.text)).toEqual([
      'hello',
      'something else',
    ]);
  });
  it('keeps everything when there is no error, or the learner logged the message themselves', () => {
    const entries = [entry('error', 'TypeError: x is not a function')];
    expect(withoutEchoedError(entries, undefined)).toBe(entries);
    expect(withoutEchoedError(entries, error)).toBe(entries);
  });
});
