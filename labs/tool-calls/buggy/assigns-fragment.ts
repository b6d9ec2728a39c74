/**
 * KNOWN BUGGY: `call.args = fragment` where `+=` belongs: only the last fragment of each call's arguments is kept.
 *
 * Reference solution: reads a streamed Chat Completion that calls tools, accumulates each call's id, name
 * and argument fragments by `index` (only a call's first fragment carries its id and name), and parses the
 * arguments once, after the stream has finished. Empty arguments mean "no arguments".
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
  const partial = new Map<number, { id: string; name: string; args: string }>();
  let finished = false;
  let finishReason: string | null = null;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        finished = true;
        return;
      }
      const chunk = JSON.parse(event.data) as Chunk;
      finishReason = chunk.choices?.[0]?.finish_reason ?? finishReason;
      for (const delta of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
        let call = partial.get(delta.index);
        if (!call) {
          call = { id: '', name: '', args: '' };
          partial.set(delta.index, call);
        }
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name += delta.function.name;
        // Fragments are pieces of one JSON string, cut anywhere (inside an escape, between the two
        // halves of an emoji): concatenate them and parse nothing until the call is complete.
        if (delta.function?.arguments) call.args = delta.function.arguments;
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
  if (!finished)
    throw new Error('the stream ended before [DONE]: the tool calls may be incomplete');
  await reader.cancel();
  // Arguments are complete only when the model stopped to call the tools; "length" cut them short.
  if (finishReason === 'length') {
    throw new Error(
      'the answer hit max_tokens (finish_reason "length"): the tool calls are cut short',
    );
  }

  return [...partial.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, call]) => {
      let parsed: unknown;
      try {
        parsed = call.args.trim() === '' ? {} : JSON.parse(call.args);
      } catch (error) {
        throw new Error(
          `tool call ${index} (${call.name}) has arguments that are not JSON: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return { id: call.id, name: call.name, arguments: parsed as Record<string, unknown> };
    });
}
