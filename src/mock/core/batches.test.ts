import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './clock.ts';
import { createMockHandler } from './handle.ts';

const ORIGIN = 'http://mock.test';

function setup() {
  const clock = createVirtualClock();
  const handle = createMockHandler({ clock, epochMs: () => 1_750_000_000_000 });
  const call = async (method: string, path: string, body?: unknown, headers: HeadersInit = {}) => {
    const init: RequestInit = { method, headers };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await handle(new Request(ORIGIN + path, init));
    const text = await res.text();
    let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  };
  const upload = (text: string, purpose = 'batch', path = '/v1/files') => {
    const form = new FormData();
    form.set('purpose', purpose);
    form.set('file', new File([text], 'requests.jsonl'));
    return call('POST', path, form);
  };
  return { clock, call, upload };
}

const line = (id: string, content: string, extra: object = {}) =>
  JSON.stringify({
    custom_id: id,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra },
  });

describe('OpenAI files and batches', () => {
  it('a batch moves through its states on the clock; results match plain calls, shuffled', async () => {
    const { clock, call, upload } = setup();
    const ids = Array.from({ length: 8 }, (_, i) => `t-${i}`);
    const file = await upload(ids.map((id) => line(id, `Question ${id}?`)).join('\n') + '\n');
    expect(file.status).toBe(200);
    expect(file.json).toMatchObject({
      object: 'file',
      purpose: 'batch',
      filename: 'requests.jsonl',
    });
    expect((await call('GET', `/v1/files/${file.json.id}/content`)).text).toContain('"t-7"');

    const created = await call('POST', '/knobs/batch_ms=1000/v1/batches', {
      input_file_id: file.json.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { job: 'nightly' },
    });
    expect(created.json).toMatchObject({
      object: 'batch',
      status: 'validating',
      request_counts: { total: 8, completed: 0, failed: 0 },
      metadata: { job: 'nightly' },
      output_file_id: null,
    });
    const at = async (ms: number) => {
      await clock.advance(ms);
      return (await call('GET', `/v1/batches/${created.json.id}`)).json;
    };
    const midway = await at(500);
    expect(midway.status).toBe('in_progress');
    expect(midway.request_counts.completed).toBeGreaterThan(0);
    expect(midway.request_counts.completed).toBeLessThan(8);
    expect((await at(420)).status).toBe('finalizing');
    const done = await at(100);
    expect(done).toMatchObject({
      status: 'completed',
      request_counts: { completed: 8, failed: 0 },
    });
    expect(done.completed_at).toBe(1_750_000_001);
    expect(done.error_file_id).toBeNull();

    const output = (await call('GET', `/v1/files/${done.output_file_id}/content`)).text;
    const results = output
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(results.map((r) => r.custom_id)).not.toEqual(ids);
    expect(results.map((r) => r.custom_id).sort()).toEqual(ids);
    for (const r of results) {
      expect(r.response.status_code).toBe(200);
      const pending = call(
        'POST',
        '/v1/chat/completions',
        JSON.parse(line(r.custom_id, `Question ${r.custom_id}?`)).body,
      );
      await clock.runAll();
      const plain = await pending;
      expect(r.response.body.choices[0].message.content).toBe(
        plain.json.choices[0].message.content,
      );
    }
    // The listing shows it, and the output file is a normal file.
    expect((await call('GET', '/v1/batches')).json.data[0].id).toBe(created.json.id);
    expect((await call('GET', `/v1/files/${done.output_file_id}`)).json.purpose).toBe(
      'batch_output',
    );
  });

  it('requests that fail their schema land in the error file; the rest succeed', async () => {
    const { clock, call, upload } = setup();
    const file = await upload(
      [
        line('good', 'Hi'),
        JSON.stringify({
          custom_id: 'bad',
          method: 'POST',
          url: '/v1/chat/completions',
          body: { model: 'm', messages: [] },
        }),
      ].join('\n'),
    );
    const batch = await call('POST', '/knobs/batch_ms=0/v1/batches', {
      input_file_id: file.json.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect(batch.json).toMatchObject({
      status: 'completed',
      request_counts: { completed: 1, failed: 1 },
    });
    const errors = (await call('GET', `/v1/files/${batch.json.error_file_id}/content`)).json;
    expect(errors).toMatchObject({
      custom_id: 'bad',
      response: { status_code: 400, body: { error: { param: 'messages' } } },
    });
    void clock;
  });

  it('an invalid input file fails validation with line numbers', async () => {
    const { clock, call, upload } = setup();
    const file = await upload(
      [
        line('a', 'x'),
        '{nope',
        line('a', 'dup'),
        line('c', 'y').replace('/v1/chat/completions', '/v1/embeddings'),
        line('d', 'z', { stream: true }),
      ].join('\n'),
    );
    const batch = await call('POST', '/v1/batches', {
      input_file_id: file.json.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await clock.advance(300);
    const failed = (await call('GET', `/v1/batches/${batch.json.id}`)).json;
    expect(failed.status).toBe('failed');
    expect(
      failed.errors.data.map((e: { line: number; param: string | null }) => [e.line, e.param]),
    ).toEqual([
      [2, null],
      [3, 'custom_id'],
      [4, 'url'],
      [5, 'body.stream'],
    ]);
  });

  it('cancelling keeps the finished requests and stops the rest', async () => {
    const { clock, call, upload } = setup();
    const file = await upload(
      Array.from({ length: 10 }, (_, i) => line(`r${i}`, `q${i}`)).join('\n'),
    );
    const batch = await call('POST', '/knobs/batch_ms=1000/v1/batches', {
      input_file_id: file.json.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await clock.advance(500);
    const cancelling = (await call('POST', `/v1/batches/${batch.json.id}/cancel`)).json;
    expect(cancelling.status).toBe('cancelling');
    await clock.advance(100);
    const cancelled = (await call('GET', `/v1/batches/${batch.json.id}`)).json;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.request_counts.completed).toBe(cancelling.request_counts.completed);
    expect(cancelled.request_counts.completed).toBeGreaterThan(0);
    expect(cancelled.request_counts.completed).toBeLessThan(10);
    const lines = (await call('GET', `/v1/files/${cancelled.output_file_id}/content`)).text
      .trim()
      .split('\n');
    expect(lines).toHaveLength(cancelled.request_counts.completed);
    expect((await call('POST', `/v1/batches/${batch.json.id}/cancel`)).status).toBe(409);
  });

  it('rejects bad uploads and batch requests, naming the field', async () => {
    const { call, upload } = setup();
    expect(
      (await call('POST', '/v1/files', '{}', { 'content-type': 'application/json' })).json.error
        .message,
    ).toMatch(/multipart\/form-data/);
    expect((await upload('x', 'nonsense')).json.error.param).toBe('purpose');
    const form = new FormData();
    form.set('purpose', 'batch');
    expect((await call('POST', '/v1/files', form)).json.error.param).toBe('file');
    const notBatch = await upload('x', 'user_data');
    const cases: [object, string][] = [
      [{ endpoint: '/v1/chat/completions', completion_window: '24h' }, 'input_file_id'],
      [
        {
          input_file_id: 'file-missing',
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
        },
        'input_file_id',
      ],
      [
        {
          input_file_id: notBatch.json.id,
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
        },
        'input_file_id',
      ],
      [
        { input_file_id: notBatch.json.id, endpoint: '/v1/embeddings', completion_window: '24h' },
        'endpoint',
      ],
      [
        {
          input_file_id: notBatch.json.id,
          endpoint: '/v1/chat/completions',
          completion_window: '1h',
        },
        'completion_window',
      ],
    ];
    for (const [body, param] of cases) {
      const res = await call('POST', '/v1/batches', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error.param).toBe(param);
    }
    expect((await call('POST', '/v1/batches', '{oops')).json.error.message).toMatch(
      /not valid JSON/,
    );
    expect((await call('GET', '/v1/batches/batch_nope')).status).toBe(404);
    expect((await call('GET', '/v1/files/file-nope')).status).toBe(404);
    expect((await call('PUT', '/v1/batches')).status).toBe(405);
    const deleted = await call('DELETE', `/v1/files/${notBatch.json.id}`);
    expect(deleted.json).toEqual({ id: notBatch.json.id, object: 'file', deleted: true });
  });
});

describe('Anthropic message batches', () => {
  const params = (content: string) => ({
    model: 'claude-haiku-4-5',
    max_tokens: 50,
    messages: [{ role: 'user', content }],
  });

  it('runs, ends, and serves results with succeeded and errored entries', async () => {
    const { clock, call } = setup();
    const created = await call('POST', '/scenarios/fast/knobs/batch_ms=200/v1/messages/batches', {
      requests: [
        { custom_id: 'a', params: params('First?') },
        {
          custom_id: 'b',
          params: {
            model: 'claude-haiku-4-5',
            messages: [{ role: 'user', content: 'no max_tokens' }],
          },
        },
        { custom_id: 'c', params: params('Third?') },
      ],
    });
    expect(created.json).toMatchObject({
      type: 'message_batch',
      processing_status: 'in_progress',
      results_url: null,
      request_counts: { processing: 3, succeeded: 0 },
    });
    expect((await call('GET', `/v1/messages/batches/${created.json.id}/results`)).status).toBe(400);
    await clock.advance(200);
    const ended = (
      await call('GET', `/scenarios/fast/knobs/batch_ms=200/v1/messages/batches/${created.json.id}`)
    ).json;
    expect(ended).toMatchObject({
      processing_status: 'ended',
      request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 0 },
    });
    expect(ended.results_url).toBe(
      `${ORIGIN}/scenarios/fast/knobs/batch_ms=200/v1/messages/batches/${created.json.id}/results`,
    );
    const results = (await call('GET', new URL(ended.results_url).pathname)).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const byId = Object.fromEntries(results.map((r) => [r.custom_id, r.result]));
    expect(byId.a).toMatchObject({
      type: 'succeeded',
      message: { type: 'message', role: 'assistant' },
    });
    expect(byId.b).toMatchObject({
      type: 'errored',
      error: { type: 'error', error: { type: 'invalid_request_error' } },
    });
    expect(byId.b.error.error.message).toMatch(/max_tokens/);
    // Deleting needs an ended batch; then it is gone.
    expect((await call('DELETE', `/v1/messages/batches/${created.json.id}`)).json.type).toBe(
      'message_batch_deleted',
    );
    expect((await call('GET', `/v1/messages/batches/${created.json.id}`)).json.error.type).toBe(
      'not_found_error',
    );
  });

  it('cancel ends the batch with the unfinished requests canceled; bad bodies are 400s', async () => {
    const { clock, call } = setup();
    const created = await call('POST', '/knobs/batch_ms=1000/v1/messages/batches', {
      requests: Array.from({ length: 10 }, (_, i) => ({
        custom_id: `r${i}`,
        params: params(`q${i}`),
      })),
    });
    expect((await call('DELETE', `/v1/messages/batches/${created.json.id}`)).status).toBe(400);
    await clock.advance(500);
    const canceling = (await call('POST', `/v1/messages/batches/${created.json.id}/cancel`)).json;
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).not.toBeNull();
    await clock.advance(100);
    const ended = (await call('GET', `/v1/messages/batches/${created.json.id}`)).json;
    expect(ended.processing_status).toBe('ended');
    expect(ended.request_counts.canceled).toBe(10 - ended.request_counts.succeeded);
    expect(ended.request_counts.canceled).toBeGreaterThan(0);
    // The end time is when it ended, not when it was last looked at.
    await clock.advance(5_000);
    const later = (await call('GET', `/v1/messages/batches/${created.json.id}`)).json;
    expect(later.ended_at).toBe(ended.ended_at);
    expect(Date.parse(ended.ended_at) - Date.parse(ended.created_at)).toBe(600);

    const bad = async (body: unknown) =>
      (await call('POST', '/v1/messages/batches', body)).json.error.message as string;
    expect(await bad({ requests: [] })).toMatch(/requests/);
    expect(await bad({ requests: [{ custom_id: 'has space', params: {} }] })).toMatch(
      /requests\[0\]\.custom_id/,
    );
    expect(
      await bad({
        requests: [
          { custom_id: 'x', params: {} },
          { custom_id: 'x', params: {} },
        ],
      }),
    ).toMatch(/duplicate/);
    expect(
      await bad({ requests: [{ custom_id: 'x', params: { ...params('s'), stream: true } }] }),
    ).toMatch(/cannot stream/);
  });
});

describe('structured output', () => {
  const schema = {
    type: 'object',
    properties: {
      title: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      score: { type: 'integer', minimum: 1, maximum: 5 },
    },
    required: ['title', 'tags', 'score'],
    additionalProperties: false,
  };
  const isDoc = (text: string) => {
    const v = JSON.parse(text);
    expect(Object.keys(v).sort()).toEqual(['score', 'tags', 'title']);
    expect(v.score).toBeGreaterThanOrEqual(1);
    return v;
  };

  it('the three APIs answer with a JSON document of the schema, the same one', async () => {
    const { clock, call } = setup();
    const question = [{ role: 'user', content: 'Rate the Aeropress' }];
    const pending = [
      call('POST', '/v1/chat/completions', {
        model: 'gpt-4o-mini',
        messages: question,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'rating', schema, strict: true },
        },
      }),
      call('POST', '/v1/responses', {
        model: 'gpt-4.1',
        input: question,
        text: { format: { type: 'json_schema', name: 'rating', schema, strict: true } },
      }),
      call('POST', '/v1/messages', {
        model: 'claude-haiku-4-5',
        max_tokens: 500,
        messages: question,
        output_config: { format: { type: 'json_schema', schema } },
      }),
    ];
    await clock.runAll();
    const [chat, responses, messages] = await Promise.all(pending);
    const a = isDoc(chat!.json.choices[0].message.content);
    const b = isDoc(responses!.json.output[0].content[0].text);
    const c = isDoc(messages!.json.content[0].text);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(responses!.json.text.format).toMatchObject({ type: 'json_schema', name: 'rating' });
  });

  it('json_object needs the word JSON in the messages; bad formats name the field', async () => {
    const { clock, call } = setup();
    const ask = (content: string, response_format: object) =>
      call('POST', '/v1/chat/completions', {
        model: 'm',
        messages: [{ role: 'user', content }],
        response_format,
      });
    const noWord = await ask('hello', { type: 'json_object' });
    expect(noWord.status).toBe(400);
    expect(noWord.json.error).toMatchObject({ param: 'messages' });
    const pending = ask('hello, in JSON please', { type: 'json_object' });
    await clock.runAll();
    expect(JSON.parse((await pending).json.choices[0].message.content)).toEqual({
      answer: 'hello, in JSON please',
    });
    expect(
      (await ask('json', { type: 'json_schema', json_schema: { name: 'has space' } })).json.error
        .param,
    ).toBe('response_format.json_schema.name');
    expect((await ask('json', { type: 'yaml' })).json.error.param).toBe('response_format.type');
  });
});
