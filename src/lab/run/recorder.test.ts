import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../../tests/unit/gc.ts';
import { applyRunMessage, emptyRecording } from './messages.ts';
import type { RunMessage } from './messages.ts';
import { createRecorder, MOCK_ORIGIN, providerOf } from './recorder.ts';

const encoder = new TextEncoder();

/** A fake mock: answers an SSE body in the given pieces and remembers the requests it got. */
function fakeHandler(pieces: string[]) {
  const requests: Request[] = [];
  const handler = async (request: Request): Promise<Response> => {
    requests.push(request);
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < pieces.length) controller.enqueue(encoder.encode(pieces[i++]!));
        else controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  return { handler, requests };
}

function setup(pieces: string[]) {
  const messages: RunMessage[] = [];
  let time = 1000;
  const fake = fakeHandler(pieces);
  const recorder = createRecorder({
    handler: fake.handler,
    clock: { now: () => (time += 5) },
    t0: 1000,
    emit: (m) => messages.push(m),
  });
  const recording = () => {
    const r = emptyRecording({
      type: 'run-start',
      id: 'r',
      scenario: 'default',
      engine: 'test',
      startedAt: '',
    });
    for (const m of messages) applyRunMessage(r, m);
    return r;
  };
  return { recorder, messages, recording, requests: fake.requests };
}

describe('createRecorder', () => {
  it('sends knobs (presenter mode) as the path segment before /v1, under the scenario; a URL naming its own scenario keeps its path', async () => {
    const { recorder, requests } = setup(['data: [DONE]\n\n']);
    const send = recorder.fetchFor('default', undefined, 'ttft_ms=0,tps=200');
    await (await send(`${MOCK_ORIGIN}/v1/chat/completions?x=1`, { method: 'POST' })).text();
    await (
      await send(`${MOCK_ORIGIN}/scenarios/stall/v1/chat/completions`, { method: 'POST' })
    ).text();
    const [withKnobs, own] = requests.map((r) => new URL(r.url));
    expect(decodeURIComponent(withKnobs!.pathname)).toBe(
      '/scenarios/default/knobs/ttft_ms=0,tps=200/v1/chat/completions',
    );
    expect(withKnobs!.search).toBe('?x=1');
    expect(own!.pathname).toBe('/scenarios/stall/v1/chat/completions');
  });

  it('records every read as the reader receives it, and the events completed by each read', async () => {
    const { recorder, recording, requests } = setup(['data: {"a":1}\n', '\ndata: é', 'x\n\n']);
    const response = await recorder.fetchFor('fragmented')(`${MOCK_ORIGIN}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ stream: true }),
    });
    expect(await response.text()).toBe('data: {"a":1}\n\ndata: éx\n\n');
    expect(new URL(requests[0]!.url).pathname).toBe('/scenarios/fragmented/v1/chat/completions');
    const [attempt] = recording().attempts;
    expect(attempt).toMatchObject({
      index: 0,
      method: 'POST',
      url: '/v1/chat/completions',
      provider: 'openai-chat',
      scenario: 'fragmented',
      request: { stream: true },
      status: 200,
      end: 'done',
    });
    expect(attempt!.reads.map((r) => r.size)).toEqual([14, 9, 3]);
    expect(atob(attempt!.reads[1]!.bytes)).toBe('\ndata: \xc3\xa9');
    expect(attempt!.events).toEqual([
      { t: attempt!.reads[1]!.t, read: 1, type: 'message', data: '{"a":1}' },
      { t: attempt!.reads[2]!.t, read: 2, type: 'message', data: 'éx' },
    ]);
    expect(attempt!.tEnd).toBeGreaterThan(attempt!.reads[2]!.t);
  });

  it('keeps a scenario named in the path and tags attempts with the check', async () => {
    const { recorder, recording, requests } = setup([]);
    await recorder.fetchFor('default', 'my-check')(`${MOCK_ORIGIN}/scenarios/crlf/v1/messages`);
    expect(new URL(requests[0]!.url).pathname).toBe('/scenarios/crlf/v1/messages');
    expect(recording().attempts[0]).toMatchObject({
      scenario: 'crlf',
      provider: 'anthropic',
      check: 'my-check',
    });
  });

  it('records a cancelled body', async () => {
    const { recorder, recording } = setup(['data: 1\n\n', 'data: 2\n\n']);
    const response = await recorder.fetchFor('default')(`${MOCK_ORIGIN}/v1/chat/completions`);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(recording().attempts[0]).toMatchObject({ end: 'cancelled' });
    expect(recording().attempts[0]!.reads).toHaveLength(1);
  });

  it('never sends a request whose signal is already aborted, as a real fetch does', async () => {
    const { recorder, messages, requests } = setup(['data: 1\n\n']);
    const reason = new Error('stopped before it began');
    const signal = AbortSignal.abort(reason);
    const sent = recorder.fetchFor('default')(`${MOCK_ORIGIN}/v1/chat/completions`, { signal });
    await expect(sent).rejects.toBe(reason);
    expect(requests).toHaveLength(0);
    expect(messages).toEqual([]);
  });

  it('an abort reaches the mock after a garbage collection, as long as the attempt lasts', async () => {
    // Node links a Request's signal to the one it was given only while that Request lives
    // (nodejs/node#55428); the mock keeps just `request.signal`, as this handler does.
    let heard: unknown;
    const handler = async (request: Request): Promise<Response> => {
      const { signal } = request;
      signal.addEventListener('abort', () => (heard = signal.reason));
      return new Response(new ReadableStream({ pull: () => new Promise<void>(() => {}) }));
    };
    const recorder = createRecorder({ handler, clock: { now: () => 0 }, t0: 0, emit: () => {} });
    const controller = new AbortController();
    const response = await recorder.fetchFor('default')(`${MOCK_ORIGIN}/v1/chat/completions`, {
      method: 'POST',
      body: '{}',
      signal: controller.signal,
    });
    await collectGarbage();
    const reason = new Error('the relay freed the stream');
    controller.abort(reason);
    expect(heard).toBe(reason);
    await response.body?.cancel();
  });

  it('blocks every other origin with a message that says why', async () => {
    const { recorder, messages } = setup([]);
    await expect(recorder.fetchFor('default')('https://api.openai.com/v1/models')).rejects.toThrow(
      /fetch to https:\/\/api\.openai\.com is blocked: lab code can reach only the mock server/,
    );
    expect(messages).toEqual([]);
  });

  it('names providers by path', () => {
    expect(providerOf('/scenarios/x/v1/responses')).toBe('openai-responses');
    expect(providerOf('/v1/models')).toBe('models');
    expect(providerOf('/other')).toBe('other');
  });
});
