/**
 * Classify support tickets. Nobody watches a batch job and a one-word label has nothing to show early,
 * so: one plain (non-streamed) request per ticket, several at a time.
 *
 * - `classify(ticket)` works. Add `{ stream: true }` support only to compare (same label, more code).
 * - `mapWithConcurrency(items, limit, fn)`: at most `limit` calls of `fn` in flight, a new one as soon
 *   as one finishes, results in input order.
 * - `classifyAll(tickets, { limit })`: a ticket whose request fails gets `null`; the batch goes on.
 */

export interface ClassifyOptions {
  /** Stream the answer (to compare: for a one-word answer it only adds parsing). Default false. */
  stream?: boolean;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
}

const SYSTEM = 'Answer with one word: billing, bug, or question.';

/** The label the model gives `ticket` (its answer, trimmed). Throws on an HTTP error. */
export async function classify(ticket: string, options: ClassifyOptions = {}): Promise<string> {
  const { fetch: doFetch = fetch } = options;
  const response = await doFetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      max_completion_tokens: 5,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: ticket },
      ],
    }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  // TODO: options.stream (send stream: true and join the deltas until [DONE]).
  const completion = (await response.json()) as {
    choices: Array<{ message: { content: string | null } }>;
  };
  return completion.choices[0]?.message.content?.trim() ?? '';
}

export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  // TODO: at most `limit` in flight. This runs one at a time.
  void limit;
  const results: R[] = [];
  for (const [index, item] of items.entries()) results.push(await fn(item, index));
  return results;
}

export async function classifyAll(
  tickets: readonly string[],
  options: { limit?: number; fetch?: typeof fetch } = {},
): Promise<Array<string | null>> {
  const { limit = 4, fetch: doFetch } = options;
  // TODO: a failed ticket should give null, not reject the batch.
  return mapWithConcurrency(tickets, limit, (ticket) => classify(ticket, { fetch: doFetch }));
}
