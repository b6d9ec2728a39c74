import Anthropic from '@anthropic-ai/sdk';

/** `messages.stream()` from @anthropic-ai/sdk v1: text events, then the final message with usage. */
export async function run(): Promise<{
  streamed: string;
  finalText: string;
  stopReason: string | null;
  inputTokens: number;
  outputTokens: number;
}> {
  // Reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL from the environment.
  const client = new Anthropic();
  let streamed = '';

  const stream = client.messages
    .stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Give me three tips for naming variables.' }],
    })
    .on('text', (delta) => {
      streamed += delta;
    });

  // Resolves at `message_stop`; rejects on an error event, an abort, or a stream cut before the end.
  const message = await stream.finalMessage();
  const finalText = message.content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('');
  return {
    streamed,
    finalText,
    stopReason: message.stop_reason,
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
  };
}
