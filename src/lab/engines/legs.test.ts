import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabBundle } from '../catalog.ts';
import type { SandboxRunRequest } from '../run/execute.ts';
import type { RunMessage } from '../run/messages.ts';
import { applyRunMessage, emptyRecording } from '../run/messages.ts';
import { hostCheckLimitMs } from '../run/check-limits.ts';
import { checksAfter, shiftMessage } from './legs.ts';
import { demoLab } from './fixtures/demo-lab.ts';
import { startSession, withDriverEnding } from './session.ts';

const lab: LabBundle = {
  ...demoLab,
  checks: [
    { id: 'quick', hidden: false },
    { id: 'spins', hidden: true, scenario: 'stall' },
    { id: 'after', hidden: true },
    { id: 'last', hidden: true },
  ],
};

const check = (id: string, status: 'pass' | 'fail', message?: string): RunMessage => ({
  type: 'check',
  result: {
    id,
    name: id,
    hidden: id !== 'quick',
    scenario: 'fast',
    status,
    durationMs: 1,
    ...(message ? { message } : {}),
  },
});
const attempt = (n: number, t: number, check?: string): RunMessage => ({
  type: 'attempt-start',
  attempt: n,
  t,
  method: 'POST',
  url: '/v1/chat/completions',
  provider: 'openai-chat',
  scenario: 'fast',
  ...(check ? { check } : {}),
});

/**
 * A sandbox stand-in that plays `execute.ts`'s part: a first leg that runs the driver and the checks and
 * spins in each check listed in `spinsIn`; a later leg (`resume`) that reports the stopped check failed
 * with the host's message and runs the rest, numbering its attempts from 0 on its own clock.
 */
function standIn(
  spinsIn: string[],
  driverEnd: RunMessage = { type: 'driver-end', t: 2, outcome: 'ok' },
) {
  const legs: SandboxRunRequest[] = [];
  let alive = 0;
  const start = (request: SandboxRunRequest, deliver: (m: RunMessage) => void) => {
    legs.push(request);
    alive++;
    let terminated = false;
    const checks = request.only ?? lab.checks!.map((c) => c.id);
    setTimeout(() => {
      deliver({ type: 'phase', phase: 'transpiling', t: 0 });
      deliver({ type: 'phase', phase: 'running', t: 1 });
      if (!request.resume) {
        deliver(attempt(0, 2));
        deliver(driverEnd);
      }
      let local = request.resume ? 0 : 1;
      for (const id of checks) {
        if (id === request.resume?.check) {
          deliver(check(id, 'fail', request.resume.message));
          continue;
        }
        deliver({ type: 'phase', phase: 'checking', t: 3, check: id });
        if (spinsIn.includes(id)) return; // an endless loop: nothing more from this sandbox
        deliver(attempt(local++, 4, id));
        deliver(check(id, 'pass'));
      }
      deliver({ type: 'done', t: 5, outcome: 'ok' });
    });
    return {
      terminate: () => {
        if (!terminated) alive--;
        terminated = true;
      },
    };
  };
  return { legs, start, alive: () => alive };
}

describe('a run whose check hangs goes on with the next checks in a fresh sandbox', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function runWith(spinsIn: string[], only?: string[], driverEnd?: RunMessage) {
    vi.useFakeTimers();
    const sandbox = standIn(spinsIn, driverEnd);
    const messages: RunMessage[] = [];
    const handle = startSession({
      engine: 'worker',
      request: { lab, code: '', mode: 'check', ...(only ? { only } : {}) },
      onMessage: (m) => messages.push(m),
      start: sandbox.start,
    });
    await vi.advanceTimersByTimeAsync(300_000);
    const recording = await handle.result;
    return { recording, messages, sandbox };
  }

  it('the hanging check fails with the busy message; the checks after it run and count', async () => {
    const { recording, messages, sandbox } = await runWith(['spins']);
    const busy = /^Stopped after the [\d.]+ s time limit in check 'spins': busy\./;
    expect(recording.checks.map((c) => `${c.id}: ${c.status}`)).toEqual([
      'quick: pass',
      'spins: fail',
      'after: pass',
      'last: pass',
    ]);
    expect(recording.checks[1]!.message).toMatch(busy);
    expect(recording.outcome).toBe('ok');
    // Two sandboxes; the second skips the driver, reports 'spins', runs the rest.
    expect(sandbox.legs).toHaveLength(2);
    expect(sandbox.legs[1]).toMatchObject({
      only: ['spins', 'after', 'last'],
      resume: { check: 'spins', message: expect.stringMatching(busy) },
    });
    expect(sandbox.alive()).toBe(0);
    // One run: attempts numbered on, times after the hang, and folding the messages gives the recording.
    expect(recording.attempts.map((a) => `${a.index} ${a.check ?? 'driver'}`)).toEqual([
      '0 driver',
      '1 quick',
      '2 after',
      '3 last',
    ]);
    const hungFor = hostCheckLimitMs({ scenario: 'stall' }, 'fast');
    expect(recording.attempts[2]!.tRequest).toBeGreaterThanOrEqual(hungFor);
    const folded = messages.slice(1).reduce(applyRunMessage, emptyRecording(messages[0] as never));
    expect(folded).toEqual(recording);
    expect(messages.filter((m) => m.type === 'done')).toHaveLength(1);
  });

  it('two hanging checks take three sandboxes; the last check hanging still reports it', async () => {
    const { recording, sandbox } = await runWith(['spins', 'last']);
    expect(recording.checks.map((c) => `${c.id}: ${c.status}`)).toEqual([
      'quick: pass',
      'spins: fail',
      'after: pass',
      'last: fail',
    ]);
    expect(recording.checks[3]!.message).toMatch(/in check 'last': busy/);
    expect(sandbox.legs.map((l) => l.only)).toEqual([
      undefined,
      ['spins', 'after', 'last'],
      ['last'],
    ]);
    expect(sandbox.alive()).toBe(0);
  });

  it("the driver's error and result outlive its sandbox: the run ends 'error' with them", async () => {
    const error = {
      name: 'TypeError',
      message: 'x is not a function',
      file: 'demo.ts',
      line: 7,
      column: 3,
    };
    const { recording, messages } = await runWith(['spins'], undefined, {
      type: 'driver-end',
      t: 2,
      outcome: 'error',
      error,
      result: 'partial',
    });
    // The later leg skipped the driver and ended 'ok'; the run keeps what the driver did.
    expect(recording.outcome).toBe('error');
    expect(recording.error).toEqual(error);
    expect(recording.result).toBe('partial');
    expect(recording.checks.map((c) => `${c.id}: ${c.status}`)).toEqual([
      'quick: pass',
      'spins: fail',
      'after: pass',
      'last: pass',
    ]);
    const folded = messages.slice(1).reduce(applyRunMessage, emptyRecording(messages[0] as never));
    expect(folded).toEqual(recording);
  });

  it('withDriverEnding never turns an ending other than ok into a pass, nor drops a later error', () => {
    const driverOk: RunMessage = { type: 'driver-end', t: 1, outcome: 'ok' };
    const driverError = {
      type: 'driver-end' as const,
      t: 1,
      outcome: 'error' as const,
      error: { name: 'Error', message: 'driver' },
    };
    const later = { name: 'Error', message: 'checks.ts failed to load' };
    expect(withDriverEnding({ type: 'done', t: 5, outcome: 'ok' }, driverOk)).toEqual({
      type: 'done',
      t: 5,
      outcome: 'ok',
    });
    expect(
      withDriverEnding({ type: 'done', t: 5, outcome: 'error', error: later }, driverError).error,
    ).toBe(later);
    expect(withDriverEnding({ type: 'done', t: 5, outcome: 'timeout' }, driverError).outcome).toBe(
      'timeout',
    );
    const done: RunMessage = { type: 'done', t: 5, outcome: 'ok' };
    expect(withDriverEnding(done, undefined)).toBe(done);
  });

  it('a later leg runs only the checks the run was asked for', async () => {
    const { recording, sandbox } = await runWith(['spins'], ['spins', 'last']);
    expect(sandbox.legs[1]!.only).toEqual(['spins', 'last']);
    expect(recording.checks.map((c) => c.id)).toEqual(['spins', 'last']);
  });

  it('a hang outside the checks (start-up, the driver) still ends the run there', async () => {
    vi.useFakeTimers();
    const starts: unknown[] = [];
    const handle = startSession({
      engine: 'worker',
      request: { lab, code: '', mode: 'check' },
      onMessage: () => {},
      start(request, deliver) {
        starts.push(request);
        setTimeout(() => deliver({ type: 'phase', phase: 'running', t: 0 }));
        return { terminate: () => {} };
      },
    });
    await vi.advanceTimersByTimeAsync(300_000);
    const recording = await handle.result;
    expect(recording.outcome).toBe('timeout');
    expect(recording.error?.message).toMatch(/^Stopped after the [\d.]+ s time limit: busy/);
    expect(starts).toHaveLength(1);
  });
});

describe('legs.ts', () => {
  it('checksAfter: the stopped check and those after it; nothing for an unknown one', () => {
    expect(checksAfter(['a', 'b', 'c'], 'b')).toEqual({ report: ['b', 'c'], run: ['c'] });
    expect(checksAfter(['a', 'b'], 'x')).toBeUndefined();
  });

  it('shiftMessage moves attempts and every kind of time', () => {
    const shift = { attempts: 3, ms: 100 };
    expect(
      shiftMessage({ type: 'read', attempt: 1, read: { t: 5, bytes: '', size: 0 } }, shift),
    ).toEqual({
      type: 'read',
      attempt: 4,
      read: { t: 105, bytes: '', size: 0 },
    });
    expect(
      shiftMessage({ type: 'console', entry: { t: 2, level: 'log', text: 'x' } }, shift),
    ).toMatchObject({
      entry: { t: 102 },
    });
    const done: RunMessage = { type: 'done', t: 1, outcome: 'ok' };
    expect(shiftMessage(done, { attempts: 0, ms: 0 })).toBe(done);
  });
});
