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
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
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

/** Anthropic: blocks in a sparse array by index, refused unless the message stopped for tool_use. */
export async function collectToolUses(response: Response) {
  const blocks: Array<{ id: string; name: string; json: string }> = [];
  let stop: string | null | undefined;
  let ended = false;
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const events = response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const { event, data } of events) {
    const payload = JSON.parse(data);
    if (event === 'content_block_start' && payload.content_block.type === 'tool_use')
      blocks[payload.index] = {
        id: payload.content_block.id,
        name: payload.content_block.name,
        json: '',
      };
    // A server tool's input (web_search) streams too, but it has no tool_use block here.
    const block = event === 'content_block_delta' ? blocks[payload.index] : undefined;
    if (block && payload.delta.type === 'input_json_delta')
      block.json += payload.delta.partial_json;
    if (event === 'message_delta') stop = payload.delta.stop_reason;
    if (event === 'error') throw new Error(payload.error.message);
    if (event === 'message_stop') {
      ended = true;
      break;
    }
  }
  if (!ended) throw new Error('cut before message_stop');
  const calls = blocks.filter(Boolean);
  if (calls.length > 0 && stop !== 'tool_use')
    throw new Error(`stopped for ${stop}: input cut short`);
  return calls.map((b) => ({ id: b.id, name: b.name, arguments: JSON.parse(b.json || '{}') }));
}
