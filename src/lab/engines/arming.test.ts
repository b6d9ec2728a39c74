import { describe, expect, it } from 'vitest';
import { createRearmPolicy } from './arming.ts';
import type { RunMessage } from '../run/messages.ts';

const phase = (p: 'transpiling' | 'running' | 'checking', check?: string): RunMessage =>
  check === undefined
    ? { type: 'phase', phase: p, t: 0 }
    : { type: 'phase', phase: p, t: 0, check };

describe('time-limit re-arming', () => {
  it('re-arms once per step, in order: transpile, run, then each declared check', () => {
    const policy = createRearmPolicy(['a', 'b']);
    expect(policy.startsStep(phase('transpiling'))).toBe(true);
    expect(policy.startsStep(phase('running'))).toBe(true);
    expect(policy.startsStep(phase('checking', 'a'))).toBe(true);
    expect(policy.currentCheck()).toBe('a');
    expect(policy.startsStep(phase('checking', 'b'))).toBe(true);
    expect(policy.currentCheck()).toBe('b');
  });

  it('a forged, repeated, unknown or out-of-order phase never re-arms', () => {
    const policy = createRearmPolicy(['a', 'b']);
    expect(policy.startsStep(phase('running'))).toBe(true);
    expect(policy.startsStep(phase('transpiling'))).toBe(false);
    expect(policy.startsStep(phase('running'))).toBe(false);
    expect(policy.startsStep(phase('checking', 'b'))).toBe(false);
    expect(policy.startsStep(phase('checking', 'a'))).toBe(true);
    for (let i = 0; i < 1000; i++) expect(policy.startsStep(phase('checking', 'a'))).toBe(false);
    expect(policy.startsStep(phase('checking', 'zzz'))).toBe(false);
    expect(policy.startsStep(phase('checking'))).toBe(false);
    expect(policy.startsStep({ type: 'console', entry: { t: 0, level: 'log', text: 'x' } })).toBe(
      false,
    );
  });

  it('without a declared list, each check id re-arms once and the count is bounded', () => {
    const policy = createRearmPolicy(undefined, 3);
    expect(policy.startsStep(phase('checking', 'a'))).toBe(true);
    expect(policy.startsStep(phase('checking', 'a'))).toBe(false);
    expect(policy.startsStep(phase('checking', 'b'))).toBe(true);
    expect(policy.startsStep(phase('checking', 'c'))).toBe(true);
    expect(policy.startsStep(phase('checking', 'd'))).toBe(false);
  });
});
