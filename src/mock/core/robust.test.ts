/**
 * A mock a room cannot break: every client mistake is a 4xx that says what is wrong, knobs are
 * validated in every form, batch work is bounded and sliced, the run table is bounded in bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_SLICE_REQUESTS,
  SLICE_REQUESTS,
  WRITE_SLICE_LINES,
  type BatchSlice,
} from './batches.ts';
import { createVirtualClock, realClock, type Clock } from './clock.ts';
import { createMockHandler } from './handle.ts';
import { parseKnobOverrides } from './knobs.ts';
import { createRunTable, ENTRY_OVERHEAD_BYTES } from './runs.ts';

const ORIGIN = 'http://mock.test';
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

function setup(options: Parameters<typeof createMockHandler>[0] = {}) {
  const handle = createMockHandler({ clock: createVirtualClock(), ...options });
  const call = async (method: string, path: string, body?: unknown, headers: HeadersInit = {}) => {
    const res = await handle(
      new Request(ORIGIN + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await res.text();
    return { status: res.status, text, headers: res.headers };
  };
  return { handle, call };
}

describe('client mistakes are 4xx answers that say what is wrong', () => {
  it('a typo in a query-string knob is a 400 naming it, like in the path or a header', async () => {
    const { call } = setup({ clock: realClock });
    const query = await call('POST', '/v1/chat/completions?ttft=0', chat);
    expect(query.status).toBe(400);
    expect(query.text).toContain("unknown query parameter 'ttft'");
    expect(query.text).toContain("did you mean 'ttft_ms'");
    expect((await call('POST', '/knobs/ttft=0/v1/chat/completions', chat)).status).toBe(400);
    const header = await call('POST', '/v1/chat/completions', chat, {
      'x-streamlab-knobs': 'ttft=0',
    });
    expect(header.status).toBe(400);
    // What SDKs add themselves is not a knob and not an error.
    expect(
      (
        await call('POST', '/v1/messages?beta=true&ttft_ms=0&tps=1000000', {
          ...chat,
          max_tokens: 20,
        })
      ).status,
    ).toBe(200);
    expect((await call('GET', '/v1/batches?limit=5&after=x')).status).toBe(200);
  });

  it('a knob typo is answered with the knob it is closest to, in the path, a header or the query', async () => {
    const { call } = setup({ clock: realClock });
    const path = await call('POST', '/knobs/tft_ms=0/v1/chat/completions', chat);
    expect(path.status).toBe(400);
    expect(path.text).toContain("unknown knob 'tft_ms' (did you mean 'ttft_ms'?)");
    const header = await call('POST', '/v1/chat/completions', chat, {
      'x-streamlab-knobs': 'tsp=9',
    });
    expect(header.text).toContain("(did you mean 'tps'?)");
    const query = await call('POST', '/v1/chat/completions?crfl=1', chat);
    expect(query.text).toContain("(did you mean 'crlf'?)");
    // Nothing close: no guess, just the list of knobs.
    const far = await call('POST', '/knobs/speed=9/v1/chat/completions', chat);
    expect(far.text).not.toContain('did you mean');
    expect(far.text).toContain('known: ttft_ms, tps');
  });

  it('malformed percent-encoding in a path, a knob segment or a header is a 400', async () => {
    const { call } = setup();
    for (const [path, headers] of [
      ['/scenarios/%E0%A4%A/v1/chat/completions', {}],
      ['/knobs/ttft_ms=%zz/v1/chat/completions', {}],
      ['/run/%/v1/chat/completions', {}],
      ['/v1/chat/completions', { 'x-streamlab-knobs': 'ttft_ms=%E0' }],
    ] as const) {
      const res = await call('POST', path, chat, headers);
      expect(res.status, path).toBe(400);
      expect(res.text, path).toMatch(/percent-encoding/);
    }
  });

  it('a method a route does not take is a 405 with Allow', async () => {
    const { call } = setup();
    for (const [method, path] of [
      ['PUT', '/v1/chat/completions'],
      ['DELETE', '/v1/messages'],
      ['PATCH', '/v1/models'],
      ['POST', '/scenarios'],
      ['PUT', '/v1/batches'],
      ['PROPFIND', '/v1/files'],
    ]) {
      const res = await call(method!, path!);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBeTruthy();
    }
  });

  it('integer knobs take only plain integers; tps takes a decimal', () => {
    for (const bad of ['1.5', '0x10', '1e3', ' ', '+5', 'Infinity', '10ms'])
      expect(() => parseKnobOverrides([['ttft_ms', bad]]), bad).toThrow(/integer/);
    expect(
      parseKnobOverrides([
        ['ttft_ms', '0'],
        ['tps', '2.5'],
      ]),
    ).toEqual({ ttft_ms: 0, tps: 2.5 });
    expect(() => parseKnobOverrides([['tps', '0x10']])).toThrow(/decimal number/);
  });

  it('a run id longer than 200 characters is a 400', async () => {
    const { call } = setup();
    const res = await call('POST', '/scenarios/rate-limited/v1/chat/completions', chat, {
      'x-streamlab-run': 'r'.repeat(201),
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('at most 200');
  });
});

describe('batch work is bounded', () => {
  const requests = (n: number, content = (i: number) => `Question ${i}?`) =>
    Array.from({ length: n }, (_, i) => ({
      custom_id: `r${i}`,
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: content(i) }],
      },
    }));

  it('refuses too many requests, and requests x reply_tokens over the token budget, before any work', async () => {
    const { call } = setup({ maxBodyBytes: 8 << 20 });
    const many = await call('POST', '/v1/messages/batches', { requests: requests(10_001) });
    expect(many.status).toBe(400);
    expect(many.text).toContain('at most 10000');
    // The 7 KiB batch that froze the room for 18 s.
    const heavy = await call('POST', '/knobs/batch_ms=0,reply_tokens=100000/v1/messages/batches', {
      requests: requests(50),
    });
    expect(heavy.status).toBe(400);
    expect(heavy.text).toContain('reply tokens');
    expect(
      (await call('POST', '/v1/messages/batches', { requests: requests(10_000) })).status,
    ).toBe(200);
  });

  it('checks a 10,000-request batch in slices when it is created, and names the request that is wrong', async () => {
    const slices: BatchSlice[] = [];
    const { call } = setup({
      maxBodyBytes: 8 << 20,
      yieldToLoop: async (slice) => void slices.push(slice),
    });
    // A long batch: nothing is answered yet, so every slice here is creation's.
    const created = await call('POST', '/knobs/batch_ms=60000/v1/messages/batches', {
      requests: requests(10_000),
    });
    expect(created.status).toBe(200);
    expect(slices).toHaveLength(10_000 / CHECK_SLICE_REQUESTS - 1);
    expect(slices.every((s) => s.checked === CHECK_SLICE_REQUESTS)).toBe(true);

    const list: unknown[] = requests(8_000);
    list[7_000] = { custom_id: 'not ok!', params: {} };
    const wrong = await call('POST', '/v1/messages/batches', { requests: list });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain("Invalid value for 'requests[7000].custom_id'");
    list[7_000] = { ...requests(1)[0], custom_id: 'r3' };
    expect((await call('POST', '/v1/messages/batches', { requests: list })).text).toContain(
      "requests[7000].custom_id: duplicate custom_id 'r3'",
    );
  });

  it('while a 10,000-request batch settles, a stream stays on time (p99 lateness < 50 ms on a work-charging clock)', async () => {
    // A clock on which only work moves time: each slice of batch work charges its cost (measured on
    // this machine under load: ~0.2 ms a request, ~2 us a reply token; see `npm run bench -- mock`), and
    // sleepers wake only when the loop gets a turn. Done in one piece, the batch would make the stream
    // seconds late; sliced, an event waits at most one slice.
    const clock = createWorkClock();
    const slices: BatchSlice[] = [];
    const { handle } = setup({
      clock,
      maxBodyBytes: 8 << 20,
      yieldToLoop: async (slice) => {
        slices.push(slice);
        clock.work(slice.requests * 0.2 + slice.tokens * 0.002);
        await clock.turn();
      },
    });
    const created = await handle(
      new Request(ORIGIN + '/knobs/batch_ms=1/v1/messages/batches', {
        method: 'POST',
        body: JSON.stringify({ requests: requests(10_000) }),
      }),
    );
    const { id } = (await created.json()) as { id: string };
    const stream = await handle(
      new Request(
        ORIGIN + '/knobs/ttft_ms=0,tps=100,reply_tokens=400,trace=1/v1/chat/completions',
        {
          method: 'POST',
          body: JSON.stringify({ ...chat, stream: true }),
        },
      ),
    );
    const t0 = clock.now();
    const lateness: number[] = [];
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const m of decoder.decode(value, { stream: true }).matchAll(/: sched ([\d.]+)/g))
          lateness.push(clock.now() - t0 - Number(m[1]));
      }
    })();
    clock.work(1); // the batch has ended: the next retrieval answers its 10,000 requests
    const results = handle(new Request(`${ORIGIN}/v1/messages/batches/${id}/results`)).then((r) =>
      r.text(),
    );
    await results;
    await reader.cancel();
    await reading;
    const lines = (await results).trim().split('\n');
    expect(lines).toHaveLength(10_000);
    expect(slices.filter((s) => s.requests > 0).length).toBeGreaterThanOrEqual(
      10_000 / SLICE_REQUESTS - 1,
    );
    // The megabytes of results are encoded a slice at a time too, as they are downloaded.
    expect(slices.filter((s) => s.written === WRITE_SLICE_LINES)).toHaveLength(
      10_000 / WRITE_SLICE_LINES - 1,
    );
    expect(clock.now()).toBeGreaterThan(1000); // the batch's work did take (charged) time
    expect(lateness.length).toBeGreaterThan(50); // the stream ran while the batch settled
    lateness.sort((a, b) => a - b);
    expect(lateness[Math.floor(lateness.length * 0.99)]).toBeLessThan(50);
  });
});

describe('the run table', () => {
  it('is bounded in bytes as well as in count: 90,000 long run ids keep it under its budget', () => {
    const clock = createVirtualClock();
    const table = createRunTable({ clock, maxBytes: 1 << 20, maxRuns: 1_000_000 });
    for (let i = 0; i < 90_000; i++) table.count(`rate-limited|run:${'x'.repeat(180)}${i}`);
    expect(table.bytes).toBeLessThanOrEqual(1 << 20);
    const keyLength = 'rate-limited|run:'.length + 180 + 5;
    expect(table.size).toBe(Math.floor((1 << 20) / (2 * keyLength + ENTRY_OVERHEAD_BYTES)));
    // The newest runs are the ones kept and still counted.
    expect(table.count(`rate-limited|run:${'x'.repeat(180)}89999`)).toBe(2);
    expect(table.count(`rate-limited|run:${'x'.repeat(180)}0`)).toBe(1);
  });

  it('forgets expired runs and keeps its byte count exact', async () => {
    const clock = createVirtualClock();
    const table = createRunTable({ clock, ttlMs: 100 });
    table.count('a');
    table.count('b');
    expect(table.bytes).toBe(2 * (2 + ENTRY_OVERHEAD_BYTES));
    table.forget('a');
    expect(table.bytes).toBe(2 + ENTRY_OVERHEAD_BYTES);
    await clock.advance(200);
    expect(table.count('b')).toBe(1);
    expect(table.size).toBe(1);
  });
});

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A clock where time passes only by charged work (`work`); sleepers wake when the loop gets a `turn`. */
function createWorkClock(): Clock & { work(ms: number): void; turn(): Promise<void> } {
  let now = 0;
  let seq = 0;
  const sleepers: { at: number; seq: number; wake: () => void }[] = [];
  return {
    now: () => now,
    alarm(due, aborted, signal) {
      return { set: (ms) => void this.sleep(ms, signal).then(due, aborted) };
    },
    sleep(ms, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const s = { at: now + ms, seq: seq++, wake: () => resolve() };
        sleepers.push(s);
        signal?.addEventListener('abort', () => {
          sleepers.splice(sleepers.indexOf(s), 1);
          reject(signal.reason);
        });
      });
    },
    work(ms) {
      now += ms;
    },
    /** A turn of the event loop: wakes every sleeper due by now and lets what it woke run. */
    async turn() {
      sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      while (sleepers.length && sleepers[0]!.at <= now) sleepers.shift()!.wake();
      await macrotask();
    },
  };
}
