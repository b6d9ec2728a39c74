// BUG: the error event's message is read from the API's error body, which a dropped stream does not have.
/**
 * A streamed agent loop with a reasoning model: each turn streams thinking and text as separate
 * events, tool calls run in parallel, their results (failures included) go back with the assistant
 * turn unchanged, and the loop streams on until the model answers.
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

async function runTool(tool: AgentTool | undefined, input: unknown) {
  if (!tool) return { ok: false, output: 'No such tool.' };
  try {
    return { ok: true, output: await tool.run(input) };
  } catch (error) {
    return { ok: false, output: `The tool failed: ${(error as Error).message}` };
  }
}

export async function runAgent(question: string, options: AgentOptions): Promise<void> {
  const { tools, emit } = options;
  const client = new Anthropic({ fetch: options.fetch, maxRetries: 0 });
  const definitions = Object.entries(tools).map(([name, t]) => ({
    name,
    description: t.description,
    input_schema: t.input_schema,
  }));
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: question }];
  for (let step = 0; step < (options.maxSteps ?? 4); step++) {
    let message: Anthropic.Message;
    try {
      const stream = client.messages.stream({
        model: 'claude-sonnet-4-6',
        max_tokens: options.maxTokens ?? 4096,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        tools: definitions,
        messages,
      });
      stream.on('thinking', (text) => emit({ type: 'thinking', text }));
      stream.on('text', (text) => emit({ type: 'delta', text }));
      message = await stream.finalMessage();
    } catch (error) {
      const body = (error as { error?: { error?: { message: string } } }).error;
      return emit({ type: 'error', message: body?.error?.message as string });
    }
    if (message.stop_reason === 'end_turn' || message.stop_reason === 'stop_sequence')
      return emit({ type: 'done' });
    if (message.stop_reason !== 'tool_use') {
      const why =
        message.stop_reason === 'max_tokens'
          ? 'the output limit ran out'
          : String(message.stop_reason);
      return emit({ type: 'error', message: `No complete answer: ${why}.` });
    }
    const calls = message.content.filter((b) => b.type === 'tool_use');
    for (const c of calls) emit({ type: 'tool-start', id: c.id, name: c.name, input: c.input });
    const results = await Promise.all(
      calls.map(async (c) => {
        const { ok, output } = await runTool(tools[c.name], c.input);
        emit({ type: 'tool-result', id: c.id, ok, output });
        return { type: 'tool_result' as const, tool_use_id: c.id, content: output, is_error: !ok };
      }),
    );
    messages.push(
      { role: 'assistant', content: message.content },
      { role: 'user', content: results },
    );
  }
  emit({ type: 'error', message: 'No answer within the step limit.' });
}
