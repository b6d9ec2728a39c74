import { readSse } from '../02-sse/read-sse.ts';
import type { ChatEvent } from './chat-handler.ts';

export interface ChatOutcome {
  text: string;
  /** complete: `done` arrived; error: the server reported one; stopped: we aborted; incomplete: cut. */
  status: 'complete' | 'error' | 'stopped' | 'incomplete';
  error?: string;
}

/**
 * The browser side: POSTs the conversation to our backend and reads its event stream. `onText` gets
 * each new piece as it arrives; the promise settles with the whole text and how the stream ended.
 * Abort `signal` to stop: the fetch is cancelled, the backend sees the disconnect, the model stops.
 */
export async function streamChat(
  url: string,
  messages: { role: 'user' | 'assistant'; content: string }[],
  { signal, onText }: { signal?: AbortSignal; onText?: (piece: string) => void } = {},
): Promise<ChatOutcome> {
  let text = '';
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages }),
      signal,
    });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      return { text, status: 'error', error: body.error ?? `HTTP ${response.status}` };
    }
    for await (const sse of readSse(response.body)) {
      const event = JSON.parse(sse.data) as ChatEvent;
      if (event.type === 'delta') {
        text += event.text;
        onText?.(event.text);
      } else if (event.type === 'done') {
        return { text, status: 'complete' };
      } else {
        return { text, status: 'error', error: event.message };
      }
    }
    return { text, status: signal?.aborted ? 'stopped' : 'incomplete' };
  } catch (error) {
    if (signal?.aborted) return { text, status: 'stopped' };
    return { text, status: 'incomplete', error: String(error) };
  }
}
