import OpenAI from 'openai';

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, and returns the results in input
 * order. A fixed pool of workers pulls the next index, so a slow item never blocks the others.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`limit must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++; // safe: no await between the check and the increment
      results[index] = await fn(items[index]!, index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Classifies support tickets: no one watches, so no streaming; throughput and cost matter. */
export async function run(
  tickets: string[],
  limit = 4,
): Promise<{ labels: string[]; maxInFlight: number }> {
  const client = new OpenAI(); // the SDK still retries 429s and 5xx for each call
  let inFlight = 0;
  let maxInFlight = 0;

  const labels = await mapWithConcurrency(tickets, limit, async (ticket) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Answer with one word: billing, bug, or question.' },
          { role: 'user', content: ticket },
        ],
        max_completion_tokens: 5, // a short answer: streaming would add nothing but code
      });
      return completion.choices[0]?.message.content?.trim() ?? '';
    } finally {
      inFlight -= 1;
    }
  });
  return { labels, maxInFlight };
}
