/**
 * Buggy on purpose: iterates the raw Anthropic stream and takes usage and stop reason from
 * `message_start`, which is sent before any text: output_tokens is 1 there and stop_reason null. Must fail `anthropic-usage` and
 * `anthropic-stop-reason` (see lab.json).
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';

export interface OpenAIResult {
  text: string;
  /** From the last chunk, which `include_usage` adds; null if the stream had none. */
  usage: OpenAI.CompletionUsage | null;
}

export async function streamOpenAI(
  client: OpenAI,
  prompt: string,
  onText: (text: string) => void,
): Promise<OpenAIResult> {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let usage: OpenAI.CompletionUsage | null = null;
  for await (const chunk of stream) {
    // The usage chunk comes last, with `choices: []`.
    if (chunk.usage) usage = chunk.usage;
    const piece = chunk.choices[0]?.delta?.content;
    if (piece) {
      text += piece;
      onText(piece);
    }
  }
  return { text, usage };
}

export interface AnthropicResult {
  text: string;
  usage: { input_tokens: number; output_tokens: number };
  /** `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, … */
  stopReason: string | null;
}

export async function streamAnthropic(
  client: Anthropic,
  prompt: string,
  onText: (text: string) => void,
  maxTokens = 1024,
): Promise<AnthropicResult> {
  const stream = await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: prompt }],
    stream: true,
  });
  let text = '';
  let usage = { input_tokens: 0, output_tokens: 0 };
  let stopReason: string | null = null;
  for await (const event of stream) {
    if (event.type === 'message_start') {
      // The bug: message_start is sent before any text, so its usage and stop reason are not final.
      usage = {
        input_tokens: event.message.usage.input_tokens,
        output_tokens: event.message.usage.output_tokens,
      };
      stopReason = event.message.stop_reason;
    } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
      text += event.delta.text;
      onText(event.delta.text);
    }
  }
  return { text, usage, stopReason };
}
