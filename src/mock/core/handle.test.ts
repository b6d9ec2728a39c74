import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './clock.ts';
import { createMockFetch } from './fetch.ts';
import { createMockHandler, type RequestLog } from './handle.ts';
import { listScenarios, SCENARIO_NAMES } from './scenarios/index.ts';

const ORIGIN = 'http://mock.test';
const chatBody = (extra: object = {}) => ({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'Why stream answers?' }],
  ...extra,
});
const post = (path: string, body: unknown, init: RequestInit = {}): Request =>
  new Request(ORIGIN + path, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });

/** Reads a whole body while driving the virtual clock (the answer itself may wait on the clock too). */
async function drain(
  clock: ReturnType<typeof createVirtualClock>,
  pending: Response | Promise<Response>,
): Promise<{ reads: Uint8Array[]; text: string; error?: unknown }> {
  const [res] = await Promise.all([pending, clock.runAll()]);
  const reader = res.body!.getReader();
  const reads: Uint8Array[] = [];
  let error: unknown;
  const reading = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        reads.push(value);
      }
    } catch (e) {
      error = e;
    }
  })();
  await Promise.all([reading, clock.runAll()]);
  await reading;
  const all = new Uint8Array(reads.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of reads) {
    all.set(r, at);
    at += r.length;
  }
  return { reads, text: new TextDecoder().decode(all), error };
}

function chatText(sse: string): string {
  return sse
    .split(/\r?\n/)
    .filter((l) => l.startsWith('data: {'))
    .map(
      (l) =>
        (JSON.parse(l.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta
          .content ?? '',
    )
    .join('');
}

describe('pacing through the clock', () => {
  it('a 5 s scenario runs in milliseconds on the virtual clock, on schedule', async () => {
    const clock = createVirtualClock();
    const handle = createMockHandler({ clock, epochMs: () => 0 });
    const realStart = performance.now();
    const res = await handle(
      post('/scenarios/slow-first-token/knobs/trace=1/v1/chat/completions', chatBody()),
    );
    const { text } = await drain(clock, res);
    expect(clock.now()).toBeGreaterThan(5000);
    expect(performance.now() - realStart).toBeLessThan(4000);
    const sched = [...text.matchAll(/: sched ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(sched[0]).toBe(0); // the role chunk goes at once
    expect(sched[1]).toBe(4000); // first token at ttft
    expect(sched[2]! - sched[1]!).toBeCloseTo(20, 5); // 1 token at 50 tokens/s
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('heartbeats are sent while waiting for the first token', async () => {
    const clock = createVirtualClock();
    const res = await createMockHandler({ clock, epochMs: () => 0 })(
      post('/scenarios/heartbeats/v1/messages', { ...chatBody(), max_tokens: 50 }),
    );
    const { text } = await drain(clock, res);
    const beforeFirstDelta = text.slice(0, text.indexOf('content_block_delta'));
    expect(beforeFirstDelta.match(/: heartbeat/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('determinism and transport scenarios', () => {
  it('same request, same bytes; stream and JSON say the same', async () => {
    const clock = createVirtualClock();
    const handle = createMockHandler({ clock, epochMs: () => 0 });
    const a = await drain(
      clock,
      handle(post('/scenarios/fragmented/v1/chat/completions?read_gap_ms=0', chatBody())),
    );
    const b = await drain(
      clock,
      handle(post('/scenarios/fragmented/v1/chat/completions?read_gap_ms=0', chatBody())),
    );
    expect(a.reads.map((r) => r.length)).toEqual(b.reads.map((r) => r.length));
    expect(a.text).toBe(b.text);
    const json = await drain(
      clock,
      handle(post('/v1/chat/completions', chatBody({ stream: false }))),
    );
    expect(
      (JSON.parse(json.text) as { choices: { message: { content: string } }[] }).choices[0]!.message
        .content,
    ).toBe(chatText(a.text));
  });

  it('fragmented reads split events, CRLF pairs and UTF-8 characters; the text stays the same', async () => {
    const clock = createVirtualClock();
    const handle = createMockHandler({ clock, epochMs: () => 0 });
    const plain = await drain(clock, handle(post('/v1/chat/completions', chatBody())));
    const frag = await drain(
      clock,
      handle(post('/scenarios/fragmented/v1/chat/completions?read_gap_ms=0', chatBody())),
    );
    expect(chatText(frag.text)).toBe(chatText(plain.text));
    const ends = frag.reads.map((r) => r[r.length - 1]);
    expect(ends).toContain(0x0d); // a read ending between \r and \n
    const uni = await drain(
      clock,
      handle(post('/scenarios/unicode/v1/chat/completions', chatBody())),
    );
    // A read ending inside a multi-byte sequence: its last byte is a lead or continuation byte.
    const splitChar = uni.reads.some(
      (r, i) => i < uni.reads.length - 1 && (uni.reads[i + 1]![0]! & 0xc0) === 0x80,
    );
    expect(splitChar).toBe(true);
    const oneByte = await drain(
      clock,
      handle(
        post('/scenarios/one-byte-reads/v1/responses', { model: 'm', stream: true, input: 'hi' }),
      ),
    );
    expect(oneByte.reads.every((r) => r.length === 1)).toBe(true);
  });

  it('the same question gets the same answer from all three APIs', async () => {
    const clock = createVirtualClock();
    const handle = createMockHandler({ clock, epochMs: () => 0 });
    const q = 'Why stream answers?';
    const chat = JSON.parse(
      (await drain(clock, handle(post('/v1/chat/completions', chatBody({ stream: false }))))).text,
    );
    const resp = JSON.parse(
      (await drain(clock, handle(post('/v1/responses', { model: 'm', input: q })))).text,
    );
    const msg = JSON.parse(
      (
        await drain(
          clock,
          handle(
            post('/v1/messages', {
              model: 'c',
              max_tokens: 999,
              messages: [{ role: 'user', content: q }],
            }),
          ),
        )
      ).text,
    );
    expect(resp.output[0].content[0].text).toBe(chat.choices[0].message.content);
    expect(msg.content[0].text).toBe(chat.choices[0].message.content);
  });

  it('long gives 2,000+ tokens', async () => {
    const clock = createVirtualClock();
    const res = createMockHandler({ clock, epochMs: () => 0 })(
      post('/scenarios/long/v1/chat/completions', chatBody({ stream: false })),
    );
    const { text } = await drain(clock, res);
    const usage = text.match(/"completion_tokens":(\d+)/);
    expect(Number(usage![1])).toBeGreaterThanOrEqual(2000);
  });
});

describe('faults', () => {
  it('disconnect: the body errors after partial output, with no terminator', async () => {
    const clock = createVirtualClock();
    const logs: RequestLog[] = [];
    const res = await createMockHandler({ clock, onLog: (l) => logs.push(l) })(
      post('/scenarios/disconnect/v1/chat/completions', chatBody()),
    );
    const { text, error } = await drain(clock, res);
    expect(String(error)).toMatch(/connection dropped/);
    expect(text).not.toContain('[DONE]');
    expect(chatText(text).length).toBeGreaterThan(10);
    expect(logs[0]!.outcome).toBe('failed');
  });

  it('stall: silent for stall_ms (clock time), then dropped', async () => {
    const clock = createVirtualClock();
    const res = await createMockHandler({ clock, epochMs: () => 0 })(
      post('/scenarios/stall/v1/messages', { ...chatBody(), max_tokens: 100 }),
    );
    const { error, text } = await drain(clock, res);
    expect(String(error)).toMatch(/stall/);
    expect(text).not.toContain('message_stop');
    expect(clock.now()).toBeGreaterThanOrEqual(30_000);
  });

  it('malformed: exactly one event is not valid JSON', async () => {
    const clock = createVirtualClock();
    const { text } = await drain(
      clock,
      await createMockHandler({ clock, epochMs: () => 0 })(
        post('/scenarios/malformed/v1/chat/completions', chatBody()),
      ),
    );
    const bad = text
      .split('\n')
      .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
      .filter((l) => {
        try {
          JSON.parse(l.slice(6));
          return false;
        } catch {
          return true;
        }
      });
    expect(bad).toHaveLength(1);
  });

  it('fail-then-succeed: per run id, per body without one, and forgotten after the TTL', async () => {
    const clock = createVirtualClock();
    const handle = createMockHandler({ clock, runTtlMs: 60_000 });
    const statusOf = async (
      init: RequestInit = {},
      path = '/scenarios/rate-limited/v1/chat/completions',
    ) => {
      const res = await handle(post(path, chatBody(), init));
      await drain(clock, res);
      return res.status;
    };
    expect([await statusOf(), await statusOf(), await statusOf()]).toEqual([429, 200, 429]);
    const run = { headers: { 'x-streamlab-run': 'r1' } };
    expect([await statusOf(run), await statusOf(run), await statusOf(run)]).toEqual([
      429, 200, 200,
    ]);
    const viaPath = '/scenarios/server-error/run/abc/v1/chat/completions';
    expect([await statusOf({}, viaPath), await statusOf({}, viaPath)]).toEqual([500, 200]);
    expect(await statusOf()).toBe(200); // attempt 2 of the body run left over from above
    expect(await statusOf()).toBe(429);
    await clock.advance(61_000);
    expect(await statusOf()).toBe(429); // attempt 2 forgotten: a new run
  });

  it('the attempts map is bounded', async () => {
    const clock = createVirtualClock();
    const handle = createMockHandler({ clock, maxRuns: 3 });
    const status = async (run: string) =>
      (
        await handle(
          post('/scenarios/server-error/v1/chat/completions', chatBody({ stream: false }), {
            headers: { 'x-streamlab-run': run },
          }),
        )
      ).status;
    expect(await status('a')).toBe(500);
    for (const r of ['b', 'c', 'd', 'e']) await status(r);
    expect(await status('a')).toBe(500); // 'a' was evicted, so this is its first attempt again
  });
});

describe('requests and routing', () => {
  const handle = createMockHandler({ clock: createVirtualClock() });
  it('rejects bad requests with provider-shaped errors', async () => {
    const malformed = await handle(post('/v1/chat/completions', '{nope'));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(
      /JSON/,
    );
    const wrongType = await handle(post('/v1/responses', { model: 'm', input: 42 }));
    expect(((await wrongType.json()) as { error: { param: string } }).error.param).toBe('input');
    const anth = await handle(
      post('/v1/messages', {
        model: 'm',
        max_tokens: 10,
        messages: [{ role: 'user', content: 5 }],
      }),
    );
    expect(await anth.json()).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(/messages\[0\]\.content/),
      },
    });
    expect((await handle(post('/v1/nothing', {}))).status).toBe(404);
    expect((await handle(new Request(ORIGIN + '/v1/messages'))).status).toBe(405);
    expect((await handle(post('/scenarios/nope/v1/chat/completions', chatBody()))).status).toBe(
      404,
    );
    const big = await handle(
      post(
        '/v1/chat/completions',
        JSON.stringify({
          model: 'm',
          messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024) }],
        }),
      ),
    );
    expect(big.status).toBe(413);
    const badKnob = await handle(post('/knobs/tps=-1/v1/chat/completions', chatBody()));
    expect(badKnob.status).toBe(400);
    expect(((await badKnob.json()) as { error: { param: string } }).error.param).toBe('tps');
  });

  it('answers CORS preflights by echoing the requested headers', async () => {
    const res = await handle(
      new Request(ORIGIN + '/v1/messages', {
        method: 'OPTIONS',
        headers: {
          'access-control-request-headers': 'x-api-key, anthropic-version, x-stainless-os',
        },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBe(
      'x-api-key, anthropic-version, x-stainless-os',
    );
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('lists the scenarios with their knobs', async () => {
    const res = await handle(new Request(ORIGIN + '/scenarios'));
    const doc = (await res.json()) as {
      data: { name: string; knobs: Record<string, number> }[];
      knobs: object;
    };
    expect(doc.data.map((s) => s.name)).toEqual([...SCENARIO_NAMES]);
    expect(doc.data.find((s) => s.name === 'fast')!.knobs.ttft_ms).toBe(0);
    expect(listScenarios()).toHaveLength(SCENARIO_NAMES.length);
  });

  it('anthropic-shaped model list with an anthropic-version header', async () => {
    const res = await handle(
      new Request(ORIGIN + '/v1/models', { headers: { 'anthropic-version': '2023-06-01' } }),
    );
    const doc = (await res.json()) as { data: { type: string }[]; has_more: boolean };
    expect(doc.data[0]!.type).toBe('model');
    expect(doc.has_more).toBe(false);
  });

  it('an aborted request frees its timers at once', async () => {
    const clock = createVirtualClock();
    const logs: RequestLog[] = [];
    const h = createMockHandler({ clock, onLog: (l) => logs.push(l) });
    const controller = new AbortController();
    const res = await h(
      post('/scenarios/slow-first-token/v1/chat/completions', chatBody(), {
        signal: controller.signal,
      }),
    );
    const reader = res.body!.getReader();
    await reader.read(); // the role chunk
    const pending = reader.read();
    await new Promise((r) => setTimeout(r, 0));
    expect(clock.pending).toBe(1);
    controller.abort();
    await expect(pending).rejects.toBeDefined();
    expect(clock.pending).toBe(0);
    expect(logs[0]!.outcome).toBe('aborted');
  });
});

describe('createMockFetch', () => {
  it('routes the mock origin to the handler and refuses others', async () => {
    const clock = createVirtualClock();
    const f = createMockFetch(createMockHandler({ clock, epochMs: () => 0 }), {
      baseUrl: ORIGIN + '/v1',
    });
    const res = await f(ORIGIN + '/v1/models');
    expect(res.status).toBe(200);
    await expect(f('https://api.openai.com/v1/models')).rejects.toThrow(
      new TypeError('network access is disabled in labs: https://api.openai.com/v1/models'),
    );
  });
});
