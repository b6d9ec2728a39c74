/**
 * Buggy on purpose: keys the calls by `id`. Only a call's first fragment has one, so every
 * later fragment lands under `undefined`. Must fail `single-call` and `parallel-calls` (see lab.json).
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
  const byId = new Map<string | undefined, { id: string; name: string; args: string }>();
  let finished = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        finished = true;
        return;
      }
      const chunk = JSON.parse(event.data) as Chunk;
      for (const delta of chunk.choices?.[0]?.delta?.tool_calls ?? []) {
        let call = byId.get(delta.id);
        if (!call) {
          call = { id: delta.id ?? '', name: '', args: '' };
          byId.set(delta.id, call);
        }
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name += delta.function.name;
        // Fragments are pieces of one JSON string, cut anywhere (inside an escape, between the two
        // halves of an emoji): concatenate them and parse nothing until the call is complete.
        if (delta.function?.arguments) call.args += delta.function.arguments;
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

  return [...byId.values()].map((call, index) => {
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
