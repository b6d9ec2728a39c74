/**
 * Collect the tool calls of a streamed Chat Completion.
 *
 * The model may call several tools at once. Each call arrives as a series of chunks with
 * `choices[0].delta.tool_calls[]` entries: the first entry of a call has its `index`, `id` and
 * `function.name`; the following ones have the same `index` and a fragment of `function.arguments`, a JSON
 * string cut into pieces. Return every call, in `index` order, with its arguments parsed.
 *
 * Reading the stream is written for you; the TODO is what to do with each chunk, and at the end.
 */
import { createParser } from 'eventsource-parser';

export interface ToolCall {
  id: string;
  name: string;
  /** The parsed arguments. */
  arguments: Record<string, unknown>;
}

interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

interface Chunk {
  choices?: Array<{ delta?: { tool_calls?: ToolCallDelta[] }; finish_reason?: string | null }>;
}

export async function collectToolCalls(response: Response): Promise<ToolCall[]> {
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const calls: ToolCall[] = [];
  let finished = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        finished = true;
        return;
      }
      const chunk = JSON.parse(event.data) as Chunk;
      for (const delta of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
        // TODO: accumulate the id, the name and the argument fragments of each call.
        void delta;
      }
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  while (!finished) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel();
  // TODO: parse each call's arguments now that the stream is complete.
  return calls;
}

/**
 * The same for a streamed Anthropic message: each `tool_use` block starts with `content_block_start`
 * (its `id` and `name`), its `input` arrives as `content_block_delta` events with
 * `delta.type === "input_json_delta"` and a piece in `delta.partial_json`, and the stop reason comes in
 * `message_delta`. Return the calls in block order, with their input parsed as `arguments`.
 */
export async function collectToolUses(response: Response): Promise<ToolCall[]> {
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const calls: ToolCall[] = [];
  let stopped = false;
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as { type: string };
      if (data.type === 'message_stop') stopped = true;
      // TODO: collect each tool_use block's id, name and input pieces, and the stop reason.
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  while (!stopped) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel();
  // TODO: parse each input now that the message is complete, if it stopped to use the tools.
  return calls;
}
