/**
 * Buggy on purpose: never checks `response.ok`, so a 429 error body is read as a stream, which then
 * "ends without [DONE]": the rate limit is reported as a cut stream. Must fail `http-error` (see lab.json).
 */
/** The object the model writes. */
export interface Review {
  title: string;
  points: string[];
  verdict: 'recommend' | 'neutral' | 'avoid';
}

/** Marks "nothing here yet": a key without a value, or a number/literal that may still grow. */
const MISSING = Symbol('missing');

/**
 * Parses a prefix of a JSON document. Unclosed objects and arrays are closed; a string cut short keeps
 * what it has (minus a cut escape, or half a surrogate pair); a key cut short, a key without a value
 * yet, and a number or `true`/`false`/`null` at the very end (it may still grow: `12` → `125`, `tru` → `true`) are left
 * out. Returns `undefined` for text with no value yet. Throws `SyntaxError` on text that cannot be
 * the start of any JSON document.
 */
export function parsePartialJson(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i} of ${JSON.stringify(text.slice(0, 40))}`);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const end = (): boolean => i >= text.length;

  function string(): { value: string; complete: boolean } {
    i++; // the opening quote
    let value = '';
    while (!end()) {
      const ch = text[i]!;
      if (ch === '"') {
        i++;
        return { value, complete: true };
      }
      if (ch !== '\\') {
        value += ch;
        i++;
        continue;
      }
      const escape = text[i + 1];
      if (escape === undefined) break; // cut inside an escape: drop it
      if (escape === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (hex.length < 4) break;
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (!(escape in simple)) fail(`bad escape \\${escape}`);
      value += simple[escape];
      i += 2;
    }
    i = text.length;
    // Half a surrogate pair (its \uD83D came, its \uDE00 not yet) is not a character yet.
    if (/[\uD800-\uDBFF]$/.test(value)) value = value.slice(0, -1);
    return { value, complete: false };
  }

  function scalar(): unknown {
    const start = i;
    while (!end() && /[-+0-9.eEa-z]/.test(text[i]!)) i++;
    if (end()) return MISSING; // may still grow
    const token = text.slice(start, i);
    try {
      return JSON.parse(token) as unknown;
    } catch {
      return fail(`unexpected ${JSON.stringify(token)}`);
    }
  }

  function value(): unknown {
    skipSpace();
    if (end()) return MISSING;
    const ch = text[i];
    if (ch === '{') return object();
    if (ch === '[') return array();
    if (ch === '"') return string().value;
    return scalar();
  }

  function object(): Record<string, unknown> {
    i++;
    const result: Record<string, unknown> = {};
    while (true) {
      skipSpace();
      if (end()) return result;
      if (text[i] === '}') {
        i++;
        return result;
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] !== '"') fail('expected a key');
      const key = string();
      if (!key.complete) return result;
      skipSpace();
      if (end()) return result;
      if (text[i] !== ':') fail('expected ":"');
      i++;
      const item = value();
      if (item !== MISSING) result[key.value] = item;
    }
  }

  function array(): unknown[] {
    i++;
    const result: unknown[] = [];
    while (true) {
      skipSpace();
      if (end()) return result;
      if (text[i] === ']') {
        i++;
        return result;
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      const item = value();
      if (item !== MISSING) result.push(item);
    }
  }

  const result = value();
  skipSpace();
  if (!end()) fail('unexpected text after the value');
  return result === MISSING ? undefined : result;
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
  const reader = response.body!.getReader();
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
