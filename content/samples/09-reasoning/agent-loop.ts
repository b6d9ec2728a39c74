import Anthropic from '@anthropic-ai/sdk';

/** What the browser sees: thinking, tool progress and answer, kept apart (lesson 6's protocol, grown). */
export type AgentEvent =
  | { type: 'thinking'; text: string }
  | { type: 'tool-start'; id: string; name: string; input: unknown }
  | { type: 'tool-result'; id: string; ok: boolean; output: string }
  | { type: 'delta'; text: string }
  | { type: 'done'; stopReason: string };

const tools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

/** Our tool: may fail, like any real one. A failure goes back to the model, not up the stack. */
async function runTool(name: string, input: unknown): Promise<{ ok: boolean; output: string }> {
  const { city } = input as { city?: unknown };
  if (name !== 'get_weather' || typeof city !== 'string')
    return { ok: false, output: `Unknown tool or bad input: ${name} ${JSON.stringify(input)}` };
  return { ok: true, output: JSON.stringify({ city, sky: 'light rain', celsius: 14 }) };
}

/**
 * A streamed tool loop with a reasoning model: stream a turn, run the tools it asked for (all of them,
 * in parallel), send the results back with the assistant turn unchanged (thinking block and signature
 * included), and keep streaming, until the model stops asking for tools.
 */
export async function run(question: string, emit: (event: AgentEvent) => void, maxSteps = 4) {
  const client = new Anthropic();
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: question }];
  for (let step = 0; step < maxSteps; step++) {
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      tools,
      messages,
    });
    stream.on('thinking', (text) => emit({ type: 'thinking', text }));
    stream.on('text', (text) => emit({ type: 'delta', text }));
    const message = await stream.finalMessage();
    if (message.stop_reason !== 'tool_use') {
      // max_tokens here may have cut the thinking before any answer: say so, do not pretend it is done.
      emit({ type: 'done', stopReason: message.stop_reason ?? 'unknown' });
      return message;
    }
    const calls = message.content.filter((b) => b.type === 'tool_use');
    for (const call of calls)
      emit({ type: 'tool-start', id: call.id, name: call.name, input: call.input });
    const results = await Promise.all(
      calls.map(async (call) => {
        const { ok, output } = await runTool(call.name, call.input);
        emit({ type: 'tool-result', id: call.id, ok, output });
        return {
          type: 'tool_result' as const,
          tool_use_id: call.id,
          content: output,
          is_error: !ok,
        };
      }),
    );
    // The whole assistant turn goes back as it came: the thinking block first, signature intact.
    messages.push(
      { role: 'assistant', content: message.content },
      { role: 'user', content: results },
    );
  }
  throw new Error(`No answer after ${maxSteps} steps.`);
}
