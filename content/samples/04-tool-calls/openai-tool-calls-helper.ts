import OpenAI from 'openai';
import { openaiTools, question } from './tools.ts';

/** The helper does the accumulating; the final completion holds the complete calls. */
export async function run(): Promise<{
  done: { index: number; name: string; arguments: string }[];
  finishReason: string;
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
      // Fired when another call's fragment arrives, or at the end. It assumes calls arrive one after
      // another, which the API does not promise: good for progress, not for running the tool.
      done.push({ index: event.index, name: event.name, arguments: event.arguments });
    });

  const completion = await stream.finalChatCompletion();
  const choice = completion.choices[0];
  if (!choice) throw new Error('The completion has no choices.');
  // Complete arguments only with "tool_calls"; "length" means the token cap cut them.
  if (choice.message.tool_calls?.length && choice.finish_reason !== 'tool_calls')
    throw new Error(`finish_reason "${choice.finish_reason}": the arguments may be cut short.`);
  const finalCalls = (choice.message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function'
      ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
      : [],
  );
  return { done, finishReason: choice.finish_reason, finalCalls };
}
