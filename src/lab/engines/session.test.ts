import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabBundle } from '../catalog.ts';
import type { RunMessage } from '../run/messages.ts';
import type { SandboxRunRequest } from '../run/execute.ts';
import { createRunStore } from '../run/store.ts';
import { demoLab } from './fixtures/demo-lab.ts';
import { startSession } from './session.ts';
import { hostCheckLimitMs } from '../run/check-limits.ts';
import { runTimeLimitMs } from '../run/limits.ts';

const lab: LabBundle = demoLab;

describe('startSession', () => {
  it("starts the sandbox before a listener's render of the run's start (React renders in a microtask)", async () => {
    const order: string[] = [];
    const handle = startSession({
      engine: 'worker',
      request: { lab, code: 'x', mode: 'run' },
      onMessage: (m) => queueMicrotask(() => order.push(`render ${m.type}`)),
      start(_request, deliver) {
        order.push('sandbox started');
        setTimeout(() => deliver({ type: 'done', t: 1, outcome: 'ok' }));
        return { terminate: () => {} };
      },
    });
    await handle.result;
    expect(order).toEqual(['sandbox started', 'render run-start', 'render done']);
  });

  it('sends run-start, relays sandbox messages, and resolves with the folded recording', async () => {
    const messages: RunMessage[] = [];
    let terminated = 0;
    const store = createRunStore();
    const handle = startSession({
      engine: 'worker',
      request: { lab, code: 'x', mode: 'run' },
      onMessage: (m) => {
        messages.push(m);
        store.apply(m);
      },
      start(request, deliver) {
        expect(request).toMatchObject({
          labId: 'demo',
          scenario: 'fast',
          fileName: 'demo.ts',
          code: 'x',
        });
        setTimeout(() => {
          deliver({ type: 'console', entry: { t: 1, level: 'log', text: 'hi' } });
          deliver({ type: 'done', t: 2, outcome: 'ok', result: 'r' });
          deliver({ type: 'console', entry: { t: 3, level: 'log', text: 'late' } });
        });
        return { terminate: () => terminated++ };
      },
    });
    expect(messages).toEqual([]); // never synchronous
    const recording = await handle.result;
    expect(messages.map((m) => m.type)).toEqual(['run-start', 'console', 'done']);
    expect(recording).toMatchObject({
      id: handle.id,
      labId: 'demo',
      outcome: 'ok',
      result: 'r',
      engine: 'worker',
    });
    expect(recording.console.map((c) => c.text)).toEqual(['hi']);
    expect(terminated).toBe(1);
    await Promise.resolve();
    expect(store.get()).toMatchObject({
      status: 'done',
      recording: { outcome: 'ok', result: 'r' },
    });
  });

  it('ends the run with a clear error at the first message that does not fit the run format', async () => {
    let terminated = 0;
    const handle = startSession({
      engine: 'worker',
      request: { lab, code: '', mode: 'run' },
      onMessage: () => {},
      start(_request, deliver) {
        setTimeout(() => {
          deliver({ type: 'console', entry: { t: 1, level: 'log', text: 'kept' } });
          deliver({ type: 'read', attempt: 1e6, read: { t: 1, bytes: '', size: 0 } });
          deliver({ type: 'verdict', passed: true } as unknown as RunMessage);
          deliver({ type: 'done', t: 2, outcome: 'ok' });
        });
        return { terminate: () => void terminated++ };
      },
    });
    const recording = await handle.result;
    expect(recording.outcome).toBe('error');
    expect(recording.error?.message).toMatch(/sent a 'read' message .*attempt.*stopped/);
    expect(recording.attempts).toHaveLength(0);
    expect(recording.console.map((c) => c.text)).toEqual(['kept']);
    expect(terminated).toBe(1);
  });

  it('stops a runaway at the time limit and says so', async () => {
    let terminated = false;
    const handle = startSession({
      engine: 'node',
      request: { lab, code: '', mode: 'check', timeLimitMs: 50 },
      onMessage: () => {},
      start(_request, deliver) {
        setTimeout(() => deliver({ type: 'phase', phase: 'checking', t: 0, check: 'c1' }), 10);
        return { terminate: () => (terminated = true) };
      },
    });
    const recording = await handle.result;
    expect(terminated).toBe(true);
    expect(recording.outcome).toBe('timeout');
    expect(recording.error?.message).toMatch(
      /Stopped after the 0\.1 s time limit in check 'c1': busy/,
    );
  });

  it('at the limit, a sandbox that answers the probe was waiting: on a stream, a timer, or nothing', async () => {
    const waitingOn = async (timers: number, stream: boolean): Promise<string | undefined> => {
      const handle = startSession({
        engine: 'worker',
        request: { lab, code: '', mode: 'run', timeLimitMs: 30 },
        onMessage: () => {},
        start(_request, deliver) {
          if (stream)
            deliver({
              type: 'attempt-start',
              attempt: 0,
              t: 0,
              method: 'POST',
              url: '/v1/chat/completions',
              provider: 'openai-chat',
              scenario: 'fast',
            });
          return { terminate: () => {}, probe: () => Promise.resolve({ timers }) };
        },
      });
      return (await handle.result).error?.message;
    };
    expect(await waitingOn(0, false)).toMatch(/waiting for nothing at all.*never settles/);
    expect(await waitingOn(2, false)).toMatch(/waiting, with 2 timers/);
    expect(await waitingOn(0, true)).toMatch(/the mock was still streaming 1 response/);
  });

  it('a sandbox gone idle for good ends the run as the time limit would, at once', async () => {
    const handle = startSession({
      engine: 'node',
      request: { lab, code: '', mode: 'run', timeLimitMs: 60_000 },
      onMessage: () => {},
      start(_request, _deliver, _crash, idle) {
        setTimeout(idle, 5);
        return { terminate: () => {} };
      },
    });
    const recording = await handle.result;
    expect(recording.outcome).toBe('timeout');
    expect(recording.error?.message).toMatch(
      /^Stopped after the 60 s time limit: waiting for nothing at all/,
    );
  });

  it('a stop() in the task that started the run ends it without a sandbox, run-start before done', async () => {
    const types: string[] = [];
    let started = 0;
    const handle = startSession({
      engine: 'worker',
      request: { lab, code: '', mode: 'run' },
      onMessage: (m) => types.push(m.type),
      start: () => {
        started++;
        return { terminate: () => {} };
      },
    });
    handle.stop();
    expect((await handle.result).outcome).toBe('stopped');
    await new Promise((r) => setTimeout(r));
    // A store folds run-start as a new run: after done it would show the stopped run as running.
    expect(types).toEqual(['run-start', 'done']);
    expect(started).toBe(0);
  });

  it('stop() ends the run as stopped; a crash ends it as an error', async () => {
    const hang = {
      start: () => ({ terminate: () => {} }),
      onMessage: () => {},
      engine: 'worker' as const,
    };
    const stopped = startSession({ ...hang, request: { lab, code: '', mode: 'run' } });
    stopped.stop();
    stopped.stop();
    expect((await stopped.result).outcome).toBe('stopped');
    const crashed = startSession({
      ...hang,
      request: { lab, code: '', mode: 'run' },
      start: (_r, _d, crash) => {
        setTimeout(() => crash('worker died'));
        return { terminate: () => {} };
      },
    });
    expect(await crashed.result).toMatchObject({
      outcome: 'error',
      error: { message: 'worker died' },
    });
  });

  describe("with the lab's declared checks", () => {
    afterEach(() => {
      vi.useRealTimers();
    });
    const planned: LabBundle = {
      ...lab,
      checks: [
        { id: 'quick', hidden: false },
        { id: 'slow', hidden: true, scenario: 'slow-first-token', timeoutMs: 6_000 },
      ],
    };
    /**
     * Runs a session on fake timers; `script` delivers the first sandbox's messages; resolves with when
     * the host gave up on that sandbox's check (a fresh one goes on after it: `legs.ts`) and why.
     */
    async function timed(script: (deliver: (m: RunMessage) => void) => void) {
      vi.useFakeTimers();
      const t0 = Date.now();
      const legs: { at: number; resume: SandboxRunRequest['resume'] }[] = [];
      const handle = startSession({
        engine: 'worker',
        request: { lab: planned, code: '', mode: 'check' },
        onMessage: () => {},
        start(request, deliver) {
          legs.push({ at: Date.now() - t0, resume: request.resume });
          if (legs.length === 1) script(deliver);
          else deliver({ type: 'done', t: 0, outcome: 'ok' });
          return { terminate: () => {} };
        },
      });
      await vi.advanceTimersByTimeAsync(120_000);
      await handle.result;
      return { stoppedAt: legs[1]?.at, message: legs[1]?.resume?.message };
    }

    it("arms each check step with that check's own limit, from its scenario and timeout", async () => {
      const slowLimit = hostCheckLimitMs(
        { scenario: 'slow-first-token', timeoutMs: 6_000 },
        'fast',
      );
      expect(slowLimit).toBeGreaterThan(runTimeLimitMs(lab.definition, 'fast'));
      const { stoppedAt, message } = await timed((deliver) => {
        deliver({ type: 'phase', phase: 'running', t: 0 });
        deliver({ type: 'phase', phase: 'checking', t: 0, check: 'quick' });
        deliver({ type: 'phase', phase: 'checking', t: 0, check: 'slow' });
      });
      expect(message).toMatch(/in check 'slow': busy/);
      expect(stoppedAt).toBe(slowLimit);
    });

    it('re-arms for no check the lab does not declare, or out of order', async () => {
      const { stoppedAt, message } = await timed((deliver) => {
        deliver({ type: 'phase', phase: 'checking', t: 0, check: 'quick' });
        deliver({ type: 'phase', phase: 'checking', t: 0, check: 'forged' });
        deliver({ type: 'phase', phase: 'checking', t: 0, check: 'quick' });
      });
      expect(message).toMatch(/in check 'quick': busy/);
      expect(stoppedAt).toBe(hostCheckLimitMs({}, 'fast'));
    });
  });
});
