/**
 * The browser is not trusted: anyone can send anything to `/api/chat`. Before a request reaches the
 * provider, check what it may contain, keep only the fields you expect, and cap what it may cost.
 */

/** What one browser request may contain. Tune these to your product. */
export const LIMITS = {
  maxMessages: 40,
  maxCharsPerMessage: 8_000,
  maxTotalChars: 40_000,
  /** The largest answer a browser may ask for; also the default. */
  maxTokens: 1_024,
};

/** The only turns a browser may send. The system prompt is set by the server, never the client. */
export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export type ParsedChat =
  { ok: true; messages: ChatTurn[]; maxTokens: number } | { ok: false; error: string };

const fail = (error: string): ParsedChat => ({ ok: false, error });

/** Checks a parsed JSON body `{ messages, max_tokens? }`; the error is safe to show to the user. */
export function parseChatRequest(body: unknown): ParsedChat {
  if (typeof body !== 'object' || body === null) return fail('Expected a JSON object.');
  const { messages, max_tokens: maxTokens = LIMITS.maxTokens } = body as Record<string, unknown>;
  if (!Array.isArray(messages) || messages.length === 0)
    return fail('Expected a non-empty "messages" array.');
  if (messages.length > LIMITS.maxMessages)
    return fail(`At most ${LIMITS.maxMessages} messages per request.`);

  const turns: ChatTurn[] = [];
  let total = 0;
  for (const [i, message] of messages.entries()) {
    const { role, content } = (message ?? {}) as Record<string, unknown>;
    if (role !== 'user' && role !== 'assistant')
      return fail(`messages[${i}].role must be "user" or "assistant".`); // no system, tool, developer
    if (typeof content !== 'string' || content === '')
      return fail(`messages[${i}].content must be a non-empty string.`);
    if (content.length > LIMITS.maxCharsPerMessage)
      return fail(`messages[${i}] is longer than ${LIMITS.maxCharsPerMessage} characters.`);
    total += content.length;
    turns.push({ role, content }); // copy the two fields: anything else the client sent is dropped
  }
  if (total > LIMITS.maxTotalChars)
    return fail(`The conversation is longer than ${LIMITS.maxTotalChars} characters.`);
  if (turns.at(-1)!.role !== 'user') return fail('The last message must be from the user.');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)
    return fail('"max_tokens" must be a positive integer.');
  return { ok: true, messages: turns, maxTokens: Math.min(maxTokens, LIMITS.maxTokens) };
}
