/**
 * The run recording: one format for everything a lab run produces, written by the browser engine and by
 * the Node grader alike, read by the timeline, the checks and the export/import of runs.
 *
 * All times are milliseconds since the run started (`t = 0` is when the learner's code was called), as
 * measured by the run's clock. A run holds one `Attempt` per HTTP request the learner's code made (a retry
 * is a new attempt, drawn as its own band on the timeline).
 */

/** Which wire format an attempt spoke, from the request path. */
export type Provider = 'openai-chat' | 'openai-responses' | 'anthropic' | 'models' | 'other';

/** One `read()` of a response body, as the learner's code saw it. */
export interface RecordedRead {
  /** When the read resolved. */
  t: number;
  /** The bytes of this read, base64-encoded (so runs export as plain JSON). */
  bytes: string;
  /** `bytes` decoded length in bytes. */
  size: number;
}

/** One Server-Sent Event, as our parser dispatched it from the reads of an attempt. */
export interface RecordedEvent {
  /** When the read that completed this event resolved. */
  t: number;
  /** Index into `Attempt.reads` of the read that completed the event. */
  read: number;
  /** The event type (`message` when the stream sent no `event:` line). */
  type: string;
  /** The data field, lines joined with `\n`. */
  data: string;
  /** The last event ID at dispatch, when one was set. */
  id?: string;
}

/** One HTTP request made during the run, and everything that came back for it. */
export interface Attempt {
  /** 0-based, in the order requests were sent. */
  index: number;
  method: string;
  /** The URL as requested (for the mock: path and query after the origin). */
  url: string;
  provider: Provider;
  /** The scenario that served it (from the URL prefix or the run's default). */
  scenario: string;
  /** The JSON request body, when it had one and it parsed. */
  request?: unknown;
  /** Request sent. */
  tRequest: number;
  /** Response headers received (absent if the request failed before). */
  tHeaders?: number;
  status?: number;
  headers?: Record<string, string>;
  reads: RecordedRead[];
  events: RecordedEvent[];
  /** The body ended (done, error or cancel); absent while still streaming. */
  tEnd?: number;
  /** How the body ended. `cancelled`: the learner's code cancelled the reader or aborted the request. */
  end?: 'done' | 'error' | 'cancelled';
  /** A network-level error (disconnect, abort), with the time it surfaced. */
  error?: { t: number; message: string };
  /** The id of the check that made this request; absent for the lab's driver (the Run itself). */
  check?: string;
}

export type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface ConsoleEntry {
  t: number;
  level: ConsoleLevel;
  /** The arguments, formatted as text the way a console would show them. */
  text: string;
}

/** An error thrown by the learner's code, mapped to their file. */
export interface LearnerError {
  name: string;
  message: string;
  /** Position in the learner's own TypeScript file (1-based), when it could be mapped. */
  file?: string;
  line?: number;
  column?: number;
  stack?: string;
}

export interface CheckResult {
  /** Stable id within the lab (`kebab-case`). */
  id: string;
  /** Short name, shown in the list ("Handles events split across reads"). */
  name: string;
  hidden: boolean;
  /** The scenario the check ran under. */
  scenario: string;
  status: 'pass' | 'fail' | 'error' | 'skipped';
  /** What went wrong, written to teach ("an event split across two reads was dropped"). */
  message?: string;
  durationMs: number;
}

export type RunOutcome = 'ok' | 'error' | 'timeout' | 'stopped';

export interface RunRecording {
  /** Format version; bump on an incompatible change. */
  version: 1;
  /** Unique id of the run. */
  id: string;
  labId?: string;
  /** Free text shown above the timeline (e.g. "starter, default scenario"). */
  label?: string;
  /** The scenario the run was made under. */
  scenario: string;
  /** Which engine made it: `worker` (browser), `node` (grader), `webcontainer`. */
  engine: string;
  /** Wall-clock time the run started, as an ISO string (for display only). */
  startedAt: string;
  attempts: Attempt[];
  console: ConsoleEntry[];
  checks: CheckResult[];
  /** The run finished (absent while running). */
  tEnd?: number;
  outcome?: RunOutcome;
  error?: LearnerError;
  /** Optional: what the lab's driver returned, for display (must be JSON). */
  result?: unknown;
}
