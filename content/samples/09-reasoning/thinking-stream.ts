import Anthropic from '@anthropic-ai/sdk';

/**
 * Streams an answer with extended thinking and keeps the two apart: the thinking for a collapsible
 * "thinking" panel, the answer for the chat. The signature comes last, just before the thinking block
 * ends; keep it, because the block must go back unchanged in a tool loop.
 */
export async function run(question = 'Should I stream a 20-second answer?') {
  const client = new Anthropic();
  let thinking = '';
  let answer = '';
  let signature = '';
  const stream = client.messages.stream({
    model: 'claude-sonnet-4-6',
    max_tokens: 4096, // thinking counts toward max_tokens
    thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [{ role: 'user', content: question }],
  });
  for await (const event of stream) {
    if (event.type !== 'content_block_delta') continue;
    if (event.delta.type === 'thinking_delta') thinking += event.delta.thinking;
    if (event.delta.type === 'signature_delta') signature = event.delta.signature;
    if (event.delta.type === 'text_delta') answer += event.delta.text;
  }
  const message = await stream.finalMessage();
  return {
    thinking,
    answer,
    signature,
    stopReason: message.stop_reason,
    // Output tokens include the thinking: that is what reasoning costs.
    outputTokens: message.usage.output_tokens,
  };
}
