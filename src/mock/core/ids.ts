import { createPrng, hashString } from './prng.ts';
import { makeId, replyIdFrom, type ReplyPlan } from './reply.ts';

/**
 * Gives a reply ids of its own, as the real APIs do: the same question asked twice, or by every learner
 * in a workshop room, gets the same text but never the same message, response or tool-call ids.
 * `n` counts the handler's replies, so ids stay deterministic: a fresh handler with the same seed gives
 * the same ids in the same order (replays, fixtures and cross-engine comparisons stay stable).
 */
export function withOwnIds(plan: ReplyPlan, seed: number, n: number): ReplyPlan {
  const mixed = hashString(`reply ${n}`, seed >>> 0);
  const rng = createPrng(mixed);
  return {
    ...plan,
    id: replyIdFrom(mixed, rng),
    toolCalls: plan.toolCalls.map((call) => ({ ...call, idSuffix: makeId(rng, 24) })),
  };
}
