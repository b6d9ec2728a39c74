import OpenAI from 'openai';
import { openaiTools, question } from './tools.ts';

/** The helper does the accumulating and tells you when each call's arguments are complete. */
export async function run(): Promise<{
  done: { index: number; name: string; arguments: string }[];
  finalCalls: { id: string; name: string; arguments: string }[];
}> {
  const client = new OpenAI();
  const done: { index: number; name: string; arguments: string }[] = [];

  const stream = client.chat.completions
    .stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: question }],
      tools: openaiTools,
    })
    .on('tool_calls.function.arguments.done', (event) => {
      // Fired once per call, when the next call starts or the stream ends: safe to JSON.parse.
      done.push({ index: event.index, name: event.name, arguments: event.arguments });
    });

  const message = await stream.finalMessage();
  const finalCalls = (message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function'
      ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
      : [],
  );
  return { done, finalCalls };
}
