/**
 * Knobs: the numbers that shape how a scenario streams. Each scenario sets its own defaults; a request
 * overrides any of them (see `parseKnobOverrides`) through, in increasing priority:
 *  1. a path segment before `/v1`: `/knobs/ttft_ms=0,tps=200/v1/...` (works as part of any SDK base URL),
 *  2. the header `x-streamlab-knobs: ttft_ms=0,tps=200`,
 *  3. the query string of the final URL: `/v1/chat/completions?ttft_ms=0&tps=200` (handy with curl).
 */
import { clip } from './clip.ts';

export interface Knobs {
  /** Milliseconds from the response headers to the first token-carrying event. */
  ttft_ms: number;
  /** Tokens per second after the first token. */
  tps: number;
  /** Each event's send time moves by a seeded random amount in [-jitter_ms, +jitter_ms]. */
  jitter_ms: number;
  /** How many reply tokens one delta event carries. */
  tokens_per_event: number;
  /** 0: every event in one read; 1: one byte per read; N > 1: seeded random reads of 1..N bytes that cross event boundaries. */
  max_read_bytes: number;
  /** Milliseconds between two reads of one split event (0: consecutive chunks without a pause). */
  read_gap_ms: number;
  /** 1: end lines with CRLF instead of LF. */
  crlf: number;
  /** 1: put an SSE comment line between events (and every `heartbeat_ms` while waiting). */
  heartbeat: number;
  /** Interval of heartbeat comments while waiting for the next event. */
  heartbeat_ms: number;
  /** For fail-then-succeed scenarios: how many attempts of a run fail before one succeeds. */
  fail_attempts: number;
  /** `retry-after-ms` on 429/500/503/529 answers (`retry-after` is this rounded up to seconds). */
  retry_after_ms: number;
  /** How long `stall` stays silent before dropping the connection. */
  stall_ms: number;
  /** 1: fault scenarios fail before the stream (HTTP status); 0: inside it (error event). Used by `overloaded`. */
  before_stream: number;
  /** Reply length in tokens for a plain text answer, 0 = the natural length of the generated answer. */
  reply_tokens: number;
  /** How long a batch (`/v1/batches`, `/v1/messages/batches`) created by this request takes to finish. */
  batch_ms: number;
  /** 1: add a comment `: sched <ms>` before each event with its scheduled offset from the headers (for benchmarks). */
  trace: number;
}

/** Defaults of the `default` scenario; other scenarios override some. */
export const DEFAULT_KNOBS: Readonly<Knobs> = Object.freeze({
  ttft_ms: 250,
  tps: 50,
  jitter_ms: 0,
  tokens_per_event: 1,
  max_read_bytes: 0,
  read_gap_ms: 0,
  crlf: 0,
  heartbeat: 0,
  heartbeat_ms: 1000,
  fail_attempts: 1,
  retry_after_ms: 1000,
  stall_ms: 30_000,
  before_stream: 0,
  reply_tokens: 0,
  batch_ms: 2000,
  trace: 0,
});

/** What each knob means, for `GET /scenarios` and `--help`. */
export const KNOB_DOCS: Readonly<Record<keyof Knobs, string>> = {
  ttft_ms: 'time to first token (ms)',
  tps: 'tokens per second after the first token',
  jitter_ms: 'seeded random shift of each event, +/- ms',
  tokens_per_event: 'reply tokens per delta event',
  max_read_bytes: '0 whole events; 1 one byte per read; N random reads of 1..N bytes',
  read_gap_ms: 'pause between the reads of a split event (ms)',
  crlf: '1 = CRLF line endings',
  heartbeat: '1 = comment lines between events',
  heartbeat_ms: 'heartbeat interval while waiting (ms)',
  fail_attempts: 'failed attempts per run before a success (fail-then-succeed scenarios)',
  retry_after_ms: 'retry-after-ms on error answers (retry-after: rounded up to seconds)',
  stall_ms: 'silence before the stall scenario drops the connection (ms)',
  before_stream:
    'overloaded only: 1 = an HTTP 529 (Anthropic) or 503 (OpenAI) before the stream, 0 = an error event inside it; rate-limited and server-error always fail before it',
  reply_tokens: 'reply length in tokens (0 = natural length)',
  batch_ms: 'time a batch created by this request takes to finish (ms)',
  trace: '1 = comment ": sched <ms>" before each event (scheduled offset, for benchmarks)',
};

const LIMITS: Readonly<Record<keyof Knobs, readonly [number, number]>> = {
  ttft_ms: [0, 600_000],
  tps: [0.01, 1_000_000],
  jitter_ms: [0, 60_000],
  tokens_per_event: [1, 100_000],
  max_read_bytes: [0, 1_000_000],
  read_gap_ms: [0, 60_000],
  crlf: [0, 1],
  heartbeat: [0, 1],
  heartbeat_ms: [1, 600_000],
  fail_attempts: [0, 100],
  retry_after_ms: [0, 600_000],
  stall_ms: [0, 3_600_000],
  before_stream: [0, 1],
  reply_tokens: [0, 100_000],
  batch_ms: [0, 86_400_000],
  trace: [0, 1],
};

export const KNOB_NAMES = Object.keys(DEFAULT_KNOBS) as (keyof Knobs)[];

/** Thrown for a bad override; the handler turns it into a 400 naming the knob. */
export class KnobError extends Error {
  readonly knob: string;
  constructor(knob: string, message: string) {
    super(message);
    this.name = 'KnobError';
    this.knob = clip(knob);
  }
}

const isKnob = (name: string): name is keyof Knobs => Object.hasOwn(DEFAULT_KNOBS, name);

/**
 * Parses `k=v` pairs (from `ttft_ms=0,tps=200`, a header, or URL search params) into knob overrides.
 * Unknown names and values outside a knob's range throw `KnobError`.
 */
export function parseKnobOverrides(pairs: Iterable<[string, string]>): Partial<Knobs> {
  const out: Partial<Knobs> = {};
  for (const [rawName, rawValue] of pairs) {
    const name = rawName.trim();
    if (!isKnob(name)) {
      throw new KnobError(
        name,
        `unknown knob '${clip(name)}'${suggest(name)} (known: ${KNOB_NAMES.join(', ')})`,
      );
    }
    const text = rawValue.trim();
    const [min, max] = LIMITS[name];
    const integer = name !== 'tps';
    // Plain decimal only: Number() would also take hex (0x10), exponents (1e3) and fractions.
    const wellFormed = integer ? /^-?\d+$/.test(text) : /^-?\d+(\.\d+)?$/.test(text);
    const value = Number(text);
    if (!wellFormed || value < min || value > max) {
      throw new KnobError(
        name,
        `knob '${name}' must be ${integer ? 'an integer' : 'a decimal number'} in [${min}, ${max}], got '${clip(rawValue)}'`,
      );
    }
    out[name] = value;
  }
  return out;
}

/** Splits `a=1,b=2` (also `;` separated) into pairs. */
export function splitKnobList(list: string): [string, string][] {
  return list
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0)
        throw new KnobError(pair, `knob override '${clip(pair)}' must look like name=value`);
      return [decodeComponent(pair.slice(0, eq)), decodeComponent(pair.slice(eq + 1))];
    });
}

/** `decodeURIComponent` that throws a `KnobError` (a 400) instead of a `URIError` on bad escapes. */
function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new KnobError(text, `knob override '${clip(text)}' has malformed percent-encoding`);
  }
}

/**
 * Query parameters the SDKs themselves add (Anthropic's `?beta=true`, Azure's `api-version`, list
 * paging): accepted and ignored. Every other query parameter must be a knob.
 */
export const NON_KNOB_QUERY = [
  'beta',
  'api-version',
  'limit',
  'after',
  'before',
  'after_id',
  'before_id',
  'order',
] as const;

/** The query string's knob pairs; an unknown parameter throws, like an unknown knob anywhere else. */
export function queryKnobPairs(params: URLSearchParams): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [k, v] of params) {
    if ((NON_KNOB_QUERY as readonly string[]).includes(k)) continue;
    if (!isKnob(k))
      throw new KnobError(
        k,
        `unknown query parameter '${clip(k)}': query parameters are knobs (known: ${KNOB_NAMES.join(', ')})${suggest(k)}`,
      );
    pairs.push([k, v]);
  }
  return pairs;
}

/**
 * ` (did you mean 'ttft_ms'?)` for a typo of a knob name: the knob it starts like (`ttft`), or the one
 * within two edits of it (`tft_ms`, `ttf_ms`, `tsp`); else ''.
 */
function suggest(name: string): string {
  const typed = name.toLowerCase();
  const stem = typed.slice(0, 3);
  const near =
    KNOB_NAMES.find((k) => stem.length >= 2 && k.startsWith(stem)) ??
    KNOB_NAMES.map((k) => ({ k, d: typed.length > 32 ? Infinity : editDistance(typed, k) }))
      .filter(({ d }) => d <= 2 && d < typed.length)
      .sort((a, b) => a.d - b.d)[0]?.k;
  return near ? ` (did you mean '${near}'?)` : '';
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
