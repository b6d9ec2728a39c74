/**
 * Provider answers written by hand for checks, in the APIs' own shapes: a Chat Completions chunk (for a
 * stream no mock scenario produces, such as padded or empty chunks), and an error answer built by the
 * mock's own `errorResponse`, so a check's 429 looks exactly like the mock's.
 */
import { errorResponse, type Flavor } from '../../mock/core/errors.ts';

export interface ChatChunkOptions {
  /** `finish_reason` of the choice (default `null`). */
  finish?: string | null;
  /** Fields added to the chunk, e.g. `usage`, or `choices: []` for a usage chunk. */
  extra?: Record<string, unknown>;
}

/** One Chat Completions stream chunk (`object: 'chat.completion.chunk'`) with one choice carrying `delta`. */
export function chatChunk(delta: object, options: ChatChunkOptions = {}): Record<string, unknown> {
  return {
    id: 'chatcmpl-hand',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: options.finish ?? null }],
    ...options.extra,
  };
}

/** `chatChunk` as an SSE event: `data: {…}` and its blank line. */
export function chatChunkEvent(delta: object, options: ChatChunkOptions = {}): string {
  return `data: ${JSON.stringify(chatChunk(delta, options))}\n\n`;
}

/** A 429 rate-limit answer as the API sends it: its JSON error body and `retry-after` (seconds). */
export function rateLimitedResponse(
  flavor: Flavor = 'openai',
  { retryAfterS = 20, message = 'Rate limit reached for gpt-4o-mini.' } = {},
): Response {
  return errorResponse(flavor, {
    status: 429,
    message,
    code: flavor === 'openai' ? 'rate_limit_exceeded' : null,
    headers: { 'retry-after': String(retryAfterS) },
  });
}
