import Anthropic from '@anthropic-ai/sdk';
import type { ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { anthropicTools, question } from './tools.ts';

/** A finished tool_use block: its parsed input, or why its input could not be parsed. */
export type ToolUse =
  | { id: string; name: string; input: unknown }
  | { id: string; name: string; invalidJson: string; error: string };

/** Accumulates `input_json_delta` per content block and parses at `content_block_stop`. */
export async function run(): Promise<{
  text: string;
  stopReason: string | null;
  calls: ToolUse[];
}> {
  const client = new Anthropic();
  const stream = await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    messages: [{ role: 'user', content: question }],
    tools: anthropicTools,
    stream: true,
  });

  let text = '';
  let stopReason: string | null = null;
  const open = new Map<number, { id: string; name: string; json: string }>(); // by block index
  const calls: ToolUse[] = [];

  for await (const event of stream) {
    switch (event.type) {
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          const { id, name } = event.content_block; // id and name arrive here, once
          open.set(event.index, { id, name, json: '' });
        }
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') text += event.delta.text;
        if (event.delta.type === 'input_json_delta') {
          open.get(event.index)!.json += event.delta.partial_json; // may be ""
        }
        break;
      case 'content_block_stop': {
        const block = open.get(event.index);
        if (!block) break; // a text block ended
        open.delete(event.index);
        calls.push(parseToolUse(block));
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason; // "tool_use" when the model wants the results
        break;
      case 'message_stop':
        // Only "tool_use" means the inputs are complete. "max_tokens" cut the last one short.
        if (calls.length > 0 && stopReason !== 'tool_use')
          throw new Error(`stop_reason "${stopReason}": the tool input may be cut short.`);
        return { text, stopReason, calls };
    }
  }
  throw new Error('Stream ended before message_stop: the tool calls may be incomplete.');
}

/** Parses a block's input. Invalid JSON is possible with fine-grained tool streaming: keep it. */
function parseToolUse(block: { id: string; name: string; json: string }): ToolUse {
  try {
    // A tool with no arguments may send no fragments at all: treat "" as {}.
    return { id: block.id, name: block.name, input: JSON.parse(block.json || '{}') };
  } catch (error) {
    return { id: block.id, name: block.name, invalidJson: block.json, error: String(error) };
  }
}

/** The answer to a call whose input was not JSON: an error the model can read and correct. */
export function toolErrorResult(call: ToolUse & { error: string }): ToolResultBlockParam {
  return {
    type: 'tool_result',
    tool_use_id: call.id,
    is_error: true,
    content: `The input of ${call.name} was not valid JSON (${call.error}). Call the tool again with valid JSON.`,
  };
}
