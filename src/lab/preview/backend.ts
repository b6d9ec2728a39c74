/**
 * The chat backend the ui-frontend preview page talks to: `POST /api/chat` with `{ messages }`, answered as
 * `delta` / `done` / `error` events forwarded from the mock's Chat Completions stream under the scenario the
 * learner picked. It is the reference backend of the ui-backend lab (and the one the ui-frontend driver
 * plays), here over a mock handler in the page instead of a server, so it needs no network.
 */
import { createParser } from 'eventsource-parser';
import { MOCK_ORIGIN } from '../run/recorder.ts';

type Handler = (request: Request) => Promise<Response>;
type BackendEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; finishReason: string }
  | { type: 'error'; message: string };

const encoder = new TextEncoder();
const sse = (event: BackendEvent): Uint8Array =>
  encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Answers one request to the preview's backend. Never rejects: failures are HTTP errors or `error` events. */
export function createChatBackend(handler: Handler, scenario: string): Handler {
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (path !== '/api/chat') return json(404, { error: `No route ${request.method} ${path}.` });
    if (request.method !== 'POST') return json(405, { error: 'Use POST /api/chat.' });
    let messages: unknown;
    try {
      ({ messages } = (await request.json()) as { messages?: unknown });
    } catch {
      return json(400, { error: 'The body must be JSON: { "messages": [...] }.' });
    }
    if (!Array.isArray(messages) || messages.length === 0)
      return json(400, { error: 'Send { "messages": [{ "role": "user", "content": "…" }] }.' });
    const upstream = new AbortController();
    request.signal.addEventListener('abort', () => upstream.abort(), { once: true });
    const response = await handler(
      new Request(`${MOCK_ORIGIN}/scenarios/${scenario}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
        signal: upstream.signal,
      }),
    );
    if (!response.ok || !response.body) {
      upstream.abort();
      return json(502, { error: `The model answered HTTP ${response.status}.` });
    }
    return new Response(forward(response.body, upstream), {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  };
}

/** The provider's SSE stream as backend events. Cancelling it (the page went away) aborts upstream. */
function forward(body: ReadableStream<Uint8Array>, upstream: AbortController): ReadableStream {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      let ended = false;
      const send = (event: BackendEvent): void => controller.enqueue(sse(event));
      const parser = createParser({
        onEvent(event) {
          if (ended) return;
          if (event.data === '[DONE]') {
            ended = true;
            return send({ type: 'done', finishReason: 'stop' });
          }
          const chunk = JSON.parse(event.data) as {
            error?: { message?: string };
            choices?: Array<{ delta?: { content?: string | null } }>;
          };
          if (chunk.error) {
            ended = true;
            return send({ type: 'error', message: chunk.error.message ?? 'The model failed.' });
          }
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) send({ type: 'delta', text });
        },
      });
      try {
        while (!ended) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        if (ended) void reader.cancel().catch(() => {});
        controller.close();
      } catch {
        if (upstream.signal.aborted) return;
        send({ type: 'error', message: 'The connection to the model was lost.' });
        controller.close();
      }
    },
    cancel: () => upstream.abort(),
  });
}
