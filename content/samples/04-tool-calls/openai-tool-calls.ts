import OpenAI from 'openai';
import { openaiTools, question } from './tools.ts';

/** A tool call as your code needs it: complete, with parsed arguments. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

/** Accumulates streamed tool-call fragments by `index`, and parses them once the stream ends. */
export async function run(): Promise<{
  text: string;
  finishReason: string | null;
  calls: ToolCall[];
}> {
  const client = new OpenAI();
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: question }],
    tools: openaiTools,
    stream: true,
  });

  let text = '';
  let finishReason: string | null = null;
  // Keyed by index: only the first fragment of a call carries its id and name.
  const pending = new Map<number, { id: string; name: string; args: string }>();

  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (!choice) continue;
    text += choice.delta.content ?? '';
    for (const fragment of choice.delta.tool_calls ?? []) {
      let call = pending.get(fragment.index);
      if (!call) {
        call = { id: fragment.id ?? '', name: fragment.function?.name ?? '', args: '' };
        pending.set(fragment.index, call);
      }
      call.args += fragment.function?.arguments ?? ''; // a piece of JSON text, not JSON
    }
    finishReason = choice.finish_reason ?? finishReason;
  }
  if (finishReason === null) throw new Error('Stream ended early: tool calls may be incomplete.');
  // Arguments are complete only when the model stopped to call tools. "length" means the token cap
  // cut the answer, and the last call's arguments with it: run nothing.
  if (pending.size > 0 && finishReason !== 'tool_calls')
    throw new Error(`finish_reason "${finishReason}": the tool-call arguments may be cut short.`);

  // Only now is every argument string complete. Parse each one, naming the call that fails.
  const calls = [...pending.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, call]) => {
      try {
        return {
          id: call.id,
          name: call.name,
          arguments: JSON.parse(call.args || '{}') as unknown,
        };
      } catch {
        throw new Error(
          `Tool call ${index} (${call.name}) has invalid JSON arguments: ${call.args}`,
        );
      }
    });
  return { text, finishReason, calls };
}
