/**
 * The page half of a streaming chat: send the prompt to our backend (`POST /api/chat`) and show the
 * answer as it streams. The backend sends SSE events `delta` (`{"type":"delta","text":"…"}`), then
 * `done`, or `error` (`{"type":"error","message":"…"}`).
 *
 * This version waits for the whole body and then shows it. Make it:
 * - append each delta to `view.output` as it arrives, as text (`view.output.append(text)`);
 * - enable `view.stop` while streaming and disable it at the end;
 * - set `view.status.textContent` to a line starting with `Done`, `Stopped`, `Incomplete` or `Error`
 *   (with the backend's message), keeping the partial answer on the page;
 * - cancel the request when `options.signal` aborts (the Stop button), and never reject.
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

export async function streamToPage(
  prompt: string,
  view: ChatView,
  options: StreamOptions = {},
): Promise<ChatOutcome> {
  const { url = '/api/chat', fetch: doFetch = fetch } = options;
  view.output.textContent = '';
  view.status.textContent = 'Answering…';
  const response = await doFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: prompt }] }),
  });
  // TODO: read the body as it streams instead of waiting for all of it.
  const body = await response.text();
  for (const line of body.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const event = JSON.parse(line.slice(6)) as { type: string; text?: string };
    if (event.type === 'delta') view.output.textContent += event.text ?? '';
  }
  view.status.textContent = 'Done.';
  return 'complete';
}
