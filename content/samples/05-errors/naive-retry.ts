// BUGGY ON PURPOSE: retries a failed stream and keeps appending. The reader sees the start twice.
import OpenAI from 'openai';

export async function run(maxAttempts = 2): Promise<{ shown: string; attempts: number }> {
  const client = new OpenAI({ maxRetries: 0 });
  let shown = ''; // what the user sees on screen
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Summarise the plot of Hamlet in one paragraph.' }],
        stream: true,
      });
      for await (const chunk of stream) shown += chunk.choices[0]?.delta.content ?? ''; // BUG
      return { shown, attempts: attempt };
    } catch {
      // BUG: the partial text from this attempt stays on screen, and the retry starts over after it.
    }
  }
  return { shown, attempts: maxAttempts };
}
