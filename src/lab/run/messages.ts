/**
 * The live messages of a run: what an engine sends while the learner's code runs, so the console,
 * the checks list and the timeline draw as things happen. Folding every message of a run, in order,
 * through `applyRunMessage` gives exactly the `RunRecording` the engine resolves with at the end, so
 * a page that only listens and a grader that only awaits see the same run.
 */
import type {
  Attempt,
  CheckResult,
  ConsoleEntry,
  LearnerError,
  Provider,
  RecordedEvent,
  RecordedRead,
  RunOutcome,
  RunRecording,
} from './recording.ts';

/** What the engine is doing, for a status line ("Transpiling…", "Running checks…"). */
export type RunPhase = 'starting' | 'transpiling' | 'running' | 'checking';

export type RunMessage =
  /** First message of every run: the empty recording's identity. */
  | {
      type: 'run-start';
      id: string;
      labId?: string;
      label?: string;
      scenario: string;
      engine: string;
      startedAt: string;
    }
  /** The engine moved on; `check` names the check that starts now (hosts restart the time limit on it). */
  | { type: 'phase'; phase: RunPhase; t: number; check?: string }
  /** A request was sent (a retry is a new attempt). */
  | {
      type: 'attempt-start';
      attempt: number;
      t: number;
      method: string;
      url: string;
      provider: Provider;
      scenario: string;
      request?: unknown;
      /** The check that made this request, when checks are running (absent for the driver). */
      check?: string;
    }
  | {
      type: 'headers';
      attempt: number;
      t: number;
      status: number;
      headers: Record<string, string>;
    }
  /** One `read()` of the body, as the learner's reader received it. */
  | { type: 'read'; attempt: number; read: RecordedRead }
  /** One SSE event our parser found in the reads so far. */
  | { type: 'event'; attempt: number; event: RecordedEvent }
  /** The body ended (done, error or cancel), or the request failed before headers. */
  | {
      type: 'attempt-end';
      attempt: number;
      t: number;
      end: NonNullable<Attempt['end']>;
      error?: string;
    }
  | { type: 'console'; entry: ConsoleEntry }
  /**
   * The driver (the Run itself) ended, before the checks: its outcome, error and result as `done` will
   * carry them. A host that goes on in a fresh sandbox after a check hung (`engines/legs.ts`) keeps them
   * from here, since the later sandbox does not run the driver.
   */
  | {
      type: 'driver-end';
      t: number;
      outcome: 'ok' | 'error';
      error?: LearnerError;
      result?: unknown;
    }
  | { type: 'check'; result: CheckResult }
  /** The run is over; nothing follows. */
  | {
      type: 'done';
      t: number;
      outcome: RunOutcome;
      error?: LearnerError;
      result?: unknown;
    };

/** The empty recording a run starts from. */
export function emptyRecording(start: Extract<RunMessage, { type: 'run-start' }>): RunRecording {
  const recording: RunRecording = {
    version: 1,
    id: start.id,
    scenario: start.scenario,
    engine: start.engine,
    startedAt: start.startedAt,
    attempts: [],
    console: [],
    checks: [],
  };
  if (start.labId !== undefined) recording.labId = start.labId;
  if (start.label !== undefined) recording.label = start.label;
  return recording;
}

/**
 * Folds one message into a recording, in place, and returns it. Messages about an attempt that was never
 * started are ignored rather than thrown on, so a late message from a stopped worker cannot break a page.
 */
export function applyRunMessage(recording: RunRecording, message: RunMessage): RunRecording {
  switch (message.type) {
    case 'run-start':
      return emptyRecording(message);
    case 'phase':
    case 'driver-end':
      // `done` carries the run's outcome, error and result; folded there.
      return recording;
    case 'attempt-start': {
      const attempt: Attempt = {
        index: message.attempt,
        method: message.method,
        url: message.url,
        provider: message.provider,
        scenario: message.scenario,
        tRequest: message.t,
        reads: [],
        events: [],
      };
      if (message.request !== undefined) attempt.request = message.request;
      if (message.check !== undefined) attempt.check = message.check;
      recording.attempts[message.attempt] = attempt;
      return recording;
    }
    case 'headers': {
      const attempt = recording.attempts[message.attempt];
      if (attempt) {
        attempt.tHeaders = message.t;
        attempt.status = message.status;
        attempt.headers = message.headers;
      }
      return recording;
    }
    case 'read':
      recording.attempts[message.attempt]?.reads.push(message.read);
      return recording;
    case 'event':
      recording.attempts[message.attempt]?.events.push(message.event);
      return recording;
    case 'attempt-end': {
      const attempt = recording.attempts[message.attempt];
      if (attempt && attempt.end === undefined) {
        attempt.tEnd = message.t;
        attempt.end = message.end;
        if (message.error !== undefined) attempt.error = { t: message.t, message: message.error };
      }
      return recording;
    }
    case 'console':
      recording.console.push(message.entry);
      return recording;
    case 'check':
      recording.checks.push(message.result);
      return recording;
    case 'done':
      recording.tEnd = message.t;
      recording.outcome = message.outcome;
      if (message.error !== undefined) recording.error = message.error;
      if (message.result !== undefined) recording.result = message.result;
      return recording;
  }
}
