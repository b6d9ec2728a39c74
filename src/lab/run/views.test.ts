import { describe, expect, it } from 'vitest';
import type { Attempt, RunRecording } from './recording.ts';
import { checkRun, driverRun, requestsByCheck } from './views.ts';

const attempt = (index: number, check?: string): Attempt => ({
  index,
  method: 'POST',
  url: '/v1/chat/completions',
  provider: 'openai-chat',
  scenario: 'default',
  tRequest: index,
  reads: [],
  events: [],
  ...(check ? { check } : {}),
});

const recording: RunRecording = {
  version: 1,
  id: 'r',
  scenario: 'default',
  engine: 'node',
  startedAt: '',
  attempts: [attempt(0), attempt(1, 'a'), attempt(2, 'a'), attempt(3, 'b'), attempt(4)],
  console: [],
  checks: [
    { id: 'a', name: 'A', hidden: false, scenario: 'fragmented', status: 'pass', durationMs: 1 },
    { id: 'b', name: 'B', hidden: true, scenario: 'default', status: 'fail', durationMs: 1 },
  ],
};

describe('run views', () => {
  it('the driver run holds only the driver requests, numbered as its own', () => {
    const run = driverRun(recording);
    expect(run.attempts.map((a) => [a.index, a.tRequest])).toEqual([
      [0, 0],
      [1, 4],
    ]);
    expect(run.checks).toBe(recording.checks);
    const plain = { ...recording, attempts: [attempt(0)] };
    expect(driverRun(plain)).toBe(plain);
  });

  it("a check's requests are a recording of their own", () => {
    const a = checkRun(recording, 'a');
    expect(a.attempts.map((x) => [x.index, x.tRequest])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(a.scenario).toBe('fragmented');
    expect(a.id).not.toBe(recording.id);
    expect(requestsByCheck(recording)).toEqual({ a: 2, b: 1 });
  });
});
