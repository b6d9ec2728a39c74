/**
 * KNOWN BUGGY (closes open brackets and calls JSON.parse).
 *
 * Render a streamed JSON object as it grows: `parsePartialJson` turns any prefix of a JSON document
 * into the most complete value that is certainly part of the final one, and `streamReview` streams a
 * structured review (a forced tool call) and hands each partial object to the UI.
 */

/** The object the model writes. */
export interface Review {
  title: string;
  points: string[];
  verdict: 'recommend' | 'neutral' | 'avoid';
}

/**
 * Parses a prefix of a JSON document. Unclosed objects and arrays are closed; a string cut short keeps
 * what it has (minus a cut escape); a key cut short, a key without a value yet, and a number or
 * `true`/`false`/`null` at the very end (it may still grow: `12` → `125`, `tru` → `true`) are left
 * out. Returns `undefined` for text with no value yet. Throws `SyntaxError` on text that cannot be
 * the start of any JSON document.
 */
export function parsePartialJson(text: string): unknown {
  // BUG: close whatever is open and hope JSON.parse accepts it.
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') stack.push('}');
    else if (ch === '[') stack.push(']');
    else if (ch === '}' || ch === ']') stack.pop();
  }
  const closed = text + (inString ? '"' : '') + stack.reverse().join('');
  try {
    return JSON.parse(closed) as unknown;
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
