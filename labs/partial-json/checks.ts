/**
 * Checks for the partial-json lab. The parser is fed prefixes whose right answer is known (each case
 * says which rule it tests), then every prefix of real and tricky documents, where any value it
 * returns must be part of the final one. `streamReview` is run against the mock's streamed tool call.
 */
import {
  assert,
  defineChecks,
  fail,
  chatChunk,
  chatChunkEvent,
  holdOpen,
  rateLimitedResponse,
  readSseEvents,
  sseResponse,
} from '../../src/lab/checks/index.ts';
import type { CheckContext } from '../../src/lab/checks/index.ts';
import type * as Solution from './solution.ts';

type Ctx = CheckContext<typeof Solution>;

const FAST = 'ttft_ms=0,tps=2000';

interface Case {
  text: string;
  expected: unknown;
  /** The rule this case tests, said to the learner when it fails. */
  rule: string;
}

const CASES: Case[] = [
  { text: '', expected: undefined, rule: 'empty text has no value yet: return undefined' },
  { text: '{', expected: {}, rule: 'an unclosed object is closed' },
  {
    text: '{"title":"Aero',
    expected: { title: 'Aero' },
    rule: 'a string cut short keeps what it has',
  },
  {
    text: '{"title":"Aeropress","poi',
    expected: { title: 'Aeropress' },
    rule: 'a key cut short is left out',
  },
  { text: '{"title":', expected: {}, rule: 'a key whose value has not started is left out' },
  {
    text: '{"title":"A","points":["Fast","Cheap',
    expected: { title: 'A', points: ['Fast', 'Cheap'] },
    rule: 'an unclosed array is closed, and its last string kept as far as it got',
  },
  {
    text: '{"score":7',
    expected: {},
    rule: 'a number at the very end is left out: it may still grow (7 → 73.86)',
  },
  {
    text: '{"score":73.86,',
    expected: { score: 73.86 },
    rule: 'a number followed by a comma is complete',
  },
  {
    text: '{"vegan":fal',
    expected: {},
    rule: 'a literal cut short (fal → false) is left out',
  },
  {
    text: '{"quote":"say \\"hi\\',
    expected: { quote: 'say "hi' },
    rule: 'escapes are decoded, and an escape cut in half is dropped',
  },
  {
    text: '{"name":"caf\\u00e',
    expected: { name: 'caf' },
    rule: 'a \\u escape cut short is dropped',
  },
  { text: '[1,2,', expected: [1, 2], rule: 'a trailing comma waits for the next item' },
  {
    text: '{"nested":{"deep":[true,{"k":"v',
    expected: { nested: { deep: [true, { k: 'v' }] } },
    rule: 'nesting closes from the inside out',
  },
  {
    text: '{"tags":[{"name":"Linus","weight":33}],"x":null}',
    expected: { tags: [{ name: 'Linus', weight: 33 }], x: null },
    rule: 'a complete document parses as JSON.parse does',
  },
];

/** A document with the hard parts: escapes, non-ASCII, nesting, numbers and literals everywhere. */
const TRICKY = JSON.stringify({
  title: 'Café "Noir" \\ review\n— ☕ 👩🏽‍🍳',
  points: ['Strong', 'Cheap, but \\u-ish', '', 'Line\tbreak'],
  score: -12.5e-1,
  ok: true,
  missing: null,
  nested: { list: [1, [2, [3, { deep: false }]]], empty: {}, none: [] },
});

const show = (value: unknown): string =>
  value === undefined ? 'undefined' : JSON.stringify(value);

function deepEqual(a: unknown, b: unknown): boolean {
  return show(a) === show(b) && typeof a === typeof b;
}

/** Whether `partial` can be (part of) `final`: strings may be cut short, everything else is exact. */
function consistent(partial: unknown, final: unknown): boolean {
  if (partial === undefined) return true;
  if (typeof partial === 'string') return typeof final === 'string' && final.startsWith(partial);
  if (partial === null || typeof partial !== 'object') return partial === final;
  if (Array.isArray(partial)) {
    if (!Array.isArray(final) || partial.length > final.length) return false;
    return partial.every((item, i) => consistent(item, final[i]));
  }
  if (!final || typeof final !== 'object' || Array.isArray(final)) return false;
  return Object.entries(partial).every(
    ([key, item]) =>
      Object.hasOwn(final, key) && consistent(item, (final as Record<string, unknown>)[key]),
  );
}

/** Prefixes of pretty-printed and `\u`-escaped JSON, as models write it, with their right answers. */
const LAYOUT_CASES: Case[] = [
  {
    text: '{\n  "title": "Aero',
    expected: { title: 'Aero' },
    rule: 'newlines and indentation between tokens are whitespace, like spaces',
  },
  {
    text: '{\n\t"score": 7\n',
    expected: { score: 7 },
    rule: 'a number followed by a newline is complete',
  },
  {
    text: '{\r\n  "points": [\r\n    "Fast",\r\n    ',
    expected: { points: ['Fast'] },
    rule: 'CRLF and indentation inside an array are whitespace',
  },
  {
    text: '{"name": "Caf\\u00e9 cr\\u00E8me',
    expected: { name: 'Café crème' },
    rule: 'a \\u escape (either case of hex) is the character it names',
  },
  {
    text: '{"mood": "ok \\ud83d',
    expected: { mood: 'ok ' },
    rule: 'a \\uD83D at the end of a cut string is the first half of a surrogate pair: drop it until its second half (\\uDE00) comes, or the page shows \uFFFD',
  },
  {
    text: '{"mood": "ok \\ud83d\\ude00',
    expected: { mood: 'ok 😀' },
    rule: 'two \\u escapes of a surrogate pair make one character',
  },
  {
    text: '{"path": "a\\/b\\bc\\fd\\re\\tf',
    expected: { path: 'a/b\bc\fd\re\tf' },
    rule: 'every JSON escape (\\/ \\b \\f \\r \\t) is the character it names',
  },
  {
    text: '{ "title" : "Aero" , "score" : 7 }\n',
    expected: { title: 'Aero', score: 7 },
    rule: 'whitespace may come before a colon, before a comma, and after the whole document',
  },
];

/** A review as a model writes it with `ensure_ascii`: indented, every non-ASCII character `\u`-escaped. */
const PRETTY = JSON.stringify(
  {
    title: 'Café crème 😀 review',
    points: ['Strong', 'Naïve price: 12.5 €', ''],
    score: 7,
    verdict: 'recommend',
    meta: { ok: true, none: null, list: [1, [2, { deep: false }]] },
  },
  null,
  2,
).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Whether a string anywhere in `value` ends in (or holds) half a surrogate pair. */
function halfCharacter(value: unknown): string | undefined {
  if (typeof value === 'string')
    return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)
      ? value
      : undefined;
  if (value && typeof value === 'object')
    for (const item of Object.values(value)) {
      const found = halfCharacter(item);
      if (found !== undefined) return found;
    }
  return undefined;
}

/** One Chat Completions chunk as an SSE event. */
const chunkEvent = (delta: object, finish: string | null = null): string =>
  chatChunkEvent(delta, { finish });

/**
 * A streamed `write_review` call whose arguments arrive in `pieces`, as SSE text: the role chunk, one
 * chunk per piece, then (unless `cut`) the `tool_calls` finish and `data: [DONE]`. `preamble` goes first.
 */
function toolCallSse(pieces: readonly string[], { cut = false, preamble = '' } = {}): string {
  const start = chunkEvent({
    role: 'assistant',
    content: null,
    tool_calls: [
      {
        index: 0,
        id: 'call_hand',
        type: 'function',
        function: { name: 'write_review', arguments: '' },
      },
    ],
  });
  const body = pieces
    .map((piece) => chunkEvent({ tool_calls: [{ index: 0, function: { arguments: piece } }] }))
    .join('');
  return preamble + start + body + (cut ? '' : chunkEvent({}, 'tool_calls') + 'data: [DONE]\n\n');
}

/** `text` cut at each of `cuts` (ascending offsets). */
function cutAt(text: string, cuts: readonly number[]): string[] {
  const ends = [...cuts, text.length];
  return ends.map((end, i) => text.slice(i === 0 ? 0 : ends[i - 1], end));
}

/**
 * A streamed tool call whose arguments are `PRETTY`'s review, cut so that one piece ends inside a `\u`
 * escape and another between the two escapes of a surrogate pair.
 */
function prettyToolCallStream(): { response: Response; args: string } {
  const args = PRETTY;
  const pair = args.indexOf('\\ud83d');
  const cuts = [8, args.indexOf('\\u00e9') + 4, pair + 6, pair + 9, pair + 20, args.length - 30];
  return { response: sseResponse(toolCallSse(cutAt(args, cuts))), args };
}

/** Calls the learner's parser, turning a throw into a failure that names the text. */
function parse(ctx: Ctx, text: string): unknown {
  try {
    return ctx.learner.parsePartialJson(text);
  } catch (error) {
    return fail(
      `parsePartialJson threw on ${JSON.stringify(text)} (${(error as Error).message}): every prefix of a valid document must parse`,
    );
  }
}

/** Every prefix of `document` must give a value that is part of the final one. */
function everyPrefix(ctx: Ctx, document: string): void {
  const final = JSON.parse(document) as unknown;
  for (let cut = 0; cut <= document.length; cut++) {
    const text = document.slice(0, cut);
    const got = parse(ctx, text);
    if (!consistent(got, final)) {
      fail(
        `for the prefix ${JSON.stringify(text.slice(-40))} (${cut} of ${document.length} characters) it returned ${show(got).slice(0, 120)}, which is not part of the final value: a number or literal at the end may still grow, and a key cut short is not a key`,
      );
    }
  }
  assert(
    deepEqual(parse(ctx, document), final),
    'the complete document did not parse to what JSON.parse gives',
  );
}

/** Runs `streamReview` under a scenario, collecting the previews and when each came. */
async function review(ctx: Ctx, scenario: string, knobs = '') {
  const bodies: string[] = [];
  const contentTypes: Array<string | null> = [];
  const reviewFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(
      input instanceof Request ? input : new URL(String(input), ctx.mockOrigin),
      init,
    );
    const body = await request.text();
    bodies.push(body);
    contentTypes.push(request.headers.get('content-type'));
    const path = new URL(request.url).pathname.replace(/^\/scenarios\/[^/]+/, '');
    return ctx.fetch(`${ctx.mockOrigin}/scenarios/${scenario}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-streamlab-knobs': knobs ? `${FAST},${knobs}` : FAST,
      },
      body,
      signal: request.signal,
    });
  }) as typeof fetch;
  const previews: Array<{ t: number; value: unknown }> = [];
  const result = await ctx.within(
    2_500,
    ctx.learner.streamReview(
      'the Aeropress coffee maker',
      (partial) =>
        previews.push({ t: ctx.now(), value: JSON.parse(JSON.stringify(partial)) as unknown }),
      { fetch: reviewFetch },
    ),
    'streamReview did not return within 2.5 s',
  );
  // The reference: the same request, unrecorded, its arguments joined and parsed.
  assert(bodies[0], 'streamReview never made a request');
  const response = await ctx.request('/v1/chat/completions', JSON.parse(bodies[0]), {
    record: false,
    scenario: 'default',
    headers: { 'x-streamlab-knobs': FAST },
  });
  let args = '';
  let pieces = 0;
  for (const event of await readSseEvents(response)) {
    if (event.data === '[DONE]') break;
    const chunk = JSON.parse(event.data) as {
      choices?: Array<{ delta?: { tool_calls?: Array<{ function?: { arguments?: string } }> } }>;
    };
    const piece = chunk.choices?.[0]?.delta?.tool_calls?.[0]?.function?.arguments;
    if (piece) {
      args += piece;
      pieces++;
    }
  }
  assert(
    pieces > 0,
    'the request did not ask for the write_review tool call: keep the tools and tool_choice',
  );
  const final = JSON.parse(args) as unknown;
  const end = ctx.attempts().at(-1)?.tEnd;
  return { result, previews, final, pieces, end, body: bodies[0], contentType: contentTypes[0] };
}

/** Runs `streamReview` on a hand-written response: what it returned or why it rejected, and its previews. */
async function reviewOf(ctx: Ctx, response: Response, what: string) {
  const previews: unknown[] = [];
  const outcome = await ctx.within(
    2_500,
    ctx.learner
      .streamReview(
        'the Aeropress coffee maker',
        (partial) =>
          previews.push(partial === undefined ? undefined : JSON.parse(JSON.stringify(partial))),
        { fetch: (async () => response) as unknown as typeof fetch },
      )
      .then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    `streamReview did not return or reject within 2.5 s after ${what}`,
  );
  return { outcome, previews };
}

/** Texts that cannot begin any JSON document, and what is wrong with each. */
const INVALID: Array<{ text: string; what: string }> = [
  { text: '{"title":"A"}}', what: 'text after the complete value' },
  { text: '{title:"A"}', what: 'a key without quotes' },
  { text: '{"title" "A"}', what: 'a key without its colon' },
  { text: '{"title"="A"}', what: 'a key followed by = instead of a colon' },
  { text: '{"title":"A\\q"}', what: 'an escape \\q that JSON does not have' },
  { text: '{"name":"\\u00zz"}', what: 'a \\u escape whose digits are not hex' },
  { text: '{"ok":tru}', what: 'a literal that is none of true, false and null' },
  { text: '{"points":[}', what: 'a bracket that closes nothing open' },
];

/** A review written with raw (not `\u`-escaped) non-ASCII text, for reads that cut characters in half. */
const UTF8_ARGS = JSON.stringify({
  title: 'Café crème — 😀 ☕ review',
  points: ['Grüße aus Köln', 'naïve, €12.50', '日本語のテキスト'],
  verdict: 'recommend',
});

/** What the request must ask for: the review's schema in strict mode, the tool forced. */
function requestProblem(body: string, contentType: string | null): string | undefined {
  if (!/^application\/json\b/i.test(contentType ?? '')) {
    return `the request's content-type was ${JSON.stringify(contentType)}, expected application/json: the API reads the body as JSON`;
  }
  const sent = JSON.parse(body) as {
    stream?: unknown;
    messages?: Array<{ role?: unknown; content?: unknown }>;
    tools?: Array<{ type?: unknown; function?: Record<string, unknown> }>;
    tool_choice?: { type?: unknown; function?: { name?: unknown } } | string;
  };
  if (sent.stream !== true) return `"stream" was ${show(sent.stream)}, expected true`;
  const user = sent.messages?.find((m) => m.role === 'user');
  if (typeof user?.content !== 'string' || !user.content.includes('the Aeropress coffee maker')) {
    return `no user message names the product: streamReview('the Aeropress coffee maker', …) sent ${show(sent.messages).slice(0, 120)}`;
  }
  const fn = sent.tools?.find((t) => t.function?.name === 'write_review')?.function;
  if (!fn) return 'no tool named write_review was offered';
  const schema = fn.parameters as
    | {
        type?: unknown;
        properties?: Record<string, { type?: unknown; items?: { type?: unknown }; enum?: unknown }>;
        required?: unknown;
        additionalProperties?: unknown;
      }
    | undefined;
  const props = schema?.properties ?? {};
  const verdicts = Array.isArray(props.verdict?.enum)
    ? [...(props.verdict.enum as string[])].sort()
    : [];
  const required = Array.isArray(schema?.required) ? (schema.required as string[]) : [];
  const schemaOk =
    schema?.type === 'object' &&
    props.title?.type === 'string' &&
    props.points?.type === 'array' &&
    props.points.items?.type === 'string' &&
    props.verdict?.type === 'string' &&
    verdicts.join() === 'avoid,neutral,recommend' &&
    ['title', 'points', 'verdict'].every((key) => required.includes(key)) &&
    schema.additionalProperties === false;
  if (!schemaOk) {
    return `write_review's parameters were ${show(schema).slice(0, 160)}: expected an object schema with title (string), points (array of strings) and verdict (recommend, neutral or avoid), all required, and additionalProperties false`;
  }
  if (fn.strict !== true) {
    return `write_review's "strict" was ${show(fn.strict)}, expected true: without strict mode the model may write arguments that do not match the schema`;
  }
  const choice = sent.tool_choice;
  if (
    typeof choice !== 'object' ||
    choice.type !== 'function' ||
    choice.function?.name !== 'write_review'
  ) {
    return `"tool_choice" was ${show(choice)}, expected {"type":"function","function":{"name":"write_review"}}: without it the model may answer in text instead of calling the tool`;
  }
  return undefined;
}

export default defineChecks<typeof Solution>([
  {
    id: 'parses-prefixes',
    name: 'Parses prefixes by the rules',
    scenario: 'default',
    run(ctx) {
      for (const { text, expected, rule } of CASES) {
        const got = parse(ctx, text);
        if (!deepEqual(got, expected)) {
          fail(`${JSON.stringify(text)} gave ${show(got)}, expected ${show(expected)}: ${rule}`);
        }
      }
    },
  },
  {
    id: 'renders-progressively',
    name: 'Shows the review while it streams',
    scenario: 'default',
    async run(ctx) {
      const { result, previews, final, pieces } = await review(ctx, 'default', 'tps=400');
      assert(
        previews.length > 1,
        `onPreview was called ${previews.length} time(s) for ${pieces} pieces of arguments: call it after every piece with the partial object, not only once the JSON is complete`,
      );
      for (const preview of previews) {
        if (!consistent(preview.value, final)) {
          fail(
            `a preview showed ${show(preview.value).slice(0, 100)}, which is not part of the final review: never show a value that may still change as if it were final`,
          );
        }
      }
      const halfway = previews.filter((p) => Object.keys(p.value as object).length > 0);
      assert(
        halfway.length > 1,
        'the previews stayed empty until the end: parse the partial arguments so fields appear as they stream',
      );
      assert(
        deepEqual(result, final),
        `streamReview returned ${show(result).slice(0, 100)}, not the complete review ${show(final).slice(0, 100)}`,
      );
    },
  },
  {
    id: 'every-prefix-real',
    name: 'Every prefix of a real tool call gives part of the final object',
    hidden: true,
    scenario: 'default',
    condition: 'each prefix of the mock’s review arguments',
    async run(ctx) {
      const { final } = await review(ctx, 'default');
      everyPrefix(ctx, JSON.stringify(final));
    },
  },
  {
    id: 'every-prefix-tricky',
    name: 'Every prefix of a tricky document gives part of the final value',
    hidden: true,
    scenario: 'default',
    condition: 'escapes, emoji, nesting, numbers and literals cut at every character',
    run: (ctx) => everyPrefix(ctx, TRICKY),
  },
  {
    id: 'fragmented-stream',
    name: 'Renders progressively when reads split events',
    hidden: true,
    scenario: 'fragmented',
    condition: 'SSE events split across reads',
    async run(ctx) {
      const { result, previews, final } = await review(ctx, 'fragmented', 'read_gap_ms=0');
      assert(previews.length > 1, 'onPreview was called at most once');
      for (const preview of previews) {
        assert(
          consistent(preview.value, final),
          `a preview showed ${show(preview.value).slice(0, 100)}, which is not part of the final review`,
        );
      }
      assert(deepEqual(result, final), 'streamReview did not return the complete review');
    },
  },
  {
    id: 'pretty-and-escaped',
    name: 'Parses pretty-printed JSON and \\u escapes, even split',
    hidden: true,
    scenario: 'default',
    condition:
      'indented JSON with newlines, and \\u escapes (a surrogate pair) split across pieces',
    async run(ctx) {
      for (const { text, expected, rule } of LAYOUT_CASES) {
        let got: unknown;
        try {
          got = ctx.learner.parsePartialJson(text);
        } catch (error) {
          fail(
            `parsePartialJson threw on ${JSON.stringify(text)} (${(error as Error).message}), which is the start of a valid document. Likely cause: ${/[\n\r\t]/.test(text) ? 'only spaces are skipped between tokens; newlines, tabs and \\r are whitespace too' : 'the \\u escape is not decoded; read its four hex digits as one UTF-16 code unit'}`,
          );
        }
        if (!deepEqual(got, expected))
          fail(`${JSON.stringify(text)} gave ${show(got)}, expected ${show(expected)}: ${rule}`);
      }
      everyPrefix(ctx, PRETTY);
      const { response, args } = prettyToolCallStream();
      const previews: unknown[] = [];
      const result = await ctx.within(
        2_500,
        ctx.learner.streamReview(
          'the Aeropress coffee maker',
          (partial) => previews.push(JSON.parse(JSON.stringify(partial)) as unknown),
          { fetch: (async () => response) as unknown as typeof fetch },
        ),
        'streamReview did not return after a stream of indented, \\u-escaped arguments',
      );
      const final = JSON.parse(args) as unknown;
      for (const preview of previews) {
        const half = halfCharacter(preview);
        if (half !== undefined)
          fail(
            `the tool call's arguments were cut between the two \\u escapes of a surrogate pair (\\ud83d, then \\ude00 in the next piece), and a preview showed ${show(half)}, half a character (the page shows \uFFFD). Likely cause: the first \\u escape of a pair is kept at the end of a cut string; drop a lone \\uD800-\\uDBFF at the end until its second half comes`,
          );
        if (!consistent(preview, final))
          fail(
            `a preview of the indented, \\u-escaped arguments showed ${show(preview).slice(0, 100)}, which is not part of the final review`,
          );
      }
      if (!deepEqual(result, final))
        fail(
          `streamReview returned ${show(result).slice(0, 100)} for indented, \\u-escaped arguments, not ${show(final).slice(0, 100)}`,
        );
    },
  },
  {
    id: 'asks-for-the-tool',
    name: 'Asks for the review as a forced, strict tool call',
    hidden: true,
    scenario: 'default',
    condition: 'the request streamReview sends',
    async run(ctx) {
      const { body, contentType } = await review(ctx, 'default');
      const problem = requestProblem(body ?? '', contentType ?? null);
      if (problem) fail(`${problem}. Likely cause: the request was changed from the starter's`);
    },
  },
  {
    id: 'rejects-invalid',
    name: 'Throws on text that cannot be JSON',
    hidden: true,
    scenario: 'default',
    condition: 'text that cannot begin any JSON document',
    run(ctx) {
      for (const { text, what } of INVALID) {
        let got: unknown;
        try {
          got = ctx.learner.parsePartialJson(text);
        } catch {
          continue;
        }
        fail(
          `parsePartialJson(${JSON.stringify(text)}) returned ${show(got)}, but no JSON document starts that way (${what}): expected it to throw. Likely cause: the parser skips, or stops quietly at, a character it does not expect; throw a SyntaxError saying where, so a broken answer is never shown as a partial one`,
        );
      }
    },
  },
  {
    id: 'split-character',
    name: 'Keeps characters split across reads intact',
    hidden: true,
    scenario: 'default',
    condition:
      'raw UTF-8 arguments (é, —, 😀, 日本語) in 5-byte reads, so characters are cut between reads, after a first chunk with empty choices and a comment line',
    async run(ctx) {
      const pieces = cutAt(UTF8_ARGS, [1, 9, 23, 40, 58, 77, 90]);
      const preamble =
        ': keep-alive\n\n' +
        `data: ${JSON.stringify({ ...chatChunk({}), choices: [], prompt_filter_results: [] })}\n\n`;
      const response = sseResponse(toolCallSse([' ', ...pieces], { preamble }), 5);
      const { outcome, previews } = await reviewOf(
        ctx,
        response,
        'a stream read 5 bytes at a time',
      );
      if (!outcome.ok)
        fail(
          `streamReview rejected (${String((outcome.error as Error)?.message ?? outcome.error).slice(0, 120)}) on a valid stream read 5 bytes at a time, whose arguments start with a space, after a first chunk with "choices": [] and a ": keep-alive" comment. Likely cause: a chunk without choices, a comment line, or a preview of arguments with no value yet (undefined) is not skipped`,
        );
      const final = JSON.parse(UTF8_ARGS) as unknown;
      for (const preview of previews) {
        if (preview === null || typeof preview !== 'object')
          fail(
            `onPreview was called with ${show(preview)} while the arguments held only a space: expected it to be called only with an object. Likely cause: the preview is passed on without checking that the parser found a value yet`,
          );
        if (show(preview).includes('\uFFFD'))
          fail(
            `a preview showed ${show(preview).slice(0, 100)}: a character cut between two reads came out as U+FFFD (\uFFFD). Likely cause: each read is decoded on its own; keep one TextDecoder and decode with { stream: true }`,
          );
        if (!consistent(preview, final))
          fail(
            `a preview showed ${show(preview).slice(0, 100)}, which is not part of the final review ${show(final).slice(0, 100)}`,
          );
      }
      if (!deepEqual(outcome.value, final))
        fail(
          `streamReview returned ${show(outcome.value).slice(0, 100)}, expected ${show(final).slice(0, 100)}. Likely cause: each read is decoded on its own; keep one TextDecoder and decode with { stream: true }`,
        );
    },
  },
  {
    id: 'final-is-strict',
    name: 'Rejects a cut stream and arguments that are not a review',
    hidden: true,
    scenario: 'default',
    condition:
      'a stream closed cleanly in the middle of the arguments, without [DONE]; arguments that are JSON but not a review; a server that keeps the connection open after [DONE]',
    async run(ctx) {
      const cut = sseResponse(toolCallSse(cutAt(UTF8_ARGS.slice(0, 60), [20, 40]), { cut: true }));
      const cutRun = await reviewOf(
        ctx,
        cut,
        'a stream closed cleanly in the middle of the arguments',
      );
      if (cutRun.outcome.ok)
        fail(
          `the stream was closed cleanly after 60 of the arguments' ${UTF8_ARGS.length} characters, with no finish_reason and no data: [DONE], and streamReview returned ${show(cutRun.outcome.value).slice(0, 100)}: expected it to reject. Likely cause: the end of the body is taken for the end of the answer; only [DONE] (after the arguments are complete) is`,
        );
      const wrong = [
        { args: '{"title":42,"points":["Fast"],"verdict":"recommend"}', what: 'a number as title' },
        {
          args: '{"title":"Aeropress","points":"Fast","verdict":"recommend"}',
          what: 'a string as points',
        },
      ];
      for (const { args, what } of wrong) {
        const run = await reviewOf(ctx, sseResponse(toolCallSse([args])), `arguments with ${what}`);
        if (run.outcome.ok)
          fail(
            `the arguments were ${args}, valid JSON with ${what}, and streamReview returned them: expected it to reject, as they are not a review. Likely cause: the parsed arguments are trusted without checking their shape (title a string, points an array)`,
          );
      }
      const held = holdOpen(sseResponse(toolCallSse(cutAt(UTF8_ARGS, [30]))));
      const heldRun = await reviewOf(
        ctx,
        held.response,
        'data: [DONE] on a connection the server kept open',
      );
      if (!heldRun.outcome.ok)
        fail(
          `streamReview rejected a complete stream (${String((heldRun.outcome.error as Error)?.message).slice(0, 100)})`,
        );
      if (!held.cancelled())
        fail(
          `the server kept the connection open after data: [DONE]; streamReview returned but left the response body open. Likely cause: the reader is not cancelled at [DONE]; call reader.cancel() (or leave the for await loop) so the connection is released`,
        );
    },
  },
  {
    id: 'http-error',
    name: 'Rejects an HTTP error, naming it',
    hidden: true,
    scenario: 'default',
    condition: 'a 429 rate-limit answer (a JSON error body, no stream)',
    async run(ctx) {
      const limited = rateLimitedResponse('openai', {
        message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3.',
      });
      const { outcome } = await reviewOf(ctx, limited, 'a 429 answer');
      if (outcome.ok)
        fail(
          `the API answered 429 with a JSON error body, and streamReview returned ${show(outcome.value).slice(0, 100)}: expected it to reject`,
        );
      const message = String((outcome.error as Error)?.message ?? outcome.error);
      if (!/429|rate.?limit/i.test(message))
        fail(
          `the API answered 429 (rate limit) with a JSON error body, and streamReview rejected with ${JSON.stringify(message.slice(0, 120))}, which names neither the status nor the rate limit. Likely cause: response.ok is not checked, so the error body is read as a stream that never sends [DONE]; throw on !response.ok, naming the status`,
        );
    },
  },
]);
