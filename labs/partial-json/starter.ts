/**
 * Render a streamed JSON object as it grows.
 *
 * `streamReview` streams a structured review (a forced tool call) and calls `onPreview` with the
 * partial object after every piece of the arguments. It needs `parsePartialJson`, which for now only
 * understands complete documents, so the preview stays empty until the very end. Write it.
 */

/** The object the model writes. */
export interface Review {
  title: string;
  points: string[];
  verdict: 'recommend' | 'neutral' | 'avoid';
}

/**
 * Parses a prefix of a JSON document into the most complete value that is certainly part of the final
 * one. The rules (the checks test each):
 * - a complete document gives what `JSON.parse` gives; empty text gives `undefined`;
 * - unclosed objects and arrays are closed;
 * - a string cut short keeps what it has, minus an escape cut in half (`\\`, `\\u00e`);
 * - a key cut short, or a key whose value has not started, is left out;
 * - a number or `true`/`false`/`null` at the very end of the text is left out: it may still grow.
 */
export function parsePartialJson(text: string): unknown {
  // TODO: this only works once the document is complete.
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const reviewTool = {
  type: 'function',
  function: {
    name: 'write_review',
    description: 'Write a structured product review.',
    strict: true,
    parameters: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        points: { type: 'array', items: { type: 'string' } },
        verdict: { type: 'string', enum: ['recommend', 'neutral', 'avoid'] },
      },
      required: ['title', 'points', 'verdict'],
      additionalProperties: false,
    },
  },
};

/**
 * Streams a review of `product` as a forced tool call. After every piece of the arguments, calls
 * `onPreview` with the partial object so far; at the end, parses the whole arguments and returns them.
 */
export async function streamReview(
  product: string,
  onPreview: (partial: Partial<Review>) => void,
  options: { fetch?: typeof fetch } = {},
): Promise<Review> {
  const { fetch: doFetch = fetch } = options;
  const response = await doFetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: `Review ${product}.` }],
      tools: [reviewTool],
      tool_choice: { type: 'function', function: { name: 'write_review' } },
    }),
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let args = '';
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
        // Complete now: parse strictly, and check the shape before trusting it.
        const review = JSON.parse(args) as Review;
        if (typeof review.title !== 'string' || !Array.isArray(review.points)) {
          throw new Error(`the review does not match its schema: ${args}`);
        }
        return review;
      }
      const chunk = JSON.parse(data) as {
        choices?: Array<{
          delta?: { tool_calls?: Array<{ function?: { arguments?: string } }> };
        }>;
      };
      const piece = chunk.choices?.[0]?.delta?.tool_calls?.[0]?.function?.arguments;
      if (!piece) continue;
      args += piece;
      const partial = parsePartialJson(args);
      if (partial && typeof partial === 'object') onPreview(partial as Partial<Review>);
    }
  }
}
