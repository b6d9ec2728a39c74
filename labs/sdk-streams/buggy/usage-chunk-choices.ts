/**
 * Buggy on purpose: reads `chunk.choices[0].delta` on every chunk; the usage chunk has
 * `choices: []` and it throws there. Must fail `openai-text` and `openai-usage` (see lab.json).
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
    const piece = chunk.choices[0]!.delta.content;
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
  const stream = client.messages.stream({
    model: 'claude-sonnet-4-6',
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: prompt }],
  });
  stream.on('text', (piece) => onText(piece));
  // Rejects if the stream fails (dropped connection, error event) or ends without message_stop.
  const message = await stream.finalMessage();
  const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  return {
    text,
    usage: { input_tokens: message.usage.input_tokens, output_tokens: message.usage.output_tokens },
    stopReason: message.stop_reason,
  };
}
