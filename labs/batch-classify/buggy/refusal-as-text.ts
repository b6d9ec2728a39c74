/**
 * Buggy on purpose: turns the answer into a string without checking for null, so a refused ticket
 * (content: null) gets the label "null". Must fail `refusal-no-label` (see lab.json).
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
  const { stream = false, fetch: doFetch = fetch } = options;
  const response = await doFetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream,
      max_completion_tokens: 5,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: ticket },
      ],
    }),
  });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} for ticket ${JSON.stringify(ticket.slice(0, 30))}`);
  }
  if (!stream) {
    const completion = (await response.json()) as {
      choices: Array<{ message: { content: string | null } }>;
    };
    return String(completion.choices[0]?.message.content).trim();
  }
  // The streamed version: same answer, more code, and nothing to show early for a one-word label.
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended without data: [DONE]');
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trimStart();
      if (data === '[DONE]') {
        void reader.cancel().catch(() => {});
        return text.trim();
      }
      const chunk = JSON.parse(data) as {
        choices?: Array<{ delta?: { content?: string | null } }>;
      };
      text += chunk.choices?.[0]?.delta?.content ?? '';
    }
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results come back in input order.
 * A fixed pool of workers pulls the next index, so one slow item never holds up the others.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`limit must be a positive integer, got ${limit}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++; // no await between the check and the increment: no two workers share one
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Labels every ticket with at most `limit` requests in flight; a ticket that fails gets `null`. */
export async function classifyAll(
  tickets: readonly string[],
  options: { limit?: number; fetch?: typeof fetch } = {},
): Promise<Array<string | null>> {
  const { limit = 4, fetch: doFetch } = options;
  return mapWithConcurrency(tickets, limit, (ticket) =>
    classify(ticket, { fetch: doFetch }).catch(() => null),
  );
}
