/**
 * Export and import of runs as JSON (an instructor shares a run; a lesson embeds one). Import validates
 * with zod and fails with an error that names the field and what is wrong with it.
 */
import { z } from 'zod';
import type { RunRecording } from '../lab/run/recording.ts';
import { fromBase64 } from './bytes.ts';
import { capAttempts, capTexts } from './cap.ts';

const time = z.number().nonnegative(); // zod 4 numbers reject Infinity and NaN already

const readSchema = z.object({ t: time, bytes: z.string(), size: z.number().int().nonnegative() });
const eventSchema = z.object({
  t: time,
  read: z.number().int().nonnegative(),
  type: z.string(),
  data: z.string(),
  id: z.string().optional(),
});
const attemptSchema = z.object({
  index: z.number().int().nonnegative(),
  method: z.string(),
  url: z.string(),
  provider: z.enum(['openai-chat', 'openai-responses', 'anthropic', 'models', 'other']),
  scenario: z.string(),
  request: z.unknown().optional(),
  tRequest: time,
  tHeaders: time.optional(),
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  reads: z.array(readSchema),
  events: z.array(eventSchema),
  tEnd: time.optional(),
  end: z.enum(['done', 'error', 'cancelled']).optional(),
  error: z.object({ t: time, message: z.string() }).optional(),
  check: z.string().optional(),
});

/** The zod schema of a `RunRecording` file (version 1). */
export const runRecordingSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  labId: z.string().optional(),
  label: z.string().optional(),
  scenario: z.string(),
  engine: z.string(),
  startedAt: z.string(),
  attempts: z.array(attemptSchema),
  console: z.array(
    z.object({
      t: time,
      level: z.enum(['log', 'info', 'warn', 'error', 'debug']),
      text: z.string(),
    }),
  ),
  checks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      hidden: z.boolean(),
      scenario: z.string(),
      status: z.enum(['pass', 'fail', 'error', 'skipped']),
      message: z.string().optional(),
      durationMs: z.number(),
    }),
  ),
  tEnd: time.optional(),
  outcome: z.enum(['ok', 'error', 'timeout', 'stopped']).optional(),
  error: z
    .object({
      name: z.string(),
      message: z.string(),
      file: z.string().optional(),
      line: z.number().optional(),
      column: z.number().optional(),
      stack: z.string().optional(),
    })
    .optional(),
  result: z.unknown().optional(),
});

/** Why a run file could not be opened; `path` names the field (`attempts[0].reads[3].size`). */
export class RunImportError extends Error {
  override name = 'RunImportError';
  readonly path: string;
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.path = path;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path)
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

/** Serializes a run for download: pretty JSON, fields in the recording's own order. */
export function exportRun(run: RunRecording): string {
  return JSON.stringify(run, null, 2) + '\n';
}

/** A file name for an exported run (`streamlab-run-<label or id>.json`). */
export function exportFileName(run: RunRecording): string {
  const base = (run.label ?? run.id)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `streamlab-run-${base || 'run'}.json`;
}

/**
 * Parses and validates a run file. Beyond the shape, checks what the timeline relies on: each read's
 * base64 decodes to `size` bytes, each event names an existing read, attempts are numbered in order.
 * @throws RunImportError naming the first field that is wrong.
 */
export function importRun(text: string): RunRecording {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RunImportError('', `not valid JSON (${(error as Error).message})`);
  }
  if (typeof json === 'object' && json !== null && 'version' in json && json.version !== 1) {
    throw new RunImportError(
      'version',
      `unsupported run format version ${JSON.stringify(json.version)} (expected 1)`,
    );
  }
  // Thousands of attempts would freeze the page: the run is cut first, with a note (`cap.ts`).
  const droppedAttempts = capAttempts(json);
  const parsed = runRecordingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RunImportError(formatPath(issue.path), issue.message);
  }
  const run = parsed.data as RunRecording;
  run.attempts.forEach((attempt, a) => {
    if (attempt.index !== a) {
      throw new RunImportError(`attempts[${a}].index`, `expected ${a}, got ${attempt.index}`);
    }
    attempt.reads.forEach((read, r) => {
      let size: number;
      try {
        size = fromBase64(read.bytes).length;
      } catch {
        throw new RunImportError(`attempts[${a}].reads[${r}].bytes`, 'not valid base64');
      }
      if (size !== read.size) {
        throw new RunImportError(
          `attempts[${a}].reads[${r}].size`,
          `says ${read.size} bytes but the data holds ${size}`,
        );
      }
    });
    attempt.events.forEach((event, e) => {
      if (event.read >= attempt.reads.length) {
        throw new RunImportError(
          `attempts[${a}].events[${e}].read`,
          `refers to read ${event.read}, but the attempt has ${attempt.reads.length} reads`,
        );
      }
    });
  });
  return capTexts(run, droppedAttempts);
}
