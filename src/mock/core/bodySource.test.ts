import { describe, expect, it } from 'vitest';
import { frameBytes } from './bodyPlan.ts';
import { takeBodySource, type BodySource } from './bodySource.ts';
import { createVirtualClock, type VirtualClock } from './clock.ts';
import { createMockHandler, type RequestLog } from './handle.ts';

const body = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Why stream answers?' }],
});
const post = (path: string, signal?: AbortSignal): Request =>
  new Request(`http://mock.test${path}`, { method: 'POST', body, signal });

function setup(): {
  clock: VirtualClock;
  logs: RequestLog[];
  handle: ReturnType<typeof createMockHandler>;
} {
  const clock = createVirtualClock();
  const logs: RequestLog[] = [];
  return {
    clock,
    logs,
    handle: createMockHandler({
      clock,
      epochMs: () => 1_750_000_000_000,
      onLog: (l) => logs.push(l),
    }),
  };
}

/** Every chunk of `next` until the end, driving the clock; the error if it fails. */
async function collect(
  clock: VirtualClock,
  next: () => Promise<Uint8Array | undefined>,
): Promise<{ chunks: string[]; error?: unknown }> {
  const chunks: string[] = [];
  let error: unknown;
  const reading = (async () => {
    try {
      for (let c = await next(); c !== undefined; c = await next())
        chunks.push(new TextDecoder().decode(c));
    } catch (e) {
      error = e;
    }
  })();
  await Promise.all([reading, clock.runAll()]);
  return { chunks, error };
}

const viaStream = (res: Response) => {
  const reader = res.body!.getReader();
  return () => reader.read().then((r) => (r.done ? undefined : r.value));
};
const viaSource = (res: Response) => {
  const source = takeBodySource(res.body)!;
  return () => source.read();
};

/** Read as a host that pushes the plan would: each frame once due, then the plan's ending. */
const viaPlan = (res: Response) => {
  const plan = takeBodySource(res.body)!.plan!;
  let i = 0;
  let ended = false;
  return async (): Promise<Uint8Array | undefined> => {
    if (i < plan.frames.count) {
      await plan.wait(i);
      plan.sent(i + 1);
      return frameBytes(plan.frames, i++);
    }
    if (!ended) {
      ended = true;
      await plan.end();
    }
    return undefined;
  };
};

/** For each way of reading: a fresh handler's response to `path`, read to its end: chunks, times, log. */
async function readEachWay(
  path: string,
  ways: ((res: Response) => () => Promise<Uint8Array | undefined>)[],
) {
  const results = [];
  for (const read of ways) {
    const { clock, logs, handle } = setup();
    const next = read(await handle(post(path)));
    const times: number[] = [];
    const { chunks, error } = await collect(clock, () =>
      next().then((c) => (times.push(clock.now()), c)),
    );
    results.push({ chunks, times, error: String(error), logs });
  }
  return results;
}

describe('the body source behind a streaming response', () => {
  // The plain case (no heartbeats, whole reads) also offers its plan: the same frames, times and log.
  for (const path of [
    '/knobs/reply_tokens=8,trace=1/v1/chat/completions',
    '/scenarios/disconnect/knobs/reply_tokens=8,crlf=1/v1/chat/completions',
    '/scenarios/stall/knobs/reply_tokens=8,stall_ms=50/v1/chat/completions',
  ]) {
    it(`gives the same reads, times and log through its plan (${path})`, async () => {
      const results = await readEachWay(path, [viaStream, viaSource, viaPlan]);
      expect(results[1]).toEqual(results[0]);
      expect(results[2]).toEqual(results[0]);
      // And what they agree on is right: each frame read when due, every event and byte logged.
      const { handle } = setup();
      const { frames } = takeBodySource((await handle(post(path))).body)!.plan!;
      const { chunks, times, logs } = results[0]!;
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.join('')).toBe(new TextDecoder().decode(frames.bytes));
      expect(chunks.map((c) => new TextEncoder().encode(c).length)).toEqual(
        [...frames.ends].map((end, k) => end - (k === 0 ? 0 : frames.ends[k - 1]!)),
      );
      expect(times.slice(0, frames.count)).toEqual([...frames.at]);
      expect(logs[0]!.events).toBe(frames.events.reduce((n, e) => n + e, 0));
      expect(logs[0]!.bytes).toBe(frames.bytes.length);
    });
  }

  it('offers no plan when heartbeats or cut reads need the clock between events', async () => {
    const { handle } = setup();
    for (const knobs of ['heartbeat=1', 'max_read_bytes=64']) {
      const res = await handle(post(`/knobs/${knobs}/v1/chat/completions`));
      expect(takeBodySource(res.body)!.plan).toBeUndefined();
    }
  });

  // Short replies (each wake of the virtual clock costs a macrotask); fragmented: cut reads with gaps.
  for (const path of [
    '/knobs/reply_tokens=8,trace=1,heartbeat=1/v1/chat/completions',
    '/scenarios/fragmented/knobs/reply_tokens=4,max_read_bytes=96/v1/chat/completions',
  ]) {
    it(`gives the same reads, times and log as the stream (${path})`, async () => {
      const results = await readEachWay(path, [viaStream, viaSource]);
      expect(results[0]!.chunks.length).toBeGreaterThan(10);
      expect(results[1]).toEqual(results[0]);
    });
  }

  it('is taken once, locks the stream, and is absent from other bodies', async () => {
    const { handle } = setup();
    const res = await handle(post('/v1/chat/completions'));
    expect(takeBodySource(res.body)).toBeDefined();
    expect(res.body!.locked).toBe(true);
    expect(takeBodySource(res.body)).toBeUndefined();

    const read = await handle(post('/v1/chat/completions'));
    read.body!.getReader();
    expect(takeBodySource(read.body)).toBeUndefined();
    expect(takeBodySource(new Response('{}').body)).toBeUndefined();
    expect(takeBodySource(null)).toBeUndefined();
  });

  it('cancel() ends a pending read quietly, frees the timer, and logs the stream aborted', async () => {
    const { clock, logs, handle } = setup();
    const res = await handle(post('/scenarios/slow-first-token/v1/chat/completions'));
    const source: BodySource = takeBodySource(res.body)!;
    await source.read(); // the role chunk; the next waits on the first-token timer
    const pending = source.read();
    await clock.advance(1);
    expect(clock.pending).toBe(1);
    source.cancel(new Error('client went away'));
    await expect(pending).resolves.toBeUndefined();
    expect(clock.pending).toBe(0);
    await expect(source.read()).resolves.toBeUndefined();
    expect(logs.map((l) => l.outcome)).toEqual(['aborted']);
  });

  it('rejects as the stream errors when the scenario drops the connection', async () => {
    const { clock, logs, handle } = setup();
    const res = await handle(
      post('/scenarios/disconnect/knobs/reply_tokens=8/v1/chat/completions'),
    );
    const { chunks, error } = await collect(clock, viaSource(res));
    expect(chunks.length).toBeGreaterThan(0);
    expect(String(error)).toMatch(/connection dropped mid-stream/);
    expect(logs.map((l) => l.outcome)).toEqual(['failed']);
  });
});
