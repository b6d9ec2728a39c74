/**
 * Conformance: the Node host on a random loopback port, driven by the official clients over real HTTP.
 * Each test says which documented SDK behaviour it proves. Fast knobs (`/knobs/ttft_ms=0,tps=100000`)
 * keep the suite in seconds.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { streamText } from 'ai';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import OpenAI from 'openai';
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler, type RequestLog } from '../core/index.ts';
import { serveMock, type MockServer } from './serve.ts';

let server: MockServer;
const logs: RequestLog[] = [];
const FAST = 'knobs/ttft_ms=0,tps=100000';
/** OpenAI-style base URL (ends in /v1). */
const oai = (scenario = 'default', knobs = FAST): string =>
  `${server.url}/scenarios/${scenario}/${knobs}/v1`;
/** Anthropic-style base URL (the SDK adds /v1). */
const ant = (scenario = 'default', knobs = FAST): string =>
  `${server.url}/scenarios/${scenario}/${knobs}`;

const question = [{ role: 'user' as const, content: 'How do I read a streamed response?' }];
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 7 },
      },
      required: ['city', 'unit', 'days'],
      additionalProperties: false,
    },
  },
};
const timeTool = {
  type: 'function' as const,
  function: {
    name: 'get_time',
    parameters: {
      type: 'object',
      properties: { timezone: { type: 'string' } },
      required: ['timezone'],
    },
  },
};

function expectWeatherArgs(json: string): void {
  const args = JSON.parse(json) as { city: unknown; unit: unknown; days: unknown };
  expect(typeof args.city).toBe('string');
  expect(['celsius', 'fahrenheit']).toContain(args.unit);
  expect(Number.isInteger(args.days)).toBe(true);
  expect(args.days).toBeGreaterThanOrEqual(1);
  expect(args.days).toBeLessThanOrEqual(7);
}

const openai = (baseURL: string, maxRetries = 0): OpenAI =>
  new OpenAI({ baseURL, apiKey: 'sk-test', maxRetries });
const anthropic = (baseURL: string, maxRetries = 0): Anthropic =>
  new Anthropic({ baseURL, apiKey: 'sk-ant-test', maxRetries });

/** Raw fetch + eventsource-parser over the real bytes; returns events and read sizes. */
async function rawEvents(
  url: string,
  body: unknown,
): Promise<{ events: EventSourceMessage[]; reads: number[]; comments: string[]; raw: Uint8Array }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({
    onEvent: (e) => events.push(e),
    onComment: (c) => comments.push(c),
  });
  const decoder = new TextDecoder();
  const reads: number[] = [];
  const all: number[] = [];
  for await (const chunk of res.body!) {
    reads.push(chunk.length);
    for (const b of chunk) all.push(b);
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  parser.feed(decoder.decode());
  return { events, reads, comments, raw: Uint8Array.from(all) };
}

function chatText(events: EventSourceMessage[]): string {
  let text = '';
  for (const e of events) {
    if (e.data === '[DONE]') break;
    const chunk = JSON.parse(e.data) as { choices: { delta: { content?: string | null } }[] };
    text += chunk.choices[0]?.delta.content ?? '';
  }
  return text;
}

beforeAll(async () => {
  server = await serveMock(createMockHandler({ onLog: (e) => logs.push(e) }), { port: 0 });
});
afterAll(async () => {
  await server.close();
});

describe('openai Chat Completions', () => {
  it('create({stream:true}): role first, text deltas, finish_reason stop, usage chunk with empty choices, same text as JSON', async () => {
    const client = openai(oai());
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const finish = chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean);
    expect(finish).toEqual(['stop']);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.completion_tokens).toBeGreaterThan(10);
    expect(last.usage?.total_tokens).toBe(
      last.usage!.prompt_tokens + last.usage!.completion_tokens,
    );

    const json = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: question });
    expect(json.choices[0]!.message.content).toBe(text);
    expect(text).toContain('How do I read a streamed response');
  });

  it('stream() + finalChatCompletion(): content events fire and the final message is complete', async () => {
    const stream = openai(oai()).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: question,
    });
    let deltas = '';
    stream.on('content', (delta) => {
      deltas += delta;
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('stop');
    expect(final.choices[0]!.message.content).toBe(deltas);
  });

  it('parallel tool calls: first fragment has id/type/name, args by index satisfy the schema', async () => {
    const stream = openai(oai()).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
      tools: [weatherTool, timeTool],
    });
    const done: string[] = [];
    stream.on('tool_calls.function.arguments.done', (e) => done.push(e.name));
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(calls.map((c) => c.type === 'function' && c.function.name)).toEqual([
      'get_weather',
      'get_time',
    ]);
    expect(done).toEqual(['get_weather', 'get_time']);
    const first = calls[0]!;
    if (first.type !== 'function') throw new Error('expected a function call');
    expect(first.id).toMatch(/^call_/);
    expectWeatherArgs(first.function.arguments);
  });

  it('parallel_tool_calls:false gives one call; a tool result gets a text answer', async () => {
    const client = openai(oai());
    const one = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: question,
      tools: [weatherTool, timeTool],
      parallel_tool_calls: false,
    });
    expect(one.choices[0]!.message.tool_calls).toHaveLength(1);
    const call = one.choices[0]!.message.tool_calls![0]!;
    const followUp = await client.chat.completions
      .stream({
        model: 'gpt-4o-mini',
        tools: [weatherTool],
        messages: [
          ...question,
          one.choices[0]!.message,
          { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' },
        ],
      })
      .finalChatCompletion();
    expect(followUp.choices[0]!.finish_reason).toBe('stop');
    expect(followUp.choices[0]!.message.content).toContain('{"temp":21}');
  });

  it('max_completion_tokens cuts the answer with finish_reason length', async () => {
    const final = await openai(oai())
      .chat.completions.stream({
        model: 'gpt-4o-mini',
        messages: question,
        max_completion_tokens: 5,
      })
      .finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('length');
    expect(final.usage?.completion_tokens ?? 5).toBe(5);
  });

  it('refusal scenario: refusal deltas end up in message.refusal', async () => {
    const final = await openai(oai('refusal'))
      .chat.completions.stream({ model: 'gpt-4o-mini', messages: question })
      .finalChatCompletion();
    expect(final.choices[0]!.message.refusal).toMatch(/can't help/);
    expect(final.choices[0]!.message.content).toBeNull();
  });

  it('rate-limited: the SDK retries the 429 (retry-after-ms) and succeeds', async () => {
    const final = await openai(
      oai('rate-limited', 'knobs/ttft_ms=0,tps=100000,retry_after_ms=10'),
      2,
    ).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'rate limit me' }],
    });
    expect(final.choices[0]!.message.content).toContain('rate limit me');
    const attempts = logs.filter((l) => l.scenario === 'rate-limited').map((l) => l.status);
    expect(attempts).toEqual([429, 200]);
  });

  it('rate-limited without SDK retries: RateLimitError with headers, then a manual retry succeeds', async () => {
    const client = openai(oai('rate-limited', 'knobs/ttft_ms=0,tps=100000,retry_after_ms=1500'));
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'manual retry' }],
      stream: true as const,
    };
    const error = await client.chat.completions.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const e = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.headers.get('retry-after')).toBe('2');
    expect(e.headers.get('retry-after-ms')).toBe('1500');
    expect(e.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const stream = await client.chat.completions.create(body);
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toContain('manual retry');
  });

  it('overloaded: the mid-stream error payload throws APIError after partial text', async () => {
    const stream = await openai(oai('overloaded')).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: question,
      stream: true,
    });
    let text = '';
    const error = await (async () => {
      for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/overloaded/);
    expect(text.length).toBeGreaterThan(0);
  });

  it('malformed: a non-JSON event makes the SDK throw a SyntaxError', async () => {
    const stream = await openai(oai('malformed')).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: question,
      stream: true,
    });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('disconnect: the body errors mid-stream and finalChatCompletion rejects', async () => {
    const stream = openai(oai('disconnect')).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: question,
    });
    let text = '';
    stream.on('content', (d) => {
      text += d;
    });
    await expect(stream.finalChatCompletion()).rejects.toThrow();
    expect(text.length).toBeGreaterThan(0);
  });

  it('request validation: 400 BadRequestError naming the field, 404 NotFoundError, 405', async () => {
    const client = openai(oai());
    const bad = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] } as never)
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages[0].role');
    const missing = await client.chat.completions
      .create({ model: 'gpt-4o-mini' } as never)
      .catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/messages/);
    const notFound = await client.embeddings
      .create({ model: 'x', input: 'y' })
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    const wrongMethod = await fetch(`${server.url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toMatch(/POST/);
  });

  it('models.list() returns the model list', async () => {
    const page = await openai(oai()).models.list();
    expect(page.data.map((m) => m.id)).toContain('gpt-4o-mini');
  });
});

describe('openai Responses', () => {
  it('responses.stream() + finalResponse(): text deltas and output_text equal the JSON answer', async () => {
    const client = openai(oai());
    const stream = client.responses.stream({
      model: 'gpt-4.1',
      input: 'How do I read a streamed response?',
    });
    let deltas = '';
    stream.on('response.output_text.delta', (e) => {
      deltas += e.delta;
    });
    const final = await stream.finalResponse();
    expect(final.status).toBe('completed');
    expect(final.output_text).toBe(deltas);
    expect(final.usage?.output_tokens).toBeGreaterThan(10);
    const json = await client.responses.create({
      model: 'gpt-4.1',
      input: 'How do I read a streamed response?',
    });
    expect(json.output_text).toBe(deltas);
  });

  it('function calls: arguments satisfy the schema; parallel calls as separate output items', async () => {
    const final = await openai(oai())
      .responses.stream({
        model: 'gpt-4.1',
        input: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [
          {
            type: 'function',
            name: 'get_weather',
            parameters: weatherTool.function.parameters,
            strict: true,
          },
          {
            type: 'function',
            name: 'get_time',
            parameters: timeTool.function.parameters,
            strict: false,
          },
        ],
      })
      .finalResponse();
    const calls = final.output.filter((o) => o.type === 'function_call');
    expect(calls.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    expectWeatherArgs(calls[0]!.arguments);
  });

  it('max_output_tokens gives status incomplete (response.incomplete)', async () => {
    const stream = openai(oai()).responses.stream({
      model: 'gpt-4.1',
      input: 'Hello there',
      max_output_tokens: 4,
    });
    const types: string[] = [];
    stream.on('event', (e) => types.push(e.type));
    const final = await stream.finalResponse();
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details?.reason).toBe('max_output_tokens');
    expect(types[0]).toBe('response.created');
    expect(types[types.length - 1]).toBe('response.incomplete');
  });

  it('refusal: a refusal content part', async () => {
    const final = await openai(oai('refusal'))
      .responses.stream({ model: 'gpt-4.1', input: 'x' })
      .finalResponse();
    const msg = final.output[0]!;
    expect(msg.type === 'message' && msg.content[0]!.type).toBe('refusal');
  });

  it('overloaded: the error event throws APIError', async () => {
    const error = await openai(oai('overloaded'))
      .responses.stream({ model: 'gpt-4.1', input: 'x' })
      .finalResponse()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toMatch(/overloaded/);
  });
});

describe('@anthropic-ai/sdk Messages', () => {
  it('messages.stream() + finalMessage(): text events, end_turn, usage; same text as JSON', async () => {
    const client = anthropic(ant());
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: question,
    });
    let deltas = '';
    stream.on('text', (d) => {
      deltas += d;
    });
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBeGreaterThan(10);
    expect(final.content[0]!.type === 'text' && final.content[0]!.text).toBe(deltas);
    const json = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: question,
    });
    expect(json.content[0]!.type === 'text' && json.content[0]!.text).toBe(deltas);
  });

  it('tool_use: input_json_delta fragments become a parsed input satisfying the schema', async () => {
    const final = await anthropic(ant())
      .messages.stream({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [
          {
            name: 'get_weather',
            input_schema: weatherTool.function.parameters as Anthropic.Tool.InputSchema,
          },
        ],
      })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    const block = final.content[0]!;
    if (block.type !== 'tool_use') throw new Error('expected tool_use');
    expect(block.id).toMatch(/^toolu_/);
    expectWeatherArgs(JSON.stringify(block.input));
  });

  it('max_tokens cuts with stop_reason max_tokens; refusal scenario stops with refusal', async () => {
    const cut = await anthropic(ant())
      .messages.stream({ model: 'claude-haiku-4-5', max_tokens: 3, messages: question })
      .finalMessage();
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(3);
    const refused = await anthropic(ant('refusal'))
      .messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: question })
      .finalMessage();
    expect(refused.stop_reason).toBe('refusal');
  });

  it('overloaded: an overloaded_error event throws APIError with type overloaded_error', async () => {
    const error = await anthropic(ant('overloaded'))
      .messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: question })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as { type?: string }).type).toBe('overloaded_error');
  });

  it('overloaded before_stream=1: 529 InternalServerError without retries; the SDK retry succeeds', async () => {
    const knobs = 'knobs/ttft_ms=0,tps=100000,before_stream=1,retry_after_ms=10';
    const body = {
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: '529 please' }],
    };
    const error = await anthropic(ant('overloaded', knobs))
      .messages.create(body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.InternalServerError>).status).toBe(529);
    // The failed run was counted; the next attempt of the same body succeeds, and the one after fails again.
    const ok = await anthropic(ant('overloaded', knobs)).messages.create(body);
    expect(ok.stop_reason).toBe('end_turn');
    const retried = await anthropic(ant('overloaded', knobs), 2)
      .messages.stream(body)
      .finalMessage();
    expect(retried.stop_reason).toBe('end_turn');
  });

  it('server-error: 500 then success via the SDK retry; run ids separate runs', async () => {
    const client = new Anthropic({
      baseURL: `${ant('server-error', FAST + ',retry_after_ms=10')}`,
      apiKey: 'k',
      maxRetries: 2,
      defaultHeaders: { 'x-streamlab-run': 'run-a' },
    });
    const msg = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages: question,
    });
    expect(msg.content[0]!.type).toBe('text');
    const runLogs = logs
      .filter((l) => l.scenario === 'server-error')
      .map((l) => [l.status, l.attempt]);
    expect(runLogs).toEqual([
      [500, 1],
      [200, 2],
    ]);
  });

  it('stall: silence, then the connection drops and the stream rejects', async () => {
    const stream = anthropic(ant('stall', FAST + ',stall_ms=200')).messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: question,
    });
    let text = '';
    stream.on('text', (d) => {
      text += d;
    });
    await expect(stream.finalMessage()).rejects.toThrow();
    expect(text.length).toBeGreaterThan(0);
  });

  it('validation: missing max_tokens is a 400 invalid_request_error naming it', async () => {
    const error = await anthropic(ant())
      .messages.create({ model: 'claude-haiku-4-5', messages: question } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toMatch(/max_tokens/);
  });
});

describe('structured output through each SDK helper', () => {
  const Rating = z.object({
    title: z.string(),
    pros: z.array(z.string()),
    stars: z.number().int().min(1).max(5),
  });

  it('openai chat.completions.parse, responses.parse and anthropic messages.parse agree', async () => {
    const openai = new OpenAI({ baseURL: oai(), apiKey: 'k' });
    const anthropic = new Anthropic({ baseURL: ant(), apiKey: 'k' });
    const chat = await openai.chat.completions.parse({
      model: 'gpt-4o-mini',
      messages: question,
      response_format: zodResponseFormat(Rating, 'rating'),
    });
    const fromChat = chat.choices[0]!.message.parsed!;
    expect(Rating.parse(fromChat)).toEqual(fromChat);
    const responses = await openai.responses.parse({
      model: 'gpt-4.1',
      input: question,
      text: { format: zodTextFormat(Rating, 'rating') },
    });
    expect(responses.output_parsed).toEqual(fromChat);
    const message = await anthropic.messages.parse({
      model: 'claude-haiku-4-5',
      max_tokens: 500,
      messages: question,
      output_config: { format: zodOutputFormat(Rating) },
    });
    expect(message.parsed_output).toEqual(fromChat);
  });

  it('streamed: partial parses grow; max tokens cut the JSON and the helper reports it', async () => {
    const openai = new OpenAI({ baseURL: oai('fragmented'), apiKey: 'k' });
    const partials: unknown[] = [];
    const stream = openai.chat.completions
      .stream({
        model: 'gpt-4o-mini',
        messages: question,
        response_format: zodResponseFormat(Rating, 'rating'),
      })
      .on('content.delta', ({ parsed }) => partials.push(parsed));
    const final = await stream.finalChatCompletion();
    expect(partials.length).toBeGreaterThan(5);
    expect(partials.at(-1)).toEqual(final.choices[0]!.message.parsed);
    await expect(
      openai.chat.completions.parse({
        model: 'gpt-4o-mini',
        max_completion_tokens: 4,
        messages: question,
        response_format: zodResponseFormat(Rating, 'rating'),
      }),
    ).rejects.toThrow(/length limit/i);
  });
});

describe('batch APIs through each SDK', () => {
  it('openai files + batches and anthropic message batches run to the end', async () => {
    const openai = new OpenAI({ baseURL: oai('default', 'knobs/batch_ms=0'), apiKey: 'k' });
    const file = await openai.files.create({
      file: new File(
        [
          JSON.stringify({
            custom_id: 'one',
            method: 'POST',
            url: '/v1/responses',
            body: { model: 'gpt-4.1', input: 'Hello' },
          }),
        ],
        'in.jsonl',
      ),
      purpose: 'batch',
    });
    const batch = await openai.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/responses',
      completion_window: '24h',
    });
    expect(batch.status).toBe('completed');
    const out = JSON.parse(await (await openai.files.content(batch.output_file_id!)).text());
    expect(out.response.body.object).toBe('response');

    const anthropic = new Anthropic({ baseURL: ant('default', 'knobs/batch_ms=0'), apiKey: 'k' });
    const created = await anthropic.messages.batches.create({
      requests: [
        {
          custom_id: 'one',
          params: { model: 'claude-haiku-4-5', max_tokens: 20, messages: question },
        },
      ],
    });
    const results = [];
    for await (const r of await anthropic.messages.batches.results(created.id)) results.push(r);
    expect(results).toMatchObject([{ custom_id: 'one', result: { type: 'succeeded' } }]);
    const listed = [];
    for await (const b of anthropic.messages.batches.list()) listed.push(b.id);
    expect(listed).toContain(created.id);
  });
});

describe('every scenario through an SDK', () => {
  it('fast (its own knobs) and slow-first-token (ttft honoured) through openai', async () => {
    const fast = await openai(`${server.url}/scenarios/fast/v1`)
      .chat.completions.stream({ model: 'm', messages: question })
      .finalChatCompletion();
    expect(fast.choices[0]!.finish_reason).toBe('stop');
    const started = performance.now();
    const stream = openai(oai('slow-first-token', 'knobs/ttft_ms=300,tps=100000')).responses.stream(
      { model: 'm', input: 'hi' },
    );
    let firstDelta = 0;
    stream.on('response.output_text.delta', () => {
      firstDelta ||= performance.now();
    });
    await stream.finalResponse();
    // A lower bound only: the first token cannot come before its scheduled time.
    expect(firstDelta - started).toBeGreaterThanOrEqual(290);
  });

  it('long: 2,000+ output tokens through @anthropic-ai/sdk', async () => {
    const final = await anthropic(ant('long'))
      .messages.stream({ model: 'c', max_tokens: 8000, messages: question })
      .finalMessage();
    expect(final.usage.output_tokens).toBeGreaterThanOrEqual(2000);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('transport scenarios give the SDKs exactly the default text', async () => {
    const knobs = 'knobs/ttft_ms=0,tps=100000,read_gap_ms=0';
    const expected = await anthropic(ant())
      .messages.stream({ model: 'c', max_tokens: 999, messages: question })
      .finalText();
    const expectedResponses = (
      await openai(oai()).responses.stream({ model: 'm', input: 'hi' }).finalResponse()
    ).output_text;
    for (const scenario of ['fragmented', 'one-byte-reads', 'crlf', 'heartbeats']) {
      const text = await anthropic(ant(scenario, knobs))
        .messages.stream({ model: 'c', max_tokens: 999, messages: question })
        .finalText();
      expect(text, scenario).toBe(expected);
      const resp = await openai(oai(scenario, knobs))
        .responses.stream({ model: 'm', input: 'hi' })
        .finalResponse();
      expect(resp.output_text, scenario).toBe(expectedResponses);
    }
  });
});

describe('Vercel AI SDK streamText', () => {
  it('through @ai-sdk/openai (Responses and Chat) yields the same text as the openai SDK', async () => {
    const expected = (
      await openai(oai()).responses.create({
        model: 'gpt-4.1',
        input: [{ role: 'user', content: 'Explain SSE' }],
      })
    ).output_text;
    const provider = createOpenAI({ baseURL: oai(), apiKey: 'k' });
    const viaResponses = streamText({
      model: provider.responses('gpt-4.1'),
      prompt: 'Explain SSE',
      maxRetries: 0,
    });
    expect(await viaResponses.text).toBe(expected);
    const viaChat = streamText({
      model: provider.chat('gpt-4o-mini'),
      prompt: 'Explain SSE',
      maxRetries: 0,
    });
    expect(await viaChat.text).toContain('Explain SSE');
    expect(await viaChat.finishReason).toBe('stop');
  });

  it('through @ai-sdk/anthropic, in the unicode scenario', async () => {
    const provider = createAnthropic({ baseURL: `${ant('unicode')}/v1`, apiKey: 'k' });
    const result = streamText({
      model: provider('claude-sonnet-4-5'),
      prompt: 'Say hi',
      maxRetries: 0,
    });
    const text = await result.text;
    expect(text).toContain('👩‍💻');
    expect(text).toContain('cafe\u0301');
  });
});

describe('raw bytes: eventsource-parser over fetch', () => {
  const body = { model: 'gpt-4o-mini', stream: true, messages: question };
  it('transport scenarios change only how bytes travel, never the text', async () => {
    const base = await rawEvents(`${oai()}/chat/completions`, body);
    const expected = chatText(base.events);
    expect(expected.length).toBeGreaterThan(50);
    for (const scenario of ['fragmented', 'one-byte-reads', 'crlf', 'heartbeats']) {
      const got = await rawEvents(
        `${oai(scenario, 'knobs/ttft_ms=0,tps=100000,read_gap_ms=0,heartbeat_ms=1000')}/chat/completions`,
        body,
      );
      expect(chatText(got.events), scenario).toBe(expected);
      expect(got.events[got.events.length - 1]!.data, scenario).toBe('[DONE]');
      if (scenario === 'crlf' || scenario === 'fragmented') {
        expect(new TextDecoder().decode(got.raw), scenario).toContain('\r\n\r\n');
      }
      if (scenario === 'heartbeats') expect(got.comments.length).toBeGreaterThan(10);
    }
  });

  it('Responses and Anthropic events are all named, with JSON type equal to the name', async () => {
    const r = await rawEvents(`${oai()}/responses`, {
      model: 'gpt-4.1',
      stream: true,
      input: 'hi',
    });
    for (const e of r.events) expect((JSON.parse(e.data) as { type: string }).type).toBe(e.event);
    expect(
      r.events.map((e) => (JSON.parse(e.data) as { sequence_number: number }).sequence_number),
    ).toEqual(r.events.map((_, i) => i));
    const a = await rawEvents(`${ant()}/v1/messages`, {
      model: 'claude',
      max_tokens: 100,
      stream: true,
      messages: question,
    });
    for (const e of a.events) expect((JSON.parse(e.data) as { type: string }).type).toBe(e.event);
    expect(a.events[0]!.event).toBe('message_start');
    expect(a.events[a.events.length - 1]!.event).toBe('message_stop');
  });
});

describe('curl -N', () => {
  it('streams the default scenario and lists scenarios', async () => {
    const run = promisify(execFile);
    const { stdout } = await run('curl', [
      '-sN',
      `${oai()}/chat/completions`,
      '-H',
      'content-type: application/json',
      '-d',
      JSON.stringify({ model: 'm', stream: true, messages: question }),
    ]);
    expect(stdout.startsWith('data: {')).toBe(true);
    expect(stdout.endsWith('data: [DONE]\n\n')).toBe(true);
    const list = await run('curl', ['-s', `${server.url}/scenarios`]);
    const names = (JSON.parse(list.stdout) as { data: { name: string }[] }).data.map((s) => s.name);
    expect(names).toContain('fragmented');
  });
});
