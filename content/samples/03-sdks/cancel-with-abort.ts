import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

/** Stop an OpenAI stream from outside, e.g. a Stop button, once `limit` characters arrived. */
export async function cancelOpenAI(limit: number): Promise<{ text: string; aborted: boolean }> {
  const client = new OpenAI();
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Write a long story about a lighthouse.' }],
      stream: true,
    },
    { signal: controller.signal }, // request options: the second argument
  );

  let text = '';
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (text.length >= limit) controller.abort(); // the Stop button
  }
  // In openai v7 an aborted raw stream ends the loop without throwing: check the signal yourself.
  return { text, aborted: controller.signal.aborted };
}

/** The same with Anthropic's helper: `stream.abort()` rejects `finalMessage()`. */
export async function cancelAnthropic(limit: number): Promise<{ text: string; error: string }> {
  const client = new Anthropic();
  let text = '';
  const stream = client.messages.stream({
    model: 'claude-sonnet-4-6',
    max_tokens: 2048,
    messages: [{ role: 'user', content: 'Write a long story about a lighthouse.' }],
  });
  stream.on('text', (delta) => {
    text += delta;
    if (text.length >= limit) stream.abort();
  });
  try {
    await stream.finalMessage();
    return { text, error: 'none' };
  } catch (error) {
    // An APIUserAbortError: expected after abort(), not a failure to report.
    if (error instanceof Anthropic.APIUserAbortError) return { text, error: 'aborted' };
    throw error;
  }
}

export async function run() {
  return { openai: await cancelOpenAI(20), anthropic: await cancelAnthropic(20) };
}
