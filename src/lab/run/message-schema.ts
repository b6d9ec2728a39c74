/**
 * The shape of every message a sandbox may send (`messages.ts`), checked with zod before it reaches the
 * run's recording or the page's store. The sandbox runs learner code, so a message may be anything: a
 * forged one, an `attempt` of 1e6 (an array of a million holes), a `__proto__` key, a string of a
 * million characters where a number belongs. A message that does not fit is never applied: the host
 * (`engines/session.ts`) ends the run with an error that names it.
 *
 * Limits: an attempt index below `MAX_ATTEMPTS`, finite non-negative times, and texts no longer than
 * `MAX_TEXT` characters (the sandbox already cuts console lines far shorter).
 */
import { z } from 'zod';
import type { RunMessage } from './messages.ts';

/** More attempts than any run makes (a retry storm of 5,000 is a learner bug the timeline still shows). */
export const MAX_ATTEMPTS = 100_000;
/** The longest text a message may carry (a read of 64 KiB in base64 is about 87,000 characters). */
export const MAX_TEXT = 1_000_000;

const time = z.number().nonnegative(); // zod 4 numbers reject Infinity and NaN already
const text = z.string().max(MAX_TEXT);
const attempt = z.number().int().nonnegative().lt(MAX_ATTEMPTS);
const scenario = z.string().max(200);
/** A plain record of strings (zod builds a fresh object and leaves out a `__proto__` key). */
const headers = z.record(z.string().max(1_000), text);

const learnerError = z.object({
  name: text,
  message: text,
  file: text.optional(),
  line: z.number().int().nonnegative().optional(),
  column: z.number().int().nonnegative().optional(),
  stack: text.optional(),
});

const schema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-start'),
    id: text,
    labId: text.optional(),
    label: text.optional(),
    scenario,
    engine: text,
    startedAt: text,
  }),
  z.object({
    type: z.literal('phase'),
    phase: z.enum(['starting', 'transpiling', 'running', 'checking']),
    t: time,
    check: text.optional(),
  }),
  z.object({
    type: z.literal('attempt-start'),
    attempt,
    t: time,
    method: text,
    url: text,
    provider: z.enum(['openai-chat', 'openai-responses', 'anthropic', 'models', 'other']),
    scenario,
    request: z.unknown().optional(),
    check: text.optional(),
  }),
  z.object({
    type: z.literal('headers'),
    attempt,
    t: time,
    status: z.number().int().min(0).max(999),
    headers,
  }),
  z.object({
    type: z.literal('read'),
    attempt,
    read: z.object({ t: time, bytes: text, size: z.number().int().nonnegative() }),
  }),
  z.object({
    type: z.literal('event'),
    attempt,
    event: z.object({
      t: time,
      read: z.number().int().nonnegative(),
      type: text,
      data: text,
      id: text.optional(),
    }),
  }),
  z.object({
    type: z.literal('attempt-end'),
    attempt,
    t: time,
    end: z.enum(['done', 'error', 'cancelled']),
    error: text.optional(),
  }),
  z.object({
    type: z.literal('console'),
    entry: z.object({
      t: time,
      level: z.enum(['log', 'info', 'warn', 'error', 'debug']),
      text,
    }),
  }),
  z.object({
    type: z.literal('driver-end'),
    t: time,
    outcome: z.enum(['ok', 'error']),
    error: learnerError.optional(),
    result: z.unknown().optional(),
  }),
  z.object({
    type: z.literal('check'),
    result: z.object({
      id: text,
      name: text,
      hidden: z.boolean(),
      scenario,
      status: z.enum(['pass', 'fail', 'error', 'skipped']),
      message: text.optional(),
      durationMs: z.number().nonnegative(),
    }),
  }),
  z.object({
    type: z.literal('done'),
    t: time,
    outcome: z.enum(['ok', 'error', 'timeout', 'stopped']),
    error: learnerError.optional(),
    result: z.unknown().optional(),
  }),
]);

/** What the schema accepts is a `RunMessage`: this fails to compile when the two drift apart. */
const fitsRunMessage = (message: z.infer<typeof schema>): RunMessage => message;

/** The message when it fits its type, else `problem` says what is wrong and where. */
export function parseRunMessage(
  message: unknown,
): { ok: true; message: RunMessage } | { ok: false; problem: string } {
  let parsed;
  try {
    parsed = schema.safeParse(message);
  } catch (error) {
    // A Proxy or a throwing getter cannot cross a MessagePort, but a host in the same thread might pass one.
    return { ok: false, problem: `it could not be read (${String(error)})` };
  }
  if (parsed.success) return { ok: true, message: fitsRunMessage(parsed.data) };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(the message)';
  return { ok: false, problem: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** The run's error for a message that does not fit: its type, and what was wrong with it. */
export function describeRejected(message: unknown, problem: string): string {
  let type = 'unknown';
  try {
    const raw = (message as { type?: unknown } | null)?.type;
    if (typeof raw === 'string') type = raw.slice(0, 40);
  } catch {
    // A hostile object: its type stays unknown.
  }
  return `The lab sandbox sent a '${type}' message that does not fit the run format (${problem}), so the run was stopped. Lab code cannot write to the run channel; if yours does not try to, run it again.`;
}
