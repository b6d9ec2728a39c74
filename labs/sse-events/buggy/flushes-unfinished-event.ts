/**
 * Buggy on purpose: when the body ends, handles what is left in the buffer as a last line and
 * dispatches the pending event, so an event cut in the middle of a line is reported half-written.
 * Must fail `cut-mid-line` (see lab.json).
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
  let first = true;

  const line = (text: string): void => {
    if (text === '') {
      // A blank line ends the event; one without data lines is not dispatched.
      if (data.length > 0) {
        const event: SseEvent = { type: type || 'message', data: data.join('\n') };
        if (lastId !== undefined) event.id = lastId;
        onEvent(event);
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
      if (first && buffer.length > 0) {
        if (buffer.startsWith('\uFEFF')) buffer = buffer.slice(1);
        first = false;
      }
      // A CR at the very end may be the first half of a CRLF: keep it until the next read says.
      const lines = buffer.split(/\r\n|\r(?!$)|\n/);
      buffer = lines.pop() ?? '';
      for (const text of lines) line(text);
      if (done) {
        if (buffer) line(buffer);
        line('');
        return;
      }
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
    if (event.type === 'ping') return;
    const payload = JSON.parse(event.data) as {
      delta?: { type?: string; text?: string; stop_reason?: string | null };
      error?: { type?: string; message?: string };
    };
    switch (event.type) {
      case 'content_block_delta':
        if (payload.delta?.type === 'text_delta' && payload.delta.text) {
          text += payload.delta.text;
          onText(payload.delta.text);
        }
        break;
      case 'message_delta':
        stopReason = payload.delta?.stop_reason ?? stopReason;
        break;
      case 'message_stop':
        stopped = true;
        break;
      case 'error':
        throw new Error(
          `${payload.error?.type ?? 'error'}: ${payload.error?.message ?? 'the stream reported an error'}`,
        );
    }
  });
  if (!stopped) throw new Error('the stream ended before message_stop: the answer is incomplete');
  return { text, stopReason };
}
