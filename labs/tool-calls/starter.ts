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
