import { describe, expect, it } from 'vitest';
import type { CheckResult, RunRecording } from '../run/recording.ts';
import { verifyVerdict } from './verdict.ts';

const declared = [
  { id: 'whole-text', name: 'Reads the whole text', hidden: false },
  { id: 'split-reads', name: 'Handles split reads', hidden: true },
];
const result = (id: string, over: Partial<CheckResult> = {}): CheckResult => ({
  id,
  name: declared.find((d) => d.id === id)?.name ?? id,
  hidden: declared.find((d) => d.id === id)?.hidden ?? false,
  scenario: 'default',
  status: 'pass',
  durationMs: 1,
  ...over,
});
const run = (checks: CheckResult[], outcome: RunRecording['outcome'] = 'ok'): RunRecording => ({
  version: 1,
  id: 'r',
  scenario: 'default',
  engine: 'node',
  startedAt: '2026-11-29T00:00:00Z',
  attempts: [],
  console: [],
  checks,
  outcome,
});

describe('verifyVerdict', () => {
  it('keeps a verdict that is exactly the declared checks', () => {
    const honest = run([result('whole-text'), result('split-reads', { status: 'fail' })]);
    expect(verifyVerdict(honest, declared, 'check')).toBe(honest);
    const visible = run([result('whole-text')]);
    expect(verifyVerdict(visible, declared, 'run')).toBe(visible);
  });

  it.each([
    [
      'a check reported twice',
      [result('whole-text'), result('whole-text'), result('split-reads')],
      /more than once: whole-text/,
    ],
    [
      'an undeclared check',
      [result('whole-text'), result('split-reads'), result('forged')],
      /not declared by the lab: forged/,
    ],
    ['a missing check', [result('whole-text')], /missing: split-reads/],
    [
      'a hidden check shown as visible',
      [result('whole-text'), result('split-reads', { hidden: false })],
      /visibility changed: split-reads/,
    ],
  ])('voids %s, naming it', (_, checks, why) => {
    const voided = verifyVerdict(run(checks), declared, 'check');
    expect(voided.outcome).toBe('error');
    expect(voided.error?.message).toMatch(why);
    expect(voided.checks.map((c) => [c.id, c.status])).toEqual([
      ['whole-text', 'error'],
      ['split-reads', 'error'],
    ]);
  });

  it('leaves unfinished runs (timeouts, errors) as they are', () => {
    const timedOut = run([result('whole-text')], 'timeout');
    expect(verifyVerdict(timedOut, declared, 'check')).toBe(timedOut);
  });
});
