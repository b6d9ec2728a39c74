/**
 * When the host (re)starts a run's time limit, and how long it is. The host decides from what it knows
 * itself: a run has a start-up, a transpile, the driver's run and then each of the lab's checks, once
 * each and in order. A `phase` message re-arms the limit only when it is the next step of that sequence;
 * a repeated, unknown or out-of-order one changes nothing, so no message can keep a run alive for ever.
 * How long the limit is, is `run/limits.ts`'s business.
 */
import type { RunMessage } from '../run/messages.ts';

/** How long a sandbox may take to start (boot a worker, lock its realm down) before its first message. */
export const STARTUP_LIMIT_MS = 30_000;

const ORDER = { starting: 0, transpiling: 1, running: 2, checking: 3 } as const;

export interface RearmPolicy {
  /** Whether this message from the sandbox starts a new step (re-arm the limit); false for anything else. */
  startsStep(message: RunMessage): boolean;
  /** The check that is running, as the host last accepted it. */
  currentCheck(): string | undefined;
}

/**
 * `checks`: the ids of the checks the run may report, in order, when the host knows them; otherwise
 * any id is accepted once, and at most `maxChecks` of them.
 */
export function createRearmPolicy(checks?: readonly string[], maxChecks = 200): RearmPolicy {
  let step: number = ORDER.starting;
  let check: string | undefined;
  const seen = new Set<string>();
  return {
    currentCheck: () => check,
    startsStep(message) {
      if (message.type !== 'phase') return false;
      const next = ORDER[message.phase];
      if (next === undefined) return false;
      if (message.phase !== 'checking') {
        if (next <= step) return false;
        step = next;
        return true;
      }
      const id = message.check;
      if (typeof id !== 'string' || seen.has(id)) return false;
      if (checks ? checks[seen.size] !== id : seen.size >= maxChecks) return false;
      seen.add(id);
      step = next;
      check = id;
      return true;
    },
  };
}
