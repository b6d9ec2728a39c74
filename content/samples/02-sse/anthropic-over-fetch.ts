import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { readSse } from './read-sse.ts';

/** Streams an Anthropic Message over plain `fetch`. Every event has a name; there is no [DONE]. */
export async function run(): Promise<{
  text: string;
  stopReason: string | null;
  outputTokens: number;
}> {
  const baseURL = process.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com';
  const response = await fetch(`${baseURL}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': process.env.ANTHROPIC_API_KEY ?? '',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Say hello in three languages.' }],
      stream: true,
    }),
  });
  if (!response.ok || !response.body) {
    throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  }

  let text = '';
  let stopReason: string | null = null;
  let outputTokens = 0;

  for await (const sse of readSse(response.body)) {
    if (sse.event === 'ping') continue; // keep-alive, no data worth reading
    if (sse.event === 'error') throw new Error(`Error inside the stream: ${sse.data}`);
    const event = JSON.parse(sse.data) as RawMessageStreamEvent;
    switch (event.type) {
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') text += event.delta.text;
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason;
        outputTokens = event.usage.output_tokens; // cumulative, not an increment
        break;
      case 'message_stop':
        return { text, stopReason, outputTokens };
    }
  }
  throw new Error(`Stream ended before message_stop after ${text.length} characters.`);
}
