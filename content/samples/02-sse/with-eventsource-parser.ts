import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

/** The same Chat Completions stream, framed by the `eventsource-parser` library (v4) instead. */
export async function run(): Promise<string> {
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
    }),
  });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);

  // bytes -> text (UTF-8 safe across reads) -> events (framing safe across reads)
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();

  let text = '';
  try {
    while (true) {
      const { done, value: event } = await reader.read();
      if (done) throw new Error('Stream ended before [DONE]: the answer is truncated.');
      if (event.data === '[DONE]') return text;
      const chunk = JSON.parse(event.data) as ChatCompletionChunk;
      text += chunk.choices[0]?.delta.content ?? '';
    }
  } finally {
    await reader.cancel().catch(() => {}); // stop the download if we leave early
  }
}
