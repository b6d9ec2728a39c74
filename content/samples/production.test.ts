/**
 * Lesson 8's samples (streaming in production) against the mock over real HTTP. Like `samples.test.ts`,
 * each test marks the sample it runs with `cover('<file>', module)`; that file's coverage test reads
 * this file too.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMockHandler, type RequestLog } from '../../src/mock/core/index.ts';
import { serveMock, type MockServer } from '../../src/mock/node/serve.ts';
import * as backgroundResume from './08-production/background-resume.ts';
import * as relayHono from './08-production/relay-hono.ts';
import * as relayNodeHttp from './08-production/relay-node-http.ts';
import * as streamMetrics from './08-production/stream-metrics.ts';

let mock: MockServer;
const logs: RequestLog[] = [];
const cover = <T>(file: string, module: T): T => (void file, module);

function useMock(scenario: string, knobs = 'ttft_ms=0,tps=5000'): void {
  process.env.OPENAI_BASE_URL = `${mock.url}/scenarios/${scenario}/knobs/${knobs}/v1`;
}

/** POSTs to a relay and reads our own SSE protocol back. */
async function ask(url: string, body: unknown, signal?: AbortSignal) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  const events: EventSourceMessage[] = [];
  if (!res.headers.get('content-type')?.startsWith('text/event-stream'))
    return { status: res.status, events, text: '' };
  const parser = createParser({ onEvent: (e) => events.push(e) });
  const decoder = new TextDecoder();
  for await (const chunk of res.body!) parser.feed(decoder.decode(chunk, { stream: true }));
  const text = events
    .filter((e) => e.event === 'delta')
    .map((e) => (JSON.parse(e.data) as { text: string }).text)
    .join('');
  return { status: res.status, events, text };
}

/** Listens on a free loopback port; returns the relay's URL and a closer. */
async function listen(server: Server): Promise<[string, () => void]> {
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
  return [url, () => server.close()];
}

async function expectedText(): Promise<string> {
  const res = await fetch(`${mock.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }),
  });
  return ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
    .content;
}

beforeAll(async () => {
  mock = await serveMock(createMockHandler({ onLog: (e) => logs.push(e) }), { port: 0 });
  process.env.OPENAI_API_KEY = 'sk-streamlab-test';
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  logs.length = 0;
});

describe('08 streaming in production', () => {
  it('relay-node-http: numbered deltas then done; 400 on a bad body; the backstop ends a long answer', async () => {
    const { createRelayServer } = cover('08-production/relay-node-http.ts', relayNodeHttp);
    const [url, close] = await listen(createRelayServer());
    const [shortUrl, closeShort] = await listen(createRelayServer({ maxDurationMs: 200 }));
    try {
      useMock('default');
      const ok = await ask(url, { question: 'Hi' });
      expect(ok.text).toBe(await expectedText());
      expect(ok.events.at(-1)!.event).toBe('done');
      expect(ok.events.map((e) => Number(e.id))).toEqual(ok.events.map((_, i) => i + 1));
      expect((await ask(url, { nope: 1 })).status).toBe(400);

      useMock('long', 'ttft_ms=0,tps=50');
      const slow = await ask(shortUrl, { question: 'Hi' });
      expect(JSON.parse(slow.events.at(-1)!.data)).toEqual({
        message: 'The answer took too long.',
      });
      for (let i = 0; i < 50 && !logs.some((l) => l.outcome === 'aborted'); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(logs.map((l) => l.outcome)).toContain('aborted');
    } finally {
      close();
      closeShort();
    }
  });

  it('relay-node-http: a client that leaves stops the model (res "close", not req "close")', async () => {
    const { createRelayServer } = cover('08-production/relay-node-http.ts', relayNodeHttp);
    useMock('long', 'ttft_ms=0,tps=200');
    const [url, close] = await listen(createRelayServer());
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 150);
      await expect(ask(url, { question: 'Hi' }, stop.signal)).rejects.toThrow();
      for (let i = 0; i < 50 && !logs.some((l) => l.outcome === 'aborted'); i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(logs.map((l) => l.outcome)).toContain('aborted');
    } finally {
      close();
    }
  });

  it('relay-hono: in-process through app.fetch, and on Node through @hono/node-server', async () => {
    const { app } = cover('08-production/relay-hono.ts', relayHono);
    useMock('default');
    const res = await app.fetch(
      new Request('http://relay.test/api/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'Hi' }),
      }),
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await res.text()).toContain('event: done');
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
    try {
      const ok = await ask(url, { question: 'Hi' });
      expect(ok.text).toBe(await expectedText());
      expect(ok.events.at(-1)!.event).toBe('done');
      useMock('disconnect');
      const cut = await ask(url, { question: 'Hi' });
      expect(cut.events.at(-1)!.event).toBe('error');
      expect((await ask(url, {})).status).toBe(400);
    } finally {
      server.close();
    }
  });

  it('background-resume: a dropped background stream resumes on the server with nothing lost', async () => {
    const { run } = cover('08-production/background-resume.ts', backgroundResume);
    useMock('disconnect', 'ttft_ms=0,tps=2000');
    const result = await run('Hi');
    expect(result.resumes).toBe(1);
    useMock('default', 'ttft_ms=0,tps=100000');
    const whole = await fetch(`${process.env.OPENAI_BASE_URL}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', input: 'Hi' }),
    });
    expect(result.text).toBe(
      ((await whole.json()) as { output_text?: string; output: { content: { text: string }[] }[] })
        .output[0]!.content[0]!.text,
    );
  });

  it('stream-metrics: time to first token, per-token time, gaps and usage, OpenTelemetry names', async () => {
    const { run } = cover('08-production/stream-metrics.ts', streamMetrics);
    useMock('slow-first-token', 'ttft_ms=300,tps=400');
    const m = await run();
    expect(m.timeToFirstToken).toBeGreaterThan(0);
    expect(m['gen_ai.client.operation.duration']).toBeGreaterThan(m.timeToFirstToken);
    expect(m['gen_ai.usage.output_tokens']).toBeGreaterThan(10);
    expect(m['gen_ai.response.finish_reasons']).toEqual(['stop']);
    // The longest silence is the wait for the first token, not a gap between tokens.
    expect(m.maxChunkGap).toBeGreaterThan(m.timePerOutputToken);
    useMock('disconnect');
    await expect(run()).rejects.toThrow();
  });
});
