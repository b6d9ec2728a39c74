/**
 * Buggy on purpose: takes every `content_block_delta` as text, so a tool_use answer's
 * `input_json_delta` events come out as "undefined". Must fail `tool-use-text` (see lab.json).
 */
/** One Server-Sent Event. */
export interface SseEvent {
  /** The `event:` field, or `message` when the event had none. */
  type: string;
  /** The `data:` lines, joined with `\n`. */
  data: string;
  /** The last `id:` seen so far in the stream, if any. */
  id?: string;
}

export async function readEvents(
  response: Response,
  onEvent: (event: SseEvent) => void,
): Promise<void> {
  if (!response.body) throw new Error(`HTTP ${response.status}: the response has no body`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let type = '';
  let data: string[] = [];
  let lastId: string | undefined;

  const line = (text: string): void => {
    if (text === '') {
      // A blank line ends the event; one without data lines is not dispatched.
      if (data.length > 0) {
        onEvent({ type: type || 'message', data: data.join('\n'), id: lastId });
      }
      type = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return; // a comment (heartbeat)
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1); // exactly one space is part of the syntax
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    // retry and unknown fields are ignored.
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A CR at the very end may be the first half of a CRLF: keep it until the next read says.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop() ?? '';
      for (const text of lines) line(text);
      if (done) return; // an unfinished last event is dropped, as the spec says
    }
  } catch (error) {
    // onEvent threw (or the body failed): stop the download instead of leaving it running.
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}

export interface Message {
  text: string;
  /** `end_turn`, `max_tokens`, `stop_sequence`, `tool_use`, … from `message_delta`. */
  stopReason: string | null;
}

export async function streamMessage(
  response: Response,
  onText: (text: string) => void,
): Promise<Message> {
  let text = '';
  let stopReason: string | null = null;
  let stopped = false;
  await readEvents(response, (event) => {
    const payload = JSON.parse(event.data) as {
      /** A content_block_delta's (`text` when its type is text_delta) or a message_delta's. */
      delta?: { type?: string; text: string; stop_reason?: string | null };
      error?: { type: string; message: string };
    };
    switch (event.type) {
      case 'content_block_delta':
        text += payload.delta?.text;
        onText(payload.delta?.text as string);
        break;
      case 'message_delta':
        stopReason = payload.delta?.stop_reason ?? stopReason;
        break;
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        throw new Error(`${payload.error?.type}: ${payload.error?.message}`);
    }
  });
  if (!stopped) throw new Error('the stream ended before message_stop: the answer is incomplete');
  return { text, stopReason };
}
