import { describe, expect, it } from 'vitest';
import type { LabBundle } from '../catalog.ts';
import type { RunMessage } from '../run/messages.ts';
import { createRunStore } from '../run/store.ts';
import { startSession } from './session.ts';

const lab: LabBundle = {
  id: 'demo',
  definition: {
    id: 'demo',
    title: 'Demo',
    lesson: 'demo',
    goal: 'g',
    requirements: ['a', 'b'],
    hints: [],
    scenarios: ['fast'],
    timeLimitMs: 5000,
    exports: ['f'],
    buggy: {},
  },
  files: { starter: '', solution: '', driver: '', checks: '', buggy: {} },
};

describe('startSession', () => {
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
    expect(recording.error?.message).toMatch(/Stopped after 0\.1 s in check 'c1'/);
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
});
