import { describe, expect, it } from 'vitest';
import type { RunMessage } from '../../run/messages.ts';
import type { WebContainerEngine } from './engine.ts';
import { createFrameReader } from './frames.ts';
import { createNodeMode } from './mode.ts';
import { nodeModeProblem } from './support.ts';

const isolated = {
  crossOriginIsolated: true,
  SharedArrayBuffer: ArrayBuffer,
  WebAssembly: {},
  navigator: { onLine: true },
};
const fakeEngine = (ready: () => Promise<void>) =>
  ({ kind: 'webcontainer', ready }) as unknown as WebContainerEngine;

describe('where Node mode can run', () => {
  it('names the first thing missing', () => {
    expect(nodeModeProblem(isolated)).toBeUndefined();
    expect(nodeModeProblem({ ...isolated, crossOriginIsolated: false })?.reason).toBe(
      'not-isolated',
    );
    expect(nodeModeProblem({ ...isolated, SharedArrayBuffer: undefined })?.reason).toBe(
      'unsupported',
    );
    expect(nodeModeProblem({ ...isolated, WebAssembly: undefined })?.reason).toBe('unsupported');
    expect(nodeModeProblem({ ...isolated, navigator: { onLine: false } })?.reason).toBe('offline');
    expect(nodeModeProblem({ ...isolated, crossOriginIsolated: false })?.message).toMatch(
      /Cross-Origin-Opener-Policy: same-origin/,
    );
  });
});

describe('turning Node mode on', () => {
  it('ends on, or unavailable with the reason: never stuck booting', async () => {
    const on = createNodeMode({
      env: isolated,
      createEngine: async () => fakeEngine(async () => {}),
    });
    expect((await on.turnOn()).status).toBe('on');

    const never = createNodeMode({
      env: isolated,
      timeoutMs: 20,
      createEngine: async () => fakeEngine(() => new Promise(() => {})),
    });
    const seen: string[] = [];
    never.subscribe(() => seen.push(never.get().status));
    expect(await never.turnOn()).toMatchObject({ status: 'unavailable', reason: 'timeout' });
    expect(seen).toEqual(['booting', 'unavailable']);

    const broken = createNodeMode({
      env: isolated,
      createEngine: async () => fakeEngine(() => Promise.reject(new Error('iframe blocked'))),
    });
    expect(await broken.turnOn()).toMatchObject({
      status: 'unavailable',
      reason: 'failed',
      message: expect.stringContaining('iframe blocked'),
    });

    let created = 0;
    const offline = createNodeMode({
      env: { ...isolated, navigator: { onLine: false } },
      createEngine: async () => {
        created++;
        return fakeEngine(async () => {});
      },
    });
    expect(await offline.turnOn()).toMatchObject({ status: 'unavailable', reason: 'offline' });
    expect(created).toBe(0);
  });
});

describe('reading framed run messages from terminal output', () => {
  it('takes only its own frames, across chunk and \\r\\n boundaries', () => {
    const got: RunMessage[] = [];
    const other: string[] = [];
    const reader = createFrameReader(
      'abc',
      (m) => got.push(m),
      (l) => other.push(l),
    );
    const frame = (m: unknown, token = 'abc') => `\x1e${token}${JSON.stringify(m)}\r\n`;
    const text =
      'npm warn something\r\n' +
      frame({ type: 'phase', phase: 'running', t: 1 }) +
      frame({ type: 'done', t: 2, outcome: 'ok' }, 'forged') +
      frame({ type: 'exec', t: 3 }) +
      frame({ type: 'done', t: 4, outcome: 'ok' });
    for (let i = 0; i < text.length; i += 7) reader.push(text.slice(i, i + 7));
    reader.end();
    expect(got).toEqual([
      { type: 'phase', phase: 'running', t: 1 },
      { type: 'done', t: 4, outcome: 'ok' },
    ]);
    expect(other).toHaveLength(3);
    expect(other[0]).toBe('npm warn something');
  });
});
