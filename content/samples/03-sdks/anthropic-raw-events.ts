import Anthropic from '@anthropic-ai/sdk';

/** The raw typed events behind `messages.stream()`: `create({ stream: true })` and a switch. */
export async function run(): Promise<{ types: string[]; text: string; stopReason: string | null }> {
  const client = new Anthropic();
  const stream = await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Give me three tips for naming variables.' }],
    stream: true,
  });

  const types: string[] = [];
  let text = '';
  let stopReason: string | null = null;
  let stopped = false;

  for await (const event of stream) {
    types.push(event.type);
    switch (event.type) {
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') text += event.delta.text;
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason;
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  // Like openai's raw iterator, this loop just ends if the connection is cut: check the terminator.
  if (!stopped) throw new Error('Stream ended before message_stop.');
  return { types, text, stopReason };
}
