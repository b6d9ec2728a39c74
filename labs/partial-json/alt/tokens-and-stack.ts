/**
 * ALTERNATIVE correct solution (a test fixture, graded by `src/lab/grade/alt.test.ts`): a tokenizer and an
 * explicit stack of open containers instead of recursive descent, strings decoded by `JSON.parse`, and the
 * stream read with `eventsource-parser/stream` in a pipe and `for await`.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';

export interface Review {
  title: string;
  points: string[];
  verdict: 'recommend' | 'neutral' | 'avoid';
}

type Token =
  | { kind: 'punct'; ch: string }
  | { kind: 'value'; value: unknown; complete: boolean; isString: boolean };

/** Decodes the inside of a string literal cut short: a cut escape and half a surrogate pair are dropped. */
function decodeCut(raw: string): string {
  const slashes = /\\*$/.exec(raw)![0].length;
  let whole = slashes % 2 === 1 ? raw.slice(0, -1) : raw;
  whole = whole.replace(/(?<!\\)((?:\\\\)*)\\u[0-9a-fA-F]{0,3}$/, '$1');
  return (JSON.parse(`"${whole}"`) as string).replace(/[\uD800-\uDBFF]$/, '');
}

function* tokens(text: string): Generator<Token> {
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch) && ' \t\n\r'.includes(ch)) {
      i++;
    } else if ('{}[],:'.includes(ch)) {
      i++;
      yield { kind: 'punct', ch };
    } else if (ch === '"') {
      const match = /"((?:[^"\\]|\\[\s\S])*)"/y;
      match.lastIndex = i;
      const found = match.exec(text);
      if (found) {
        i = match.lastIndex;
        yield { kind: 'value', value: JSON.parse(found[0]), complete: true, isString: true };
      } else {
        yield {
          kind: 'value',
          value: decodeCut(text.slice(i + 1)),
          complete: false,
          isString: true,
        };
        return;
      }
    } else {
      const word = /[-+0-9.eEa-z]+/y;
      word.lastIndex = i;
      const found = word.exec(text);
      if (!found) throw new SyntaxError(`unexpected ${JSON.stringify(ch)} at ${i}`);
      i = word.lastIndex;
      if (i >= text.length) return; // may still grow
      yield { kind: 'value', value: JSON.parse(found[0]), complete: true, isString: false };
    }
  }
}

interface Open {
  container: Record<string, unknown> | unknown[];
  /** object: 'key' → 'colon' → 'value' → 'comma'; array: 'value' → 'comma'. */
  state: 'key' | 'colon' | 'value' | 'comma';
  key?: string;
}

export function parsePartialJson(text: string): unknown {
  const stack: Open[] = [];
  let root: unknown;
  let hasRoot = false;
  const place = (value: unknown): void => {
    const top = stack.at(-1);
    if (!top) {
      if (hasRoot) throw new SyntaxError('text after the value');
      root = value;
      hasRoot = true;
      return;
    }
    if (top.state !== 'value') throw new SyntaxError(`a value where ${top.state} was expected`);
    if (Array.isArray(top.container)) top.container.push(value);
    else top.container[top.key!] = value;
    top.state = 'comma';
  };
  for (const token of tokens(text)) {
    const top = stack.at(-1);
    if (token.kind === 'value') {
      if (top && !Array.isArray(top.container) && top.state === 'key') {
        if (!token.isString) throw new SyntaxError('a key must be a string');
        if (!token.complete) break; // a key cut short
        top.key = token.value as string;
        top.state = 'colon';
      } else place(token.value);
      continue;
    }
    const { ch } = token;
    if (ch === '{' || ch === '[') {
      const container = ch === '{' ? {} : [];
      place(container);
      stack.push({ container, state: ch === '{' ? 'key' : 'value' });
    } else if (ch === ':') {
      if (top?.state !== 'colon') throw new SyntaxError('unexpected ":"');
      top.state = 'value';
    } else if (ch === ',') {
      if (top?.state !== 'comma') throw new SyntaxError('unexpected ","');
      top.state = Array.isArray(top.container) ? 'value' : 'key';
    } else {
      const closes = ch === '}' ? !Array.isArray(top?.container) : Array.isArray(top?.container);
      const empty = top && Object.keys(top.container).length === 0;
      const ready =
        top?.state === 'comma' || (empty && top.state === (ch === '}' ? 'key' : 'value'));
      if (!top || !closes || !ready) throw new SyntaxError(`unexpected ${JSON.stringify(ch)}`);
      stack.pop();
    }
  }
  return hasRoot ? root : undefined;
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

export async function streamReview(
  product: string,
  onPreview: (partial: Partial<Review>) => void,
  options: { fetch?: typeof fetch } = {},
): Promise<Review> {
  const send = options.fetch ?? fetch;
  const response = await send(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
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
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  let args = '';
  let done = false;
  for await (const { data } of events) {
    if (data === '[DONE]') {
      done = true;
      break; // leaving the loop cancels the body
    }
    const piece: unknown =
      JSON.parse(data).choices?.[0]?.delta?.tool_calls?.[0]?.function?.arguments;
    if (typeof piece !== 'string' || piece === '') continue;
    args += piece;
    const partial = parsePartialJson(args);
    if (typeof partial === 'object' && partial !== null) onPreview(partial as Partial<Review>);
  }
  if (!done) throw new Error('the stream ended before data: [DONE]');
  const review = JSON.parse(args) as Review;
  if (typeof review.title !== 'string' || !Array.isArray(review.points)) {
    throw new Error(`not a review: ${args}`);
  }
  return review;
}
