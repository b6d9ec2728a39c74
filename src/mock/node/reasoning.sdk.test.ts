/**
 * Reasoning models through the official SDKs over real HTTP: Anthropic extended thinking (deltas,
 * signatures, redacted blocks, thinking sent back in a tool loop), Responses reasoning summaries and
 * `reasoning_tokens`, Chat `reasoning_effort`, and OpenAI stream obfuscation.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler } from '../core/index.ts';
import { serveMock, type MockServer } from './serve.ts';

let server: MockServer;
const FAST = 'knobs/ttft_ms=0,tps=100000';
const oai = (scenario = 'default'): OpenAI =>
  new OpenAI({
    baseURL: `${server.url}/scenarios/${scenario}/${FAST}/v1`,
    apiKey: 'x',
    maxRetries: 0,
  });
const ant = (scenario = 'default'): Anthropic =>
  new Anthropic({
    baseURL: `${server.url}/scenarios/${scenario}/${FAST}`,
    apiKey: 'x',
    maxRetries: 0,
  });

const QUESTION = 'What is the weather in Paris, and should I take an umbrella?';
const THINKING = { type: 'enabled' as const, budget_tokens: 2048 };
const weather: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

beforeAll(async () => {
  server = await serveMock(createMockHandler(), { port: 0 });
});
afterAll(async () => {
  await server.close();
});

describe('Anthropic extended thinking', () => {
  it('streams a thinking block (thinking_delta, then signature_delta) before the answer', async () => {
    const thinking: string[] = [];
    const signatures: string[] = [];
    const stream = ant()
      .messages.stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        thinking: THINKING,
        messages: [{ role: 'user', content: QUESTION }],
      })
      .on('thinking', (delta) => thinking.push(delta))
      .on('signature', (sig) => signatures.push(sig));
    const message = await stream.finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const block = message.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.length).toBeGreaterThan(1);
    expect(block.thinking).toBe(thinking.join(''));
    expect(block.thinking).toContain('Paris');
    expect(signatures).toEqual([block.signature]);
    // Thinking is billed as output: more output tokens than the answer alone.
    const plain = await ant().messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      messages: [{ role: 'user', content: QUESTION }],
    });
    expect(message.usage.output_tokens).toBeGreaterThan(plain.usage.output_tokens);
    expect((message.content[1] as Anthropic.TextBlock).text).toBe(
      (plain.content[0] as Anthropic.TextBlock).text,
    );
  });

  it('takes the thinking block back in a tool loop, and rejects a dropped or edited one', async () => {
    const client = ant();
    const first = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        thinking: THINKING,
        tools: [weather],
        messages: [{ role: 'user', content: QUESTION }],
      })
      .finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content[0]!.type).toBe('thinking');
    const call = first.content.find((b) => b.type === 'tool_use')!;
    const turn = (assistant: Anthropic.ContentBlockParam[]) =>
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        thinking: THINKING,
        tools: [weather],
        messages: [
          { role: 'user', content: QUESTION },
          { role: 'assistant', content: assistant },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: call.id, content: '{"rain":"80%"}' }],
          },
        ],
      });
    const answer = await turn(first.content as Anthropic.ContentBlockParam[]);
    expect(answer.stop_reason).toBe('end_turn');
    expect(JSON.stringify(answer.content)).toContain('80%');

    await expect(turn(first.content.slice(1) as Anthropic.ContentBlockParam[])).rejects.toThrow(
      /Expected `thinking` or `redacted_thinking`/,
    );
    const edited = first.content.map((b) =>
      b.type === 'thinking' ? { ...b, thinking: b.thinking + ' (edited)' } : b,
    );
    await expect(turn(edited as Anthropic.ContentBlockParam[])).rejects.toThrow(/signature/);
  });

  it('sends redacted thinking whole in the redacted-thinking scenario, and takes it back', async () => {
    const client = ant('redacted-thinking');
    const first = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        thinking: THINKING,
        tools: [weather],
        messages: [{ role: 'user', content: QUESTION }],
      })
      .finalMessage();
    const block = first.content[0] as Anthropic.RedactedThinkingBlock;
    expect(block.type).toBe('redacted_thinking');
    expect(block.data.length).toBeGreaterThan(100);
    const call = first.content.find((b) => b.type === 'tool_use')!;
    const answer = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: THINKING,
      tools: [weather],
      messages: [
        { role: 'user', content: QUESTION },
        { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny' }],
        },
      ],
    });
    expect(JSON.stringify(answer.content)).toContain('sunny');
  });

  it('adaptive thinking with display omitted signs and bills the thinking but sends no text', async () => {
    const message = await ant()
      .messages.stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        thinking: { type: 'adaptive', display: 'omitted' },
        messages: [{ role: 'user', content: QUESTION }],
      })
      .finalMessage();
    const block = message.content[0] as Anthropic.ThinkingBlock;
    expect(block).toMatchObject({ type: 'thinking', thinking: '' });
    expect(block.signature.length).toBeGreaterThan(20);
    expect(message.content[1]!.type).toBe('text');
  });

  it('rejects a budget that does not fit under max_tokens', async () => {
    await expect(
      ant().messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        thinking: { type: 'enabled', budget_tokens: 1024 },
        messages: [{ role: 'user', content: QUESTION }],
      }),
    ).rejects.toThrow(/budget_tokens/);
  });
});

describe('OpenAI reasoning', () => {
  it('Responses streams a reasoning summary before the answer and bills reasoning_tokens', async () => {
    const deltas: string[] = [];
    const types: string[] = [];
    const stream = oai().responses.stream({
      model: 'gpt-5',
      input: QUESTION,
      reasoning: { effort: 'medium', summary: 'auto' },
    });
    stream.on('response.reasoning_summary_text.delta', (e) => deltas.push(e.delta));
    stream.on('event', (e) => types.push(e.type));
    const response = await stream.finalResponse();
    expect(types).toContain('response.reasoning_summary_part.added');
    expect(types).toContain('response.reasoning_summary_text.done');
    expect(types).toContain('response.reasoning_summary_part.done');
    expect(types.indexOf('response.reasoning_summary_text.done')).toBeLessThan(
      types.indexOf('response.output_text.delta'),
    );
    expect(response.output.map((i) => i.type)).toEqual(['reasoning', 'message']);
    const reasoning = response.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.summary[0]!.text).toBe(deltas.join(''));
    expect(response.usage!.output_tokens_details.reasoning_tokens).toBe(deltas.length);
    expect(response.reasoning?.summary).toBe('auto');
  });

  it('Responses ends incomplete, with no message, when max_output_tokens runs out while thinking', async () => {
    const response = await oai()
      .responses.stream({
        model: 'gpt-5',
        input: QUESTION,
        reasoning: { effort: 'high' },
        max_output_tokens: 16,
      })
      .finalResponse();
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details?.reason).toBe('max_output_tokens');
    expect(response.output.map((i) => i.type)).toEqual(['reasoning']);
    expect(response.usage!.output_tokens_details.reasoning_tokens).toBe(16);
  });

  it('Chat Completions accepts reasoning_effort and counts reasoning tokens', async () => {
    const chunks = await oai().chat.completions.create({
      model: 'gpt-5',
      reasoning_effort: 'low',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: QUESTION }],
    });
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of chunks) usage = chunk.usage ?? usage;
    expect(usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    await expect(
      oai().chat.completions.create({
        model: 'gpt-5',
        reasoning_effort: 'extreme' as 'low',
        messages: [{ role: 'user', content: QUESTION }],
      }),
    ).rejects.toThrow(/reasoning_effort/);
  });

  it('pads delta events with obfuscation unless include_obfuscation is false', async () => {
    const collect = async (include?: boolean) => {
      const seen: unknown[] = [];
      const chat = await oai().chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        ...(include === undefined ? {} : { stream_options: { include_obfuscation: include } }),
        messages: [{ role: 'user', content: QUESTION }],
      });
      for await (const c of chat)
        if (c.choices[0]?.delta.content) seen.push((c as { obfuscation?: unknown }).obfuscation);
      const responses = await oai().responses.create({
        model: 'gpt-4o-mini',
        stream: true,
        input: QUESTION,
        ...(include === undefined ? {} : { stream_options: { include_obfuscation: include } }),
      });
      for await (const e of responses)
        if (e.type === 'response.output_text.delta')
          seen.push((e as { obfuscation?: unknown }).obfuscation);
      return seen;
    };
    const padded = await collect();
    expect(padded.length).toBeGreaterThan(10);
    expect(padded.every((o) => typeof o === 'string' && o.length > 0)).toBe(true);
    expect((await collect(false)).every((o) => o === undefined)).toBe(true);
  });
});
