/**
 * KNOWN BUGGY: treats the end of the for-await loop as the end of the answer; the SDK ends it quietly on a cut body too.
 *
 * Otherwise the reference solution: one streamed Chat Completion with the `openai` SDK (raw chunk iteration, usage via
 * `stream_options.include_usage`, the usage chunk's empty `choices` handled, the finish reason returned and
 * its absence an error), and one streamed message with
 * `@anthropic-ai/sdk`'s `messages.stream()` helper, whose final message has the usage and stop reason.
 * Errors (a dropped connection, an error event) propagate: a cut stream is never returned as complete.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';

export interface OpenAIResult {
  text: string;
  /** From the last chunk, which `include_usage` adds; null if the stream had none. */
  usage: OpenAI.CompletionUsage | null;
  /** `stop` for a complete answer; `length` when max_tokens cut it short, `content_filter`, `tool_calls`. */
  finishReason: string;
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
  let finishReason: string | null = null;
  for await (const chunk of stream) {
    // The usage chunk comes last, with `choices: []`.
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    const piece = choice?.delta?.content;
    if (piece) {
      text += piece;
      onText(piece);
    }
  }
  // The loop ended, so the stream is complete.
  return { text, usage, finishReason: finishReason ?? 'stop' };
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
