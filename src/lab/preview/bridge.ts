/**
 * The page's side of the preview frame's `fetch` (`page.ts`): each request arrives as a message from the
 * frame's window with a MessagePort, is answered by `serve` (the preview backend), and its response goes
 * back on that port as `head`, `chunk`s as they are read, then `end` or `error`. An `abort` from the frame
 * cancels the body, which aborts the backend's upstream request, as a closed connection would.
 *
 * Only messages from the frame's own window are taken, and only in the exact shape below; anything else
 * is ignored, so nothing the frame posts can make the page do more than one backend request per message.
 */
import { PREVIEW_FETCH, PREVIEW_STATE } from './page.ts';

export interface PreviewFetchMessage {
  type: typeof PREVIEW_FETCH;
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface PreviewStateMessage {
  type: typeof PREVIEW_STATE;
  state: 'ready' | 'streaming' | 'done' | 'error';
  detail: string;
}

const MAX_BODY = 1_000_000;
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);

/** The fetch message, if `data` is exactly one; `undefined` otherwise. */
export function asFetchMessage(data: unknown): PreviewFetchMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (m.type !== PREVIEW_FETCH) return undefined;
  if (typeof m.url !== 'string' || typeof m.method !== 'string' || !METHODS.has(m.method))
    return undefined;
  if (!(m.body === null || (typeof m.body === 'string' && m.body.length <= MAX_BODY)))
    return undefined;
  if (typeof m.headers !== 'object' || m.headers === null) return undefined;
  const headers = m.headers as Record<string, unknown>;
  if (!Object.values(headers).every((v) => typeof v === 'string')) return undefined;
  try {
    new URL(m.url);
  } catch {
    return undefined;
  }
  return m as unknown as PreviewFetchMessage;
}

/** The state message, if `data` is exactly one. */
export function asStateMessage(data: unknown): PreviewStateMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (m.type !== PREVIEW_STATE || typeof m.detail !== 'string') return undefined;
  if (!['ready', 'streaming', 'done', 'error'].includes(m.state as string)) return undefined;
  return m as unknown as PreviewStateMessage;
}

/** Streams `response` down `port`; stops reading when the frame says `abort` or goes away. */
async function answer(port: MessagePort, response: Response, aborted: AbortSignal): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  port.postMessage({ type: 'head', status: response.status, headers });
  const reader = response.body?.getReader();
  if (!reader) {
    port.postMessage({ type: 'end' });
    return;
  }
  port.onmessage = (event: MessageEvent<{ type?: string }>) => {
    if (event.data?.type === 'abort') void reader.cancel().catch(() => {});
  };
  if (aborted.aborted) void reader.cancel().catch(() => {});
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      const bytes = value.slice().buffer;
      port.postMessage({ type: 'chunk', bytes }, [bytes]);
    }
    port.postMessage({ type: 'end' });
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : 'Failed' });
  } finally {
    port.onmessage = null;
  }
}

/**
 * Serves the frame's requests with `serve`. `onState` hears the page's own reports (ready, streaming,
 * done, error). Returns a function that stops listening.
 */
export function bridgePreview(
  frame: HTMLIFrameElement,
  serve: (request: Request) => Promise<Response>,
  onState: (state: PreviewStateMessage) => void = () => {},
): () => void {
  const listener = (event: MessageEvent): void => {
    if (event.source === null || event.source !== frame.contentWindow) return;
    const state = asStateMessage(event.data);
    if (state) return onState(state);
    const message = asFetchMessage(event.data);
    const port = event.ports[0];
    if (!message || !port) return;
    const controller = new AbortController();
    // An abort before the answer starts aborts the backend's request itself.
    port.onmessage = (event: MessageEvent<{ type?: string }>) => {
      if (event.data?.type === 'abort') controller.abort();
    };
    const request = new Request(message.url, {
      method: message.method,
      headers: message.headers,
      body: message.method === 'GET' || message.method === 'HEAD' ? null : message.body,
      signal: controller.signal,
    });
    serve(request).then(
      (response) => answer(port, response, controller.signal),
      (error: unknown) =>
        port.postMessage({
          type: 'error',
          message: error instanceof Error ? error.message : 'The backend failed',
        }),
    );
  };
  window.addEventListener('message', listener);
  return () => window.removeEventListener('message', listener);
}
