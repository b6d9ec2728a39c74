/**
 * What a reasoning model "thinks" before it answers: deterministic thinking text about the question,
 * the signature Anthropic puts on a thinking block (so a client that edits or drops it can be told so),
 * and the opaque data of a redacted block. Provider modules render it as Anthropic `thinking` blocks,
 * Responses reasoning summaries, and `reasoning_tokens` in usage.
 */
import { createPrng, hashString } from './prng.ts';

const STEPS = [
  (t: string) => `The user asks about "${t}".`,
  () => 'First I should work out what they actually need, not just what the words say.',
  () => 'There are a few approaches; the simplest one that works is usually the right start.',
  () => 'I should mention the edge cases, since that is where things usually break.',
  () => 'Let me check the reasoning once more before I answer.',
];

/** The thinking text for a question (the same question always thinks the same thoughts). */
export function thinkingText(topic: string, seed: number): string {
  const rng = createPrng(seed ^ 0x7e57ab1e);
  const steps = STEPS.map((step) => step(topic));
  // Every answer thinks the first and last steps; the middle ones vary with the question.
  const middle = steps.slice(1, -1).filter(() => rng.next() < 0.75);
  return [steps[0], ...middle, steps[steps.length - 1]].join(' ');
}

/** Where a thinking text was cut, with the tool results it led to, when the client sends it back. */
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** An opaque, base64-looking string of `length` characters derived from `text`. */
function opaque(text: string, salt: number, length: number): string {
  let h = hashString(text, salt);
  let out = '';
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    h = (h + i + 0x9e3779b9) >>> 0;
    out += B64[h % 64];
  }
  return out;
}

/**
 * The signature of a thinking block: a function of its text, so the mock can verify a block sent back
 * in a later turn (the real API rejects edited or re-signed thinking the same way).
 */
export function signThinking(thinking: string): string {
  return `Eq${opaque(thinking, 0x5197a7e5, 86)}==`;
}

/** The `data` of a `redacted_thinking` block standing for `thinking`. */
export function redactThinking(thinking: string): string {
  return `EmwK${opaque(thinking, 0x2eda57ed, 124)}`;
}

/** Whether `data` is the redacted form of some thinking this mock produced (its shape only). */
export const looksRedacted = (data: unknown): boolean =>
  typeof data === 'string' && /^EmwK[A-Za-z0-9+/]{124}$/.test(data);
