/**
 * ALTERNATIVE correct solution (a test fixture, graded by `src/lab/grade/alt.test.ts`): events from
 * `EventSourceParserStream`, calls kept in a sparse array by index, arguments parsed at the end, and any
 * finish reason other than `tool_calls` refused.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';

export async function collectToolCalls(response: Response) {
  const calls: Array<{ id: string; name: string; args: string }> = [];
  let finish: string | undefined;
  let done = false;
  const events = response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const { data } of events) {
    if (data === '[DONE]') {
      done = true;
      break;
    }
    const choice = JSON.parse(data).choices?.[0];
    finish = choice?.finish_reason ?? finish;
    for (const part of choice?.delta?.tool_calls ?? []) {
      const call = (calls[part.index] ??= { id: '', name: '', args: '' });
      call.id ||= part.id ?? '';
      call.name += part.function?.name ?? '';
      call.args += part.function?.arguments ?? '';
    }
  }
  if (!done) throw new Error('cut before [DONE]');
  if (finish !== 'tool_calls')
    throw new Error(`finish_reason ${finish}: the calls are not complete`);
  return calls
    .filter(Boolean)
    .map((c) => ({ id: c.id, name: c.name, arguments: c.args ? JSON.parse(c.args) : {} }));
}
