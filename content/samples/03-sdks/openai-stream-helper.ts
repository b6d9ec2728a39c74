import OpenAI from 'openai';

/** The `chat.completions.stream()` helper: events while streaming, a full completion at the end. */
export async function run(): Promise<{
  deltas: number;
  text: string;
  finishReason: string;
  snapshotMatches: boolean;
  totalTokens: number | undefined;
}> {
  const client = new OpenAI();
  let deltas = 0;
  let lastSnapshot = '';

  const stream = client.chat.completions
    .stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Give me three tips for naming variables.' }],
      stream_options: { include_usage: true },
    })
    .on('content', (_delta, snapshot) => {
      // `delta` is the new text; `snapshot` is everything so far. Render one or the other, not both.
      deltas += 1;
      lastSnapshot = snapshot;
    });

  // Resolves after the stream ends; rejects on an error or on a stream that was cut short.
  const completion = await stream.finalChatCompletion();
  const choice = completion.choices[0];
  if (!choice) throw new Error('The completion has no choices.');
  return {
    deltas,
    text: choice.message.content ?? '',
    snapshotMatches: lastSnapshot === choice.message.content,
    finishReason: choice.finish_reason,
    totalTokens: completion.usage?.total_tokens,
  };
}
