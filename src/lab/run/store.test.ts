import { describe, expect, it } from 'vitest';
import { applyRunMessage, emptyRecording } from './messages.ts';
import type { RunMessage } from './messages.ts';
import { createRunStore } from './store.ts';

const messages: RunMessage[] = [
  {
    type: 'run-start',
    id: 'r1',
    labId: 'lab',
    scenario: 'fast',
    engine: 'worker',
    startedAt: 'now',
  },
  { type: 'phase', phase: 'running', t: 1 },
  {
    type: 'attempt-start',
    attempt: 0,
    t: 2,
    method: 'POST',
    url: '/v1/chat/completions',
    provider: 'openai-chat',
    scenario: 'fast',
    check: 'c',
  },
  {
    type: 'headers',
    attempt: 0,
    t: 3,
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
  },
  { type: 'read', attempt: 0, read: { t: 4, bytes: 'ZGF0YTogMQoK', size: 9 } },
  { type: 'event', attempt: 0, event: { t: 4, read: 0, type: 'message', data: '1' } },
  { type: 'attempt-end', attempt: 0, t: 5, end: 'done' },
  { type: 'read', attempt: 7, read: { t: 6, bytes: '', size: 0 } },
  { type: 'console', entry: { t: 6, level: 'log', text: 'hi' } },
  {
    type: 'check',
    result: { id: 'c', name: 'C', hidden: false, scenario: 'fast', status: 'pass', durationMs: 3 },
  },
  { type: 'done', t: 9, outcome: 'ok', result: 'text' },
];

describe('applyRunMessage', () => {
  it('folds a run into the recording format, ignoring messages about unknown attempts', () => {
    let recording = emptyRecording(messages[0] as Extract<RunMessage, { type: 'run-start' }>);
    for (const m of messages.slice(1)) recording = applyRunMessage(recording, m);
    expect(recording).toEqual({
      version: 1,
      id: 'r1',
      labId: 'lab',
      scenario: 'fast',
      engine: 'worker',
      startedAt: 'now',
      attempts: [
        {
          index: 0,
          method: 'POST',
          url: '/v1/chat/completions',
          provider: 'openai-chat',
          scenario: 'fast',
          check: 'c',
          tRequest: 2,
          tHeaders: 3,
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
          reads: [{ t: 4, bytes: 'ZGF0YTogMQoK', size: 9 }],
          events: [{ t: 4, read: 0, type: 'message', data: '1' }],
          tEnd: 5,
          end: 'done',
        },
      ],
      console: [{ t: 6, level: 'log', text: 'hi' }],
      checks: [
        { id: 'c', name: 'C', hidden: false, scenario: 'fast', status: 'pass', durationMs: 3 },
      ],
      tEnd: 9,
      outcome: 'ok',
      result: 'text',
    });
  });
});

describe('createRunStore', () => {
  it('builds the run live, notifying once per burst, with a new snapshot per change', async () => {
    const store = createRunStore();
    let notified = 0;
    const unsubscribe = store.subscribe(() => notified++);
    expect(store.get()).toEqual({
      recording: undefined,
      status: 'idle',
      phase: undefined,
      stale: false,
    });
    for (const m of messages.slice(0, 5)) store.apply(m);
    expect(store.get().status).toBe('running');
    expect(store.get().phase).toBe('running');
    await Promise.resolve();
    expect(notified).toBe(1);
    const first = store.get();
    expect(first.recording?.attempts[0]?.reads).toHaveLength(1);
    for (const m of messages.slice(5)) store.apply(m);
    await Promise.resolve();
    expect(notified).toBe(2);
    const last = store.get();
    expect(last).not.toBe(first);
    expect(first.recording?.attempts[0]?.events).toHaveLength(0); // old snapshots do not change
    expect(last).toMatchObject({ status: 'done', phase: undefined, recording: { outcome: 'ok' } });
    unsubscribe();
    store.clear();
    expect(notified).toBe(2);
    expect(store.get().recording).toBeUndefined();
  });

  it('ignores messages before a run-start, and load() shows a finished recording', () => {
    const store = createRunStore();
    store.apply({ type: 'console', entry: { t: 0, level: 'log', text: 'stray' } });
    expect(store.get().recording).toBeUndefined();
    const recording = emptyRecording(messages[0] as Extract<RunMessage, { type: 'run-start' }>);
    store.load(recording);
    expect(store.get()).toMatchObject({ status: 'done', recording: { id: 'r1' } });
  });
});

describe('createRunStore: holding the previous run (holdMs)', () => {
  const start = (id: string): RunMessage => ({ ...(messages[0] as RunMessage), id }) as RunMessage;
  /** A store with a fake timer, after one finished run `r1`. */
  async function afterOneRun(holdMs = 250) {
    const timers: { callback: () => void; ms: number; cleared: boolean }[] = [];
    const store = createRunStore({
      holdMs,
      setTimer: (callback, ms) => timers.push({ callback, ms, cleared: false }) - 1,
      clearTimer: (i) => {
        if (typeof i === 'number' && timers[i]) timers[i].cleared = true;
      },
    });
    for (const m of messages) store.apply(m);
    await Promise.resolve();
    return { store, timers };
  }

  it('shows the previous run until the new one logs, then swaps it in one change', async () => {
    const { store, timers } = await afterOneRun();
    let notified = 0;
    store.subscribe(() => notified++);
    store.apply(start('r2'));
    store.apply({ type: 'phase', phase: 'running', t: 1 });
    await Promise.resolve();
    expect(store.get()).toMatchObject({ status: 'running', stale: true, recording: { id: 'r1' } });
    expect(store.get().recording?.console).toHaveLength(1);
    expect(timers).toHaveLength(1);
    expect(timers[0]?.ms).toBe(250);
    store.apply({ type: 'console', entry: { t: 2, level: 'log', text: 'new' } });
    await Promise.resolve();
    expect(store.get()).toMatchObject({ status: 'running', stale: false, recording: { id: 'r2' } });
    expect(store.get().recording?.console.map((e) => e.text)).toEqual(['new']);
    expect(timers[0]?.cleared).toBe(true);
    expect(notified).toBe(2);
  });

  it('swaps at the first request, check or the end, even with nothing logged', async () => {
    for (const first of [
      messages[2],
      messages[9],
      { type: 'done', t: 1, outcome: 'ok' },
    ] as RunMessage[]) {
      const { store } = await afterOneRun();
      store.apply(start('r2'));
      store.apply(first);
      await Promise.resolve();
      expect(store.get()).toMatchObject({ stale: false, recording: { id: 'r2', console: [] } });
    }
  });

  it('stops holding when holdMs runs out, telling its listeners', async () => {
    const { store, timers } = await afterOneRun();
    store.apply(start('r2'));
    await Promise.resolve();
    let notified = 0;
    store.subscribe(() => notified++);
    timers[0]?.callback();
    expect(notified).toBe(1);
    expect(store.get()).toMatchObject({ status: 'running', stale: false, recording: { id: 'r2' } });
    // Later messages build on the new run's snapshot.
    store.apply({ type: 'console', entry: { t: 2, level: 'log', text: 'late' } });
    await Promise.resolve();
    expect(store.get().recording).toMatchObject({ id: 'r2', console: [{ text: 'late' }] });
  });

  it('holds nothing with holdMs 0, before a first run, or after clear()', async () => {
    const { store: none } = await afterOneRun(0);
    none.apply(start('r2'));
    expect(none.get()).toMatchObject({ recording: undefined, stale: false });
    const fresh = createRunStore({ holdMs: 250, setTimer: () => 0, clearTimer: () => {} });
    fresh.apply(start('r1'));
    expect(fresh.get()).toMatchObject({ recording: undefined, stale: false, status: 'running' });
    const { store, timers } = await afterOneRun();
    store.apply(start('r2'));
    store.clear();
    expect(timers[0]?.cleared).toBe(true);
    expect(store.get()).toMatchObject({ recording: undefined, stale: false, status: 'idle' });
  });
});

describe('run store size', () => {
  it('a flush copies only the attempts that changed: the others are shared with the last snapshot', async () => {
    const store = createRunStore();
    store.apply({
      type: 'run-start',
      id: 'r',
      labId: 'l',
      scenario: 'default',
      engine: 'node',
      startedAt: '',
    });
    const start = (attempt: number) =>
      store.apply({
        type: 'attempt-start',
        attempt,
        t: attempt,
        method: 'POST',
        url: '/v1/chat/completions',
        provider: 'openai-chat',
        scenario: 'default',
      });
    for (let i = 0; i < 100; i++) start(i);
    await Promise.resolve();
    const before = store.get().recording!;
    store.apply({ type: 'headers', attempt: 7, t: 50, status: 200, headers: {} });
    start(100);
    await Promise.resolve();
    const after = store.get().recording!;
    expect(after).not.toBe(before);
    expect(after.attempts).toHaveLength(101);
    expect(after.attempts[7]).not.toBe(before.attempts[7]);
    expect(after.attempts[7]!.status).toBe(200);
    expect(before.attempts[7]!.status).toBeUndefined();
    const shared = after.attempts.filter((a, i) => a === before.attempts[i]).length;
    expect(shared).toBe(99);
  });
});
