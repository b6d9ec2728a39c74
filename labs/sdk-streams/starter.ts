/**
 * Stream with the two SDKs. Each function gets a ready client (in the lab it points at the mock server).
 *
 * - `streamOpenAI` streams a Chat Completion and returns the text, the token usage and the finish reason.
 *   Usage is sent in a stream only if you ask for it.
 * - `streamAnthropic` streams a message and returns the text, the usage and the stop reason.
 *
 * Call `onText` with each piece of text as it arrives.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';

export interface OpenAIResult {
  text: string;
  /** From the last chunk, which `include_usage` adds; null if the stream had none. */
  usage: OpenAI.CompletionUsage | null;
  /** The last choice chunk's `finish_reason`: `stop` when complete, `length` when max_tokens cut it. */
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
  });
  let text = '';
  let usage: OpenAI.CompletionUsage | null = null;
  let finishReason = 'stop';
  for await (const chunk of stream) {
    // TODO: append each piece of text and pass it to onText; keep the usage and the finish reason.
    void chunk;
    void onText;
  }
  // TODO: a stream that ends without a finish_reason was cut short: do not return it as complete.
  return { text, usage, finishReason };
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
  // TODO: client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: maxTokens, messages: … }),
  // pass each text piece to onText, and take the usage and stop reason from the final message.
  void client;
  void prompt;
  void onText;
  void maxTokens;
  return { text: '', usage: { input_tokens: 0, output_tokens: 0 }, stopReason: null };
}
