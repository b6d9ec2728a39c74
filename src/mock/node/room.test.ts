/**
 * The room's mock over real HTTP on loopback: runs kept apart per client address (127.0.0.1 vs
 * 127.0.0.2), the instructor's control endpoint and its token, the log line, and the host's bounds
 * (connection cap, header timeout), each refusal logged.
 */
import { connect } from 'node:net';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockHandler, createRoom, type RequestLog } from '../core/index.ts';
import { serveMock, type MockServer, type Rejection } from './serve.ts';

const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'What is a stream?' }],
});

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** One request from `localAddress` (any 127.x.y.z is loopback on Linux). */
function send(
  path: string,
  options: { from?: string; method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server!.port,
        path,
        method: options.method ?? 'POST',
        localAddress: options.from ?? '127.0.0.1',
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body ?? (options.method === 'GET' ? undefined : BODY));
  });
}

async function start(options: Parameters<typeof createMockHandler>[0] = {}) {
  const logs: RequestLog[] = [];
  const rejections: Rejection[] = [];
  const handler = createMockHandler({ onLog: (e) => logs.push(e), ...options });
  server = await serveMock(handler, {
    onReject: (r) => rejections.push(r),
    maxConnections: 4,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
  });
  return { logs, rejections };
}

describe('the room mock', () => {
  it('keeps runs apart per client address: two learners sending the same prompt both see the 429 first', async () => {
    const { logs } = await start({
      room: createRoom({
        scenario: 'rate-limited',
        knobs: 'retry_after_ms=0,ttft_ms=0,tps=100000',
      }),
    });
    expect((await send('/v1/chat/completions', { from: '127.0.0.1' })).status).toBe(429);
    // Learner B's first try is a 429 too, not A's success.
    expect((await send('/v1/chat/completions', { from: '127.0.0.2' })).status).toBe(429);
    expect((await send('/v1/chat/completions', { from: '127.0.0.1' })).status).toBe(200);
    expect((await send('/v1/chat/completions', { from: '127.0.0.2' })).status).toBe(200);
    expect(logs.map((l) => `${l.client} ${l.status} ${l.attempt}`)).toEqual([
      '127.0.0.1 429 1',
      '127.0.0.2 429 1',
      '127.0.0.1 200 2',
      '127.0.0.2 200 2',
    ]);
    expect(logs[0]).toMatchObject({
      scenario: 'rate-limited',
      knobs: 'retry_after_ms=0,ttft_ms=0,tps=100000',
      reason: expect.stringContaining('Rate limit'),
    });
    // A named run is shared on purpose, whatever the address.
    const run = { headers: { 'x-streamlab-run': 'pair-7' } };
    expect((await send('/v1/chat/completions', { from: '127.0.0.1', ...run })).status).toBe(429);
    expect((await send('/v1/chat/completions', { from: '127.0.0.2', ...run })).status).toBe(200);
    expect(logs.at(-1)).toMatchObject({ runId: 'pair-7', client: '127.0.0.2' });
  });

  it('with ownIds, two learners asking the same question get the same text and ids of their own', async () => {
    await start({ ownIds: true });
    const ask = (from: string) =>
      send('/v1/chat/completions', {
        from,
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Weather in Paris?' }],
          tools: [
            {
              type: 'function',
              function: {
                name: 'get_weather',
                parameters: { type: 'object', properties: { city: { type: 'string' } } },
              },
            },
          ],
        }),
      });
    const replies = [await ask('127.0.0.1'), await ask('127.0.0.2'), await ask('127.0.0.1')];
    const parsed = replies.map(
      (r) =>
        JSON.parse(r.body) as {
          id: string;
          choices: { message: { tool_calls: { id: string; function: { arguments: string } }[] } }[];
        },
    );
    const calls = parsed.map((p) => p.choices[0]!.message.tool_calls[0]!);
    expect(new Set(calls.map((c) => c.function.arguments)).size).toBe(1);
    expect(JSON.parse(calls[0]!.function.arguments)).toMatchObject({ city: 'Paris' });
    expect(new Set(parsed.map((p) => p.id)).size).toBe(3);
    expect(new Set(calls.map((c) => c.id)).size).toBe(3);
  });

  it('the control endpoint switches the room, and only with the token', async () => {
    const { logs } = await start({
      controlToken: 's3cret',
      room: createRoom({ knobs: 'ttft_ms=0,tps=100000' }),
    });
    const control = (body?: object, token?: string) =>
      send('/control/room', {
        method: body ? 'POST' : 'GET',
        body: body && JSON.stringify(body),
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await control({ scenario: 'rate-limited' })).status).toBe(401);
    expect((await control({ scenario: 'rate-limited' }, 's3cre')).status).toBe(401);
    expect((await control({ scenario: 'nope' }, 's3cret')).status).toBe(400);
    expect((await control({ knobs: 'ttft=1' }, 's3cret')).body).toContain("unknown knob 'ttft'");
    expect((await send('/v1/chat/completions')).status).toBe(200);
    const set = await control({ scenario: 'rate-limited' }, 's3cret');
    expect(set.status).toBe(200);
    // The log says why a switch was refused, and what the room is after one.
    const controls = logs.filter((l) => l.path === '/control/room');
    expect(controls.filter((l) => l.status === 400).map((l) => l.reason)).toEqual([
      expect.stringMatching(/^control: unknown scenario 'nope'/),
      expect.stringMatching(/^control: .*unknown knob 'ttft'/),
    ]);
    expect(controls.at(-1)).toMatchObject({ status: 200, scenario: 'rate-limited' });
    // The answer to a switch is what a GET answers: the knobs' values included.
    expect(JSON.parse(set.body)).toEqual({
      scenario: 'rate-limited',
      knobs: 'ttft_ms=0,tps=100000',
      knobValues: { ttft_ms: 0, tps: 100000 },
    });
    expect(JSON.parse((await control(undefined, 's3cret')).body)).toMatchObject({
      scenario: 'rate-limited',
    });
    // Now everyone is rate-limited, except a learner whose URL names a scenario.
    expect((await send('/v1/chat/completions', { from: '127.0.0.3' })).status).toBe(429);
    expect(
      (await send('/scenarios/default/v1/chat/completions', { from: '127.0.0.3' })).status,
    ).toBe(200);
  });

  it('without a token there is no control endpoint', async () => {
    await start();
    expect((await send('/control/room', { method: 'GET' })).status).toBe(404);
  });

  it('logs a stream that fails mid-way as failed, with its reason and TTFT', async () => {
    const { logs } = await start();
    const res = await send('/scenarios/overloaded/knobs/ttft_ms=0,tps=100000/v1/chat/completions', {
      body: JSON.stringify({ ...JSON.parse(BODY), stream: true }),
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(logs[0]).toMatchObject({
      client: '127.0.0.1',
      outcome: 'failed',
      reason: expect.stringContaining('overloaded'),
      ttftMs: expect.any(Number),
    });
  });

  it('refuses connections over the cap and clients too slow to send headers, logging each', async () => {
    const { rejections } = await start();
    const sockets = await Promise.all(
      Array.from({ length: 6 }, () => {
        const s = connect(server!.port, '127.0.0.1');
        s.on('error', () => {});
        return new Promise<typeof s>((resolve) => s.once('connect', () => resolve(s)));
      }),
    );
    // Half a request line, then silence: the header timeout closes it with a 408.
    sockets[0]!.write('POST /v1/chat/completions HTTP/1.1\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      sockets[0]!.on('data', (d) => (text += d));
      sockets[0]!.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(rejections.filter((r) => r.reason.startsWith('connection dropped'))).toHaveLength(2);
    expect(rejections.some((r) => r.reason.includes('timeout'))).toBe(true);
    expect(rejections.every((r) => r.client === '127.0.0.1')).toBe(true);
    for (const s of sockets) s.destroy();
  });
});
