/**
 * Responses background mode through the openai SDK over real HTTP: a dropped stream resumed on the
 * server (`responses.retrieve(id, { stream: true, starting_after })`), the helper that replays from the
 * start and filters on the client (`responses.stream({ response_id, starting_after })`), polling, and
 * cancel.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler } from '../core/index.ts';
import { serveMock, type MockServer } from './serve.ts';

let server: MockServer;
const client = (scenario: string, knobs: string): OpenAI =>
  new OpenAI({
    baseURL: `${server.url}/scenarios/${scenario}/knobs/${knobs}/v1`,
    apiKey: 'x',
    maxRetries: 0,
  });
const QUESTION = 'Explain how a stream can be resumed after a dropped connection.';

beforeAll(async () => {
  server = await serveMock(createMockHandler(), { port: 0 });
});
afterAll(async () => {
  await server.close();
});

async function fullText(): Promise<string> {
  const r = await client('default', 'ttft_ms=0,tps=100000').responses.create({
    model: 'gpt-5',
    input: QUESTION,
  });
  return r.output_text;
}

describe('Responses background mode', () => {
  it('resumes a dropped stream on the server from starting_after, with nothing lost or repeated', async () => {
    const api = client('disconnect', 'ttft_ms=0,tps=2000');
    const stream = await api.responses.create({
      model: 'gpt-5',
      input: QUESTION,
      background: true,
      stream: true,
    });
    let id = '';
    let last = -1;
    let text = '';
    await expect(
      (async () => {
        for await (const event of stream) {
          if (event.type === 'response.created') id = event.response.id;
          if (event.type === 'response.output_text.delta') text += event.delta;
          last = event.sequence_number;
        }
      })(),
    ).rejects.toThrow();
    expect(id).toMatch(/^resp_/);
    expect(text.length).toBeGreaterThan(0);
    const seen: number[] = [];
    const resumed = await api.responses.retrieve(id, { stream: true, starting_after: last });
    let status = '';
    for await (const event of resumed) {
      seen.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') status = event.response.status!;
    }
    expect(seen[0]).toBe(last + 1);
    expect(seen).toEqual(seen.map((_, i) => last + 1 + i));
    expect(status).toBe('completed');
    expect(text).toBe(await fullText());
  });

  it('responses.stream({ response_id, starting_after }) replays from the start and filters on the client', async () => {
    const api = client('default', 'ttft_ms=0,tps=2000');
    const queued = await api.responses.create({
      model: 'gpt-5',
      input: QUESTION,
      background: true,
    });
    expect(queued.status).toBe('queued');
    expect(queued.background).toBe(true);
    const seen: number[] = [];
    const helper = api.responses.stream({ response_id: queued.id, starting_after: 5 });
    helper.on('event', (e) => seen.push(e.sequence_number));
    const final = await helper.finalResponse();
    expect(seen[0]).toBe(6);
    expect(final.status).toBe('completed');
  });

  it('polls to completed, and a cancel stops the generation', async () => {
    const api = client('default', 'ttft_ms=0,tps=100000');
    const done = await api.responses.create({ model: 'gpt-5', input: QUESTION, background: true });
    let polled = await api.responses.retrieve(done.id);
    for (let i = 0; polled.status !== 'completed' && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 20));
      polled = await api.responses.retrieve(done.id);
    }
    expect(polled.status).toBe('completed');
    expect(polled.output_text).toBe(await fullText());
    await expect(api.responses.cancel(done.id)).rejects.toThrow(/already finished/);

    const slow = client('default', 'ttft_ms=0,tps=5');
    const running = await slow.responses.create({
      model: 'gpt-5',
      input: QUESTION,
      background: true,
    });
    const cancelled = await slow.responses.cancel(running.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await slow.responses.retrieve(running.id)).status).toBe('cancelled');
  });

  it('refuses background without store, and unknown ids', async () => {
    const api = client('default', 'ttft_ms=0');
    await expect(
      api.responses.create({ model: 'gpt-5', input: QUESTION, background: true, store: false }),
    ).rejects.toThrow(/store/);
    await expect(api.responses.retrieve('resp_nope')).rejects.toThrow(/No response found/);
  });
});
