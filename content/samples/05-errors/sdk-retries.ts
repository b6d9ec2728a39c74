import OpenAI from 'openai';

/** What the SDK retries for you (openai v7; @anthropic-ai/sdk v1 behaves the same way). */
export async function beforeTheStream(): Promise<string> {
  // Default: 2 retries (3 attempts) on 408, 409, 429, >= 500 and connection errors,
  // waiting for retry-after-ms / retry-after when the server sends one.
  const client = new OpenAI({ maxRetries: 3 });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Summarise the plot of Hamlet in one paragraph.' }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

/** ...and what it never retries: a failure after the 200, inside a stream that already started. */
export async function insideTheStream(): Promise<{ text: string; error: string }> {
  const client = new OpenAI({ maxRetries: 3 });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Summarise the plot of Hamlet in one paragraph.' }],
    stream: true,
  });
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    return { text, error: 'none' };
  } catch (error) {
    // An error payload inside the stream becomes an APIError with no HTTP status.
    return {
      text,
      error: error instanceof OpenAI.APIError ? `APIError: ${error.message}` : String(error),
    };
  }
}
