import OpenAI from 'openai';
import { isRetryable, retryDelayMs, sleep } from './retry-policy.ts';

/**
 * Retries the request while nothing has been streamed yet, honouring `retry-after`. Once text has
 * arrived, a failure is not retried here: the caller decides what the user sees (see
 * resume-without-duplicates.ts).
 */
export async function run(
  maxAttempts = 4,
): Promise<{ text: string; attempts: number; delays: number[] }> {
  // maxRetries: 0 because this code owns the retry policy; two layers of retries multiply.
  const client = new OpenAI({ maxRetries: 0 });
  const delays: number[] = [];

  for (let attempt = 1; ; attempt++) {
    let stream;
    try {
      // Resolves when the response headers arrive: every error thrown here happened before the stream.
      stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Summarise the plot of Hamlet in one paragraph.' }],
        stream: true,
      });
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error)) throw error;
      const delay = retryDelayMs(error, attempt);
      delays.push(delay);
      await sleep(delay);
      continue;
    }

    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    return { text, attempts: attempt, delays };
  }
}
