/**
 * A multi-turn tool loop through all three APIs with the official SDKs over real HTTP: the model calls
 * the tool, the result goes back, and the answer uses it — the same answer every time.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler } from '../core/index.ts';
import { serveMock, type MockServer } from './serve.ts';

let server: MockServer;
const FAST = 'knobs/ttft_ms=0,tps=100000';
const QUESTION = 'What is the weather in Lisbon?';
const RESULT = '{"sky":"sunny","celsius":24}';
const parameters = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
};

beforeAll(async () => {
  server = await serveMock(createMockHandler(), { port: 0 });
});
afterAll(async () => {
  await server.close();
});

async function chatLoop(): Promise<string> {
  const client = new OpenAI({ baseURL: `${server.url}/${FAST}/v1`, apiKey: 'x', maxRetries: 0 });
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters } }];
  const first = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    tools,
    messages: [{ role: 'user', content: QUESTION }],
  });
  const call = first.choices[0]!.message.tool_calls![0]!;
  expect(first.choices[0]!.finish_reason).toBe('tool_calls');
  const second = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    tools,
    messages: [
      { role: 'user', content: QUESTION },
      first.choices[0]!.message,
      { role: 'tool', tool_call_id: call.id, content: RESULT },
    ],
  });
  return second.choices[0]!.message.content!;
}

async function responsesLoop(): Promise<string> {
  const client = new OpenAI({ baseURL: `${server.url}/${FAST}/v1`, apiKey: 'x', maxRetries: 0 });
  const tools = [{ type: 'function' as const, name: 'get_weather', parameters, strict: false }];
  const first = await client.responses.create({ model: 'gpt-4.1', tools, input: QUESTION });
  const call = first.output.find((i) => i.type === 'function_call')!;
  const second = await client.responses.create({
    model: 'gpt-4.1',
    tools,
    input: [
      { role: 'user', content: QUESTION },
      call,
      { type: 'function_call_output', call_id: call.call_id, output: RESULT },
    ],
  });
  return second.output_text;
}

async function anthropicLoop(): Promise<string> {
  const client = new Anthropic({ baseURL: `${server.url}/${FAST}`, apiKey: 'x', maxRetries: 0 });
  const tools = [{ name: 'get_weather', input_schema: parameters as Anthropic.Tool.InputSchema }];
  const first = await client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 1024,
    tools,
    messages: [{ role: 'user', content: QUESTION }],
  });
  const call = first.content.find((b) => b.type === 'tool_use')!;
  expect(call.input).toEqual({ city: 'Lisbon' });
  const second = await client.messages.create({
    model: 'claude-haiku-4-5',
    max_tokens: 1024,
    tools,
    messages: [
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: RESULT }] },
    ],
  });
  return (second.content[0] as Anthropic.TextBlock).text;
}

describe('a tool loop through all three APIs', () => {
  it.each([
    ['Chat Completions', chatLoop],
    ['Responses', responsesLoop],
    ['Anthropic Messages', anthropicLoop],
  ])('%s: the answer uses the tool result, the same every time', async (_, loop) => {
    const answer = await loop();
    expect(answer).toContain('sunny');
    expect(await loop()).toBe(answer);
  });
});
