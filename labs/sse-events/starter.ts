/**
 * Two functions:
 *
 * - `readEvents(response, onEvent)` reads any Server-Sent Events body and calls `onEvent` once per event
 *   with its type (the `event:` field, `message` when there is none), its data (all `data:` lines of the
 *   event, joined with `\n`) and the last `id:` seen. Comment lines start with `:` and are skipped.
 * - `streamMessage(response, onText)` reads an Anthropic Messages stream with `readEvents`: text arrives in
 *   `content_block_delta` events, the stop reason in `message_delta`, the end in `message_stop`, and a
 *   failure as an `error` event.
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
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    const text = decoder.decode(value, { stream: true });
    // TODO: split the text into lines (keep an unfinished line for the next read), collect the fields
    // of each event, and call onEvent when a blank line ends it.
    void text;
    void onEvent;
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
  await readEvents(response, (event) => {
    // TODO: switch on event.type and JSON.parse(event.data).
    void event;
    void onText;
  });
  return { text, stopReason };
}
