/**
 * Buggy on purpose: a hand-written SSE parser that matches data lines with their space (`data: `), so
 * `data:{…}` (the space is optional) is skipped. Must fail `sse-corners` (see lab.json).
 */
export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** Yields the data of each SSE event, from a hand-written line parser over a reader loop. */
async function* sseData(response: Response): AsyncGenerator<string> {
  if (!response.ok) throw new Error(`request failed with status ${response.status}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data: ')) {
          data.push(line.slice(6));
        }
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

function parseArgs(text: string, what: string): Record<string, unknown> {
  if (text.length === 0) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: arguments are not valid JSON`);
  }
}

export async function collectToolCalls(response: Response): Promise<ToolCall[]> {
  const calls: { id: string; name: string; args: string }[] = [];
  let finish: string | null = null;
  let sawDone = false;
  for await (const data of sseData(response)) {
    if (data === '[DONE]') {
      sawDone = true;
      break;
    }
    const chunk = JSON.parse(data);
    const choice = chunk.choices?.find((c: { index: number }) => c.index === 0);
    if (!choice) continue;
    if (choice.finish_reason) finish = choice.finish_reason;
    for (const tc of choice.delta?.tool_calls ?? []) {
      const call = (calls[tc.index] ??= { id: '', name: '', args: '' });
      call.id ||= tc.id ?? '';
      call.name += tc.function?.name ?? '';
      call.args += tc.function?.arguments ?? '';
    }
  }
  if (!sawDone) throw new Error('stream ended without [DONE]');
  if (finish !== 'tool_calls' && calls.length)
    throw new Error(`finish_reason ${finish}: calls incomplete`);
  return calls
    .filter(Boolean)
    .map((c) => ({ id: c.id, name: c.name, arguments: parseArgs(c.args, c.name) }));
}

export async function collectToolUses(response: Response): Promise<ToolCall[]> {
  const uses: Record<number, { id: string; name: string; json: string }> = {};
  let stop: string | undefined;
  let ended = false;
  for await (const data of sseData(response)) {
    const ev = JSON.parse(data);
    switch (ev.type) {
      case 'content_block_start':
        if (ev.content_block.type === 'tool_use')
          uses[ev.index] = { id: ev.content_block.id, name: ev.content_block.name, json: '' };
        break;
      case 'content_block_delta':
        if (ev.delta.type === 'input_json_delta' && uses[ev.index])
          uses[ev.index]!.json += ev.delta.partial_json;
        break;
      case 'message_delta':
        stop = ev.delta.stop_reason ?? stop;
        break;
      case 'error':
        throw new Error(`${ev.error.type}: ${ev.error.message}`);
      case 'message_stop':
        ended = true;
    }
    if (ended) break;
  }
  if (!ended) throw new Error('stream ended before message_stop');
  const list = Object.keys(uses)
    .map(Number)
    .sort((a, b) => a - b)
    .map((i) => uses[i]!);
  if (list.length && stop !== 'tool_use')
    throw new Error(`stop_reason ${stop}: tool input incomplete`);
  return list.map((u) => ({ id: u.id, name: u.name, arguments: parseArgs(u.json, u.name) }));
}
