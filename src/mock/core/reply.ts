/**
 * The reply generator: deterministic text about the last user message, cut into token-sized pieces, and
 * tool-call arguments generated from each tool's JSON Schema. Provider modules turn a `ReplyPlan` into
 * their own wire format, so the three APIs say exactly the same thing for the same question.
 */
import { createPrng, hashString, type Prng } from './prng.ts';
import { thinkingText } from './reasoning.ts';
import type { ReplyKind } from './scenarios/scenario.ts';

/** A tool the request offers, reduced to what the generator needs. */
export interface OfferedTool {
  name: string;
  /** JSON Schema of the arguments (`parameters` / `input_schema`), if any. */
  schema?: unknown;
}

/** `auto`: may call; `required`: must call some tool; `none`: must not; `{ name }`: must call that one. */
export type ToolChoice = 'auto' | 'required' | 'none' | { name: string };

/** What a provider extracted from a validated request. */
export interface ReplyRequest {
  /** Text of the last user turn (empty when there is none). */
  lastUserText: string;
  /** Set when the last turn returns tool results: the reply then answers in text, using them. */
  toolResultText?: string;
  /** All prompt text, for usage counts. */
  promptText: string;
  tools: OfferedTool[];
  toolChoice: ToolChoice;
  /** false when the request forbids parallel tool calls. */
  parallelToolCalls: boolean;
  /** `max_tokens` / `max_completion_tokens` / `max_output_tokens`. */
  maxTokens?: number;
  /**
   * Structured output asked for (`response_format`, `text.format`, `output_config.format`): the text
   * reply is then a JSON document, generated from `schema` when there is one.
   */
  responseFormat?: ResponseFormat;
  /**
   * Set when the request asks a reasoning model to think first (Anthropic `thinking`, Responses
   * `reasoning`, Chat `reasoning_effort`): the reply then starts with thinking that counts as output.
   */
  reasoning?: boolean;
}

/** `json_schema`: a value of the schema; `json_object`: any JSON object (`{"answer": ...}` here). */
export type ResponseFormat = { type: 'json_schema'; schema: unknown } | { type: 'json_object' };

export interface ToolCallPlan {
  name: string;
  /** The complete arguments as a JSON string. */
  arguments: string;
  /** The same string cut into token-sized fragments, in order. */
  fragments: string[];
  /** Stable per-request id suffix (providers add `call_`, `toolu_`, `fc_`). */
  idSuffix: string;
}

/** A provider-neutral reply. */
export interface ReplyPlan {
  kind: 'text' | 'tools' | 'refusal';
  /** Text pieces (text and refusal replies); joined they are the whole answer. */
  tokens: string[];
  toolCalls: ToolCallPlan[];
  /** true when `maxTokens` cut the text. */
  truncated: boolean;
  inputTokens: number;
  outputTokens: number;
  /** A stable hex id for the reply (from the request), used in provider ids. */
  id: string;
  /**
   * The thinking before the answer, in token-sized pieces (empty when none was asked for). Its tokens
   * are part of `outputTokens`, as every API bills them.
   */
  reasoning: string[];
  /** true when the thinking is redacted (Anthropic sends a `redacted_thinking` block instead). */
  reasoningRedacted: boolean;
}

const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
const WORD = /^[\p{L}\p{N}'’][\p{M}]*$/u;
const WIDE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

// Plain ASCII without CR takes the fast tokenizer path; control characters are part of the range on purpose.
// eslint-disable-next-line no-control-regex
const ASCII_NO_CR = /^[\x00-\x0c\x0e-\x7f]*$/;
const ASCII_TOKEN = /\n|[^\S\n]*(?:[A-Za-z0-9']{1,6}|[^\sA-Za-z0-9'])|[^\S\n]+/g;

/**
 * Cuts text into token-sized pieces the way a BPE tokenizer roughly does: a word with its leading
 * space, long words in pieces of up to 6 characters, punctuation alone, each CJK character and emoji
 * alone (grapheme clusters are never split, so pieces are always valid strings).
 */
export function tokenize(text: string): string[] {
  // Plain ASCII (most answers) takes a regex path: the same pieces, without grapheme segmentation,
  // which is the most expensive step of a request.
  if (ASCII_NO_CR.test(text)) return text.match(ASCII_TOKEN) ?? [];
  return tokenizeGraphemes(text);
}

/** The general path of `tokenize`, by grapheme clusters (exported for tests). */
export function tokenizeGraphemes(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let curWordLen = 0;
  const flush = (): void => {
    if (cur) out.push(cur);
    cur = '';
    curWordLen = 0;
  };
  for (const { segment: g } of segmenter.segment(text)) {
    if (g === '\n' || g === '\r\n') {
      flush();
      out.push(g);
    } else if (/^\s+$/u.test(g)) {
      if (curWordLen > 0 || (cur && !/^\s*$/u.test(cur))) flush();
      cur += g;
    } else if (WORD.test(g) && !WIDE.test(g)) {
      if (curWordLen >= 6 || (cur && curWordLen === 0 && !/^\s*$/u.test(cur))) flush();
      cur += g;
      curWordLen++;
    } else {
      // Punctuation, CJK, emoji: one piece each, taking any pending leading space with it.
      if (curWordLen > 0) flush();
      cur += g;
      flush();
    }
  }
  flush();
  return out;
}

/** Roughly how many tokens `text` costs (4 characters per token, as providers document). */
export const countTokens = (text: string): number =>
  text ? Math.max(1, Math.ceil(text.length / 4)) : 0;

/** A short, quotable topic from the user's words. */
function topicOf(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 0) return 'your question';
  const topic = words
    .slice(0, 8)
    .join(' ')
    .replace(/[?.!,;:]+$/u, '');
  return words.length > 8 ? `${topic}…` : topic;
}

const OPENERS = [
  (t: string) => `Good question about "${t}".`,
  (t: string) => `You asked about "${t}".`,
  (t: string) => `Here is a short answer about "${t}".`,
];
const BODIES = [
  'The short version: start with the simplest approach that works, then measure it. Most of the trouble hides in the edge cases, so test those on purpose. Keep the result easy to check, so you notice quickly when something changes.',
  'In brief: it depends on what you need, but three things usually matter most. Be clear about the goal, handle the unusual cases early, and keep each step small enough to verify on its own.',
  'Put simply: break the problem into small parts, solve the easiest one first, and check each result before moving on. When something fails, read the error closely; it usually says what went wrong and where.',
];
const CLOSERS = [
  'Want me to go deeper into any of these points?',
  'I can show an example if that helps.',
  'Tell me more about your case and I can be more specific.',
];

function defaultText(rng: Prng, question: string): string {
  const t = topicOf(question);
  return `${rng.pick(OPENERS)(t)} ${rng.pick(BODIES)} ${rng.pick(CLOSERS)}`;
}

function longText(rng: Prng, question: string): string {
  const t = topicOf(question);
  const parts = [`Here is a detailed answer about "${t}", in sections.`];
  for (let i = 1; i <= 30; i++) {
    parts.push(
      `\n\n${i}. Point ${i}. ${BODIES[(i + rng.int(0, 2)) % BODIES.length]} ${BODIES[(i + 1) % BODIES.length]} In step ${i}, write down what you expect before you run anything, and compare afterwards.`,
    );
  }
  parts.push('\n\nThat is the whole overview.');
  return parts.join('');
}

function unicodeText(question: string): string {
  return (
    `About "${topicOf(question)}" in many scripts: ` +
    '日本語: ストリーミングは少しずつ届きます。 中文：流式响应逐块到达。 한국어: 스트리밍 응답. ' +
    'Emoji: 👋🏽 👩‍💻 🧑‍🤝‍🧑 🇯🇵 ❤️‍🔥 ✅. ' +
    'Combining marks: cafe\u0301, n\u0303, a\u0308, Z\u0351\u0352\u0353. ' +
    'العربية: مرحبا بالعالم. Ελληνικά: γειά σου. Math: ∑ x² ≤ ∞ → 𝔽.'
  );
}

function toolResultText(rng: Prng, question: string, result: string): string {
  const short = result.replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${rng.pick(['Done.', 'All set.', 'Here you go.'])} Based on the tool result (${short}), the answer to "${topicOf(question)}" is ready. ${rng.pick(CLOSERS)}`;
}

/** The JSON document of a structured-output reply. */
function structuredText(rng: Prng, question: string, format: ResponseFormat): string {
  if (format.type === 'json_object') return JSON.stringify({ answer: topicOf(question) });
  return JSON.stringify(generateFromSchema(format.schema, rng, question));
}

const REFUSAL = "I'm sorry, but I can't help with that request.";

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A deterministic alphanumeric id of `length` characters. */
export function makeId(rng: Prng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[rng.int(0, ALNUM.length - 1)];
  return s;
}

/**
 * Builds the reply for a request. `seed` comes from the request itself, so the same request always
 * gets the same reply (with or without `stream`, and whatever the transport scenario).
 */
export function planReply(
  req: ReplyRequest,
  options: { kind: ReplyKind; seed: number; replyTokens?: number; redactThinking?: boolean },
): ReplyPlan {
  const thinking = req.reasoning
    ? tokenize(thinkingText(topicOf(req.lastUserText), options.seed))
    : [];
  const budget = req.maxTokens;
  // Thinking spends the output budget first: a small max_tokens can end the reply inside it.
  if (budget !== undefined && thinking.length >= budget) {
    return {
      kind: 'text',
      tokens: [],
      toolCalls: [],
      truncated: true,
      inputTokens: countTokens(req.promptText),
      outputTokens: budget,
      id: replyId(options.seed),
      reasoning: thinking.slice(0, budget),
      reasoningRedacted: options.redactThinking === true,
    };
  }
  const answer = planAnswer(
    { ...req, maxTokens: budget === undefined ? undefined : budget - thinking.length },
    options,
  );
  return {
    ...answer,
    outputTokens: answer.outputTokens + thinking.length,
    reasoning: thinking,
    reasoningRedacted: options.redactThinking === true && thinking.length > 0,
  };
}

/** A reply's hex id: 8 hex digits of `hash`, then 16 characters drawn from `rng`. */
export function replyIdFrom(hash: number, rng: Prng): string {
  return (hash >>> 0).toString(16).padStart(8, '0') + makeId(rng, 16);
}

function replyId(seed: number): string {
  return replyIdFrom(hashString(String(seed)), createPrng(seed));
}

/** The answer itself, after any thinking. */
function planAnswer(
  req: ReplyRequest,
  options: { kind: ReplyKind; seed: number; replyTokens?: number },
): Omit<ReplyPlan, 'reasoning' | 'reasoningRedacted'> {
  const rng = createPrng(options.seed);
  const id = replyIdFrom(hashString(String(options.seed)), rng);
  const inputTokens = countTokens(req.promptText);
  const choice = req.toolChoice;
  const mustCall = choice === 'required' || typeof choice === 'object';
  const mayCall = req.tools.length > 0 && choice !== 'none';
  if (options.kind !== 'refusal' && mayCall && (mustCall || req.toolResultText === undefined)) {
    let chosen: OfferedTool[];
    if (typeof choice === 'object') {
      const named = req.tools.find((t) => t.name === choice.name);
      chosen = named ? [named] : [req.tools[0]!];
    } else {
      chosen = req.parallelToolCalls ? req.tools.slice(0, 3) : [req.tools[0]!];
    }
    const toolCalls = chosen.map((tool) => {
      const args = JSON.stringify(generateFromSchema(tool.schema, rng, req.lastUserText));
      return {
        name: tool.name,
        arguments: args,
        fragments: cutFragments(args),
        idSuffix: makeId(rng, 24),
      };
    });
    const outputTokens = toolCalls.reduce((n, c) => n + c.fragments.length + 4, 0);
    return {
      kind: 'tools',
      tokens: [],
      toolCalls,
      truncated: false,
      inputTokens,
      outputTokens,
      id,
    };
  }
  let text: string;
  if (options.kind === 'refusal') text = REFUSAL;
  else if (req.responseFormat) text = structuredText(rng, req.lastUserText, req.responseFormat);
  else if (req.toolResultText !== undefined)
    text = toolResultText(rng, req.lastUserText, req.toolResultText);
  else if (options.kind === 'long') text = longText(rng, req.lastUserText);
  else if (options.kind === 'unicode') text = unicodeText(req.lastUserText);
  else text = defaultText(rng, req.lastUserText);
  let tokens = tokenize(text);
  // A structured reply keeps its natural length: repeating it would no longer be one JSON document.
  if (options.replyTokens && options.replyTokens > 0 && !req.responseFormat) {
    // Repeat the answer until it is long enough, then cut: a knob-sized reply for load tests.
    // Tokenized once and appended in place: linear in the length (a concat per repeat was quadratic,
    // 13 s for 100,000 tokens).
    const again = tokenize(' ' + text);
    const want = options.replyTokens;
    const out = tokens.slice(0, want);
    for (let i = 0; out.length < want; i = (i + 1) % again.length) out.push(again[i]!);
    tokens = out;
  }
  let truncated = false;
  if (req.maxTokens !== undefined && tokens.length > req.maxTokens) {
    tokens = tokens.slice(0, req.maxTokens);
    truncated = true;
  }
  return {
    kind: options.kind === 'refusal' ? 'refusal' : 'text',
    tokens,
    toolCalls: [],
    truncated,
    inputTokens,
    outputTokens: tokens.length,
    id,
  };
}

/** Cuts a JSON string into fragments of 1..5 characters, deterministic for a given string. */
function cutFragments(json: string): string[] {
  const rng = createPrng(hashString(json));
  const out: string[] = [];
  for (let i = 0; i < json.length;) {
    const n = rng.int(1, 5);
    out.push(json.slice(i, i + n));
    i += n;
  }
  return out;
}

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Generates a value satisfying a JSON Schema (the subset tool definitions use): `type` (also as an
 * array, with `null`), `enum`, `const`, `default`, `properties` + `required`, `items` + `minItems`,
 * string `format`/`minLength`/`maxLength`/`pattern`-free text, number `minimum`/`maximum`, `anyOf`/`oneOf`/
 * `allOf` (first branch / merged), local `$ref` (`#/$defs/...`, `#/definitions/...`).
 */
export function generateFromSchema(
  input: unknown,
  rng: Prng,
  hint = '',
  root: unknown = input,
  key = '',
  depth = 0,
): unknown {
  if (!isObj(input) || depth > 8) return {};
  const schema = withDescribedLimits(input);
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    let target: unknown = root;
    for (const part of schema.$ref.slice(2).split('/'))
      target = isObj(target) ? target[part] : undefined;
    return generateFromSchema(target, rng, hint, root, key, depth + 1);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return rng.pick(schema.enum);
  if ('default' in schema && schema.default !== undefined) return schema.default;
  for (const k of ['anyOf', 'oneOf'] as const) {
    const branches = schema[k];
    if (Array.isArray(branches) && branches.length > 0) {
      const nonNull = branches.find((b) => !(isObj(b) && b.type === 'null')) ?? branches[0];
      return generateFromSchema(nonNull, rng, hint, root, key, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = {};
    for (const part of schema.allOf) {
      if (!isObj(part)) continue;
      Object.assign(merged, part, {
        properties: {
          ...(isObj(merged.properties) ? merged.properties : {}),
          ...(isObj(part.properties) ? part.properties : {}),
        },
        required: [
          ...(Array.isArray(merged.required) ? merged.required : []),
          ...(Array.isArray(part.required) ? part.required : []),
        ],
      });
    }
    return generateFromSchema(merged, rng, hint, root, key, depth + 1);
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
  if (type === undefined)
    type = isObj(schema.properties) ? 'object' : schema.items ? 'array' : 'string';
  switch (type) {
    case 'null':
      return null;
    case 'boolean':
      return rng.next() < 0.5;
    case 'integer':
    case 'number': {
      const min =
        typeof schema.minimum === 'number'
          ? schema.minimum
          : typeof schema.exclusiveMinimum === 'number'
            ? schema.exclusiveMinimum + 1
            : 1;
      const max =
        typeof schema.maximum === 'number'
          ? schema.maximum
          : typeof schema.exclusiveMaximum === 'number'
            ? schema.exclusiveMaximum - 1
            : Math.max(min, 100);
      const lo = Math.ceil(min);
      const hi = Math.max(lo, Math.floor(max));
      return type === 'integer'
        ? rng.int(lo, hi)
        : Math.round((min + rng.next() * (max - min)) * 100) / 100;
    }
    case 'array': {
      // Two or three items unless the schema says otherwise: enough to see a list grow.
      const hi = typeof schema.maxItems === 'number' ? Math.max(0, schema.maxItems) : Infinity;
      const lo = Math.min(hi, typeof schema.minItems === 'number' ? schema.minItems : 2);
      const n = rng.int(lo, Math.min(hi, Math.max(lo, 3)));
      return Array.from({ length: n }, () =>
        generateFromSchema(schema.items ?? {}, rng, hint, root, key, depth + 1),
      );
    }
    case 'object': {
      const props = isObj(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required)
        ? schema.required.filter((r): r is string => typeof r === 'string')
        : [];
      const keys = required.length > 0 ? required : Object.keys(props);
      const out: Record<string, unknown> = {};
      for (const k of keys)
        out[k] = generateFromSchema(props[k] ?? {}, rng, hint, root, k, depth + 1);
      return out;
    }
    default:
      return stringFor(schema, rng, hint, key);
  }
}

/** Short, topic-neutral sentences for free-text fields of generated objects. */
const PHRASES = [
  'Easy to get started with.',
  'Works well for everyday use.',
  'A few details take practice to get right.',
  'Consistent results from one use to the next.',
  'Good value for what it does.',
  'Small enough to take anywhere.',
  'Cleaning up afterwards is quick.',
];

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const LIMIT_IN_TEXT =
  /\b(minimum|maximum|exclusiveMinimum|exclusiveMaximum|minLength|maxLength|minItems|maxItems)\s*:\s*(-?\d+(?:\.\d+)?)/g;

/**
 * Limits a schema states only in its `description`, taken as a model would read them. Helpers that
 * target APIs without numeric constraints (Anthropic's `zodOutputFormat`) move `minimum: 1` and the
 * like into the description.
 */
function withDescribedLimits(schema: Schema): Schema {
  if (typeof schema.description !== 'string') return schema;
  let out = schema;
  for (const [, key, value] of schema.description.matchAll(LIMIT_IN_TEXT))
    if (!(key! in out)) out = { ...out, [key!]: Number(value) };
  return out;
}

function stringFor(schema: Schema, rng: Prng, hint: string, key: string): string {
  const byFormat: Record<string, string> = {
    date: '2025-06-01',
    'date-time': '2025-06-01T12:00:00Z',
    time: '12:00:00',
    email: 'ada@example.com',
    uri: 'https://example.com/',
    url: 'https://example.com/',
    uuid: '123e4567-e89b-42d3-a456-426614174000',
  };
  let s: string;
  const asked = fromPrompt(schema, hint, key);
  if (asked !== undefined) s = asked;
  else if (typeof schema.format === 'string' && byFormat[schema.format])
    s = byFormat[schema.format]!;
  else if (/city|location|place|town/i.test(key))
    s = rng.pick(['Paris', 'Tokyo', 'Lisbon', 'Nairobi']);
  else if (/unit/i.test(key)) s = 'celsius';
  else if (/lang/i.test(key)) s = 'en';
  else if (/name/i.test(key)) s = rng.pick(['Ada', 'Grace', 'Linus']);
  else if (/query|question|text|prompt|topic|search/i.test(key)) s = topicOf(hint);
  else if (/title|headline|subject|heading/i.test(key)) s = capitalize(topicOf(hint));
  else if (
    /summary|description|explanation|reason|comment|note|point|pro|con|step|tip|detail/i.test(key)
  )
    s = rng.pick(PHRASES);
  else s = key ? `${key}-${rng.int(1, 99)}` : 'value';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (s.length < min) s += 'x';
  return s.slice(0, max);
}

/** Words that start sentences or questions, never a place or a name. */
const NOT_A_NAME = new Set(
  'What Whats How Why When Where Who Which Is Are Can Could Would Will Should Do Does Please Tell Show Find Get Give I The A An And Or In At For To From On Weather Today Tomorrow'.split(
    ' ',
  ),
);

/**
 * A value for a string field taken from the user's question, as a model would: a place after
 * "in/at/for/near/to/from" for city/location fields, a capitalized name after "named/called", an
 * email or an ISO date where the format asks for one, an enum value the question mentions, a unit
 * the question names. `undefined` when the question has none.
 */
export function fromPrompt(schema: Schema, question: string, key: string): string | undefined {
  if (!question) return undefined;
  if (Array.isArray(schema.enum)) {
    const lower = question.toLowerCase();
    const hit = schema.enum.find(
      (v) => typeof v === 'string' && v && lower.includes(v.toLowerCase()),
    );
    return typeof hit === 'string' ? hit : undefined;
  }
  if (schema.format === 'email') return /[\w.+-]+@[\w-]+(\.[\w-]+)+/.exec(question)?.[0];
  if (schema.format === 'date') return /\b\d{4}-\d{2}-\d{2}\b/.exec(question)?.[0];
  const proper = "\\p{Lu}[\\p{L}'’-]*";
  const name = `${proper}(?:\\s+${proper})*`;
  const pick = (re: RegExp): string | undefined => {
    for (const m of question.matchAll(re)) {
      const words = m[1]!.split(/\s+/).filter((w) => !NOT_A_NAME.has(w));
      if (words.length) return words.join(' ');
    }
    return undefined;
  };
  if (/city|location|place|town|country|region|destination|where/i.test(key))
    return (
      pick(new RegExp(`\\b(?:in|at|for|near|to|from|of)\\s+(${name})`, 'gu')) ??
      pick(new RegExp(`(?<!^)(?<![.?!]\\s)\\b(${name})`, 'gu'))
    );
  if (/unit/i.test(key))
    return /\b(fahrenheit|celsius|kelvin|metric|imperial)\b/i.exec(question)?.[1]?.toLowerCase();
  if (/name/i.test(key)) return pick(new RegExp(`\\b(?:named|called|for|to)\\s+(${name})`, 'gu'));
  return undefined;
}
