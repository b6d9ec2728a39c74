/**
 * An agent loop with a reasoning model, streamed to the browser as typed events. Today it streams one
 * turn and treats everything as answer text. Make it:
 * - send `thinking` events for the thinking and `delta` events for the answer, never mixed;
 * - when the turn ends with `stop_reason: 'tool_use'`, emit `tool-start` for every call, run them all
 *   (in parallel), emit `tool-result` for each, and send the results back as `tool_result` blocks, with
 *   `is_error: true` and the error's message for a tool that throws or does not exist: a failing tool
 *   is news for the model, not a crash;
 * - send the assistant turn back unchanged (thinking block and signature first), then stream the next
 *   turn, up to `maxSteps` turns;
 * - end with `done` only when the model finished its answer (`end_turn`); otherwise (`max_tokens`,
 *   a failed stream, the step limit) end with an `error` event that says why.
 */
import Anthropic from '@anthropic-ai/sdk';

/** What the browser receives, in order. */
export type AgentEvent =
  | { type: 'thinking'; text: string }
  | { type: 'tool-start'; id: string; name: string; input: unknown }
  | { type: 'tool-result'; id: string; ok: boolean; output: string }
  | { type: 'delta'; text: string }
  | { type: 'done' }
  | { type: 'error'; message: string };

/** A tool the agent may call: its definition for the model and its implementation. */
export interface AgentTool {
  description: string;
  input_schema: Anthropic.Tool.InputSchema;
  run(input: unknown): Promise<string>;
}

export interface AgentOptions {
  tools: Record<string, AgentTool>;
  emit(event: AgentEvent): void;
  /** The `fetch` the SDK uses (default: the global one). */
  fetch?: typeof fetch;
  /** Model turns at most (default 4). */
  maxSteps?: number;
  /** `max_tokens` per turn, thinking included (default 4096). */
  maxTokens?: number;
}

export async function runAgent(question: string, options: AgentOptions): Promise<void> {
  const client = new Anthropic({ fetch: options.fetch, maxRetries: 0 });
  const stream = client.messages.stream({
    model: 'claude-sonnet-4-6',
    max_tokens: options.maxTokens ?? 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [{ role: 'user', content: question }],
  });
  for await (const event of stream) {
    if (event.type === 'content_block_delta' && event.delta.type === 'thinking_delta')
      options.emit({ type: 'delta', text: event.delta.thinking });
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
      options.emit({ type: 'delta', text: event.delta.text });
  }
  options.emit({ type: 'done' });
}
