import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { readSse } from './read-sse.ts';

export interface ChatResult {
  text: string;
  finishReason: string | null;
  /** Present because we asked for `stream_options.include_usage`. */
  usage: ChatCompletionChunk['usage'];
}

/** Streams a Chat Completion over plain `fetch`, with no SDK, and our own SSE reader. */
export async function run(signal?: AbortSignal): Promise<ChatResult> {
  const baseURL = process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${process.env.OPENAI_API_KEY ?? ''}`,
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello in three languages.' }],
      stream: true,
      stream_options: { include_usage: true },
    }),
    signal,
  });
  // Errors before the stream are ordinary HTTP errors with a JSON body.
  if (!response.ok || !response.body) {
    throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  }

  let text = '';
  let finishReason: string | null = null;
  let usage: ChatCompletionChunk['usage'] = null;
  let finished = false;

  for await (const event of readSse(response.body)) {
    if (event.data === '[DONE]') {
      finished = true;
      break; // leaves the for-await, which cancels the body
    }
    const payload = JSON.parse(event.data) as ChatCompletionChunk | { error: { message: string } };
    // A 200 is not success: an error can still arrive inside the stream.
    if ('error' in payload) throw new Error(`Error inside the stream: ${payload.error.message}`);
    if (payload.usage) usage = payload.usage; // the usage chunk has an empty `choices` array
    const choice = payload.choices[0];
    if (!choice) continue;
    if (choice.delta.content) text += choice.delta.content; // may be null or absent
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }

  // No [DONE] means the connection closed early: the text is truncated, not complete.
  if (!finished) throw new Error(`Stream ended before [DONE] after ${text.length} characters.`);
  return { text, finishReason, usage };
}
