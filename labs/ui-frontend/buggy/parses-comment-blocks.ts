/**
 * Buggy on purpose: parses every block as JSON, a keep-alive comment (no data line) included, so the
 * first comment ends the answer as incomplete. Must fail `keep-alive-comments` (see lab.json).
 */
/** The parts of the page this code touches (real DOM elements satisfy these types). */
export interface ChatView {
  /** Where the answer goes. `append(text)` adds a Text node: model output never becomes markup. */
  output: { append(...text: string[]): void; textContent: string | null; innerHTML: string };
  /** A polite live region: says Done / Stopped / Incomplete / Error, not every token. */
  status: { textContent: string | null };
  /** Enabled only while an answer is streaming. */
  stop: { disabled: boolean };
}

export type ChatOutcome = 'complete' | 'stopped' | 'incomplete' | 'error';

export interface StreamOptions {
  /** Aborted by the Stop button. */
  signal?: AbortSignal;
  /** The backend endpoint (default `/api/chat`). */
  url?: string;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
}

/** Streams the answer to `prompt` into `view`; resolves with how it ended (never rejects). */
export async function streamToPage(
  prompt: string,
  view: ChatView,
  options: StreamOptions = {},
): Promise<ChatOutcome> {
  const { signal, url = '/api/chat', fetch: doFetch = fetch } = options;
  view.output.textContent = '';
  view.status.textContent = 'Answering…';
  view.stop.disabled = false;
  const finish = (outcome: ChatOutcome, status: string): ChatOutcome => {
    view.stop.disabled = true;
    view.status.textContent = status;
    return outcome;
  };
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: prompt }] }),
      signal, // Stop aborts the request: the backend sees the disconnect and stops the model
    });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      return finish('error', `Error: ${body.error ?? `HTTP ${response.status}`}`);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        const event = JSON.parse(data) as
          | { type: 'delta'; text: string }
          | { type: 'done'; finishReason: string }
          | { type: 'error'; message: string };
        if (event.type === 'delta') view.output.append(event.text);
        else if (event.type === 'done') {
          void reader.cancel().catch(() => {});
          return finish('complete', 'Done.');
        } else {
          void reader.cancel().catch(() => {});
          return finish('error', `Error: ${event.message} The answer above is partial.`);
        }
      }
    }
    // The stream ended without done or error: the answer was cut, whatever it looks like.
    return finish('incomplete', 'Incomplete: the connection closed before the answer finished.');
  } catch {
    // Stop aborts the request, so the pending read rejects too: tell the two apart by the signal.
    if (signal?.aborted) return finish('stopped', 'Stopped. The answer above is partial.');
    return finish('incomplete', 'Incomplete: the connection was lost.');
  }
}
