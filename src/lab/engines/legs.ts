/**
 * A run in legs. When the host stops a check at its time limit (`session.ts`: an endless loop in it, or a
 * wait that never ends), the sandbox is killed, and with it every check still to come. So the run goes on
 * in a fresh sandbox, as a new run would get: that leg skips the driver, reports the stopped check as
 * failed with the host's message (what and where), and runs the checks after it. The page and the grader
 * see one run: the leg's messages are folded into the same recording, its attempts numbered after the
 * earlier legs' and its times after theirs.
 */
import type { RunMessage } from '../run/messages.ts';

/** Where a leg's attempts and times start in the run's recording. */
export interface LegShift {
  /** The leg's attempt 0 is the run's attempt `attempts`. */
  attempts: number;
  /** Added to every time the leg reports (its clock starts at 0 when it starts). */
  ms: number;
}

/**
 * The checks a new leg runs after check `stopped` hung: `stopped` itself (the leg reports it failed)
 * and every planned check after it. Undefined when `stopped` is not in the plan (the host cannot tell
 * what comes next).
 */
export function checksAfter(
  plan: readonly string[],
  stopped: string,
): { report: string[]; run: string[] } | undefined {
  const at = plan.indexOf(stopped);
  if (at < 0) return undefined;
  const run = plan.slice(at + 1);
  return { report: [stopped, ...run], run };
}

/** The message of a later leg as the run's recording numbers attempts and counts time. */
export function shiftMessage(message: RunMessage, shift: LegShift): RunMessage {
  if (shift.attempts === 0 && shift.ms === 0) return message;
  const t = (value: number): number => value + shift.ms;
  const n = (attempt: number): number => attempt + shift.attempts;
  switch (message.type) {
    case 'phase':
    case 'driver-end':
    case 'done':
      return { ...message, t: t(message.t) };
    case 'attempt-start':
    case 'headers':
    case 'attempt-end':
      return { ...message, attempt: n(message.attempt), t: t(message.t) };
    case 'read':
      return {
        ...message,
        attempt: n(message.attempt),
        read: { ...message.read, t: t(message.read.t) },
      };
    case 'event':
      return {
        ...message,
        attempt: n(message.attempt),
        event: { ...message.event, t: t(message.event.t) },
      };
    case 'console':
      return { ...message, entry: { ...message.entry, t: t(message.entry.t) } };
    default:
      return message;
  }
}

/** The latest time a message reports (0 when it has none): a later leg starts after it. */
export function messageTime(message: RunMessage): number {
  switch (message.type) {
    case 'phase':
    case 'driver-end':
    case 'done':
    case 'attempt-start':
    case 'headers':
    case 'attempt-end':
      return message.t;
    case 'read':
      return message.read.t;
    case 'event':
      return message.event.t;
    case 'console':
      return message.entry.t;
    default:
      return 0;
  }
}
