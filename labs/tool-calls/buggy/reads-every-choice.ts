/**
 * Buggy on purpose: reads `choices[0]` of every chunk, so the usage chunk (`choices: []`, sent with
 * `stream_options.include_usage`) throws. Must fail `usage-chunk` (see lab.json).
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
      const choice = chunk.choices![0]!;
      finishReason = choice.finish_reason ?? finishReason;
      for (const delta of choice.delta?.tool_calls ?? []) {
        let call = partial.get(delta.index);
        if (!call) {
          call = { id: '', name: '', args: '' };
          partial.set(delta.index, call);
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
        parsed = call.args === '' ? {} : JSON.parse(call.args);
      } catch (error) {
        throw new Error(
          `tool call ${index} (${call.name}) has arguments that are not JSON: ${(error as Error).message}`,
          { cause: error },
        );
      }
      return { id: call.id, name: call.name, arguments: parsed as Record<string, unknown> };
    });
}

/** The Anthropic Messages events `collectToolUses` reads. */
interface AnthropicEvent {
  type: string;
  index?: number;
  content_block?: { type: string; id?: string; name?: string };
  delta?: { type?: string; partial_json?: string; stop_reason?: string | null };
  error?: { type?: string; message?: string };
}

/**
 * The `tool_use` blocks of a streamed Anthropic message, in block order: each block's `input` arrives as
 * `input_json_delta` pieces, complete only when the message stops with `stop_reason: "tool_use"`
 * (`max_tokens` cuts the input short, so the calls must not be run).
 */
export async function collectToolUses(response: Response): Promise<ToolCall[]> {
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const blocks = new Map<number, { id: string; name: string; json: string }>();
  let stopReason: string | null = null;
  let stopped = false;
  const parser = createParser({
    onEvent(event) {
      const data = JSON.parse(event.data) as AnthropicEvent;
      if (data.type === 'content_block_start' && data.content_block?.type === 'tool_use') {
        const { id = '', name = '' } = data.content_block;
        blocks.set(data.index ?? 0, { id, name, json: '' });
      } else if (data.type === 'content_block_delta' && data.delta?.type === 'input_json_delta') {
        const block = blocks.get(data.index ?? 0);
        if (block) block.json += data.delta.partial_json ?? '';
      } else if (data.type === 'message_delta') {
        stopReason = data.delta?.stop_reason ?? stopReason;
      } else if (data.type === 'message_stop') {
        stopped = true;
      } else if (data.type === 'error') {
        throw new Error(`${data.error?.type ?? 'error'}: ${data.error?.message ?? ''}`);
      }
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
  if (!stopped)
    throw new Error('the stream ended before message_stop: the tool calls may be incomplete');
  // Inputs are complete only when the model stopped to use the tools; max_tokens cut them short.
  if (blocks.size > 0 && stopReason !== 'tool_use') {
    throw new Error(
      `the message stopped with stop_reason "${stopReason}": its tool calls are cut short`,
    );
  }
  return [...blocks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, block]) => ({
      id: block.id,
      name: block.name,
      arguments: (block.json === '' ? {} : JSON.parse(block.json)) as Record<string, unknown>,
    }));
}
