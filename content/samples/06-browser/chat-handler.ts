import OpenAI from 'openai';
import { parseChatRequest } from './validate-chat.ts';

/** The small event vocabulary between our backend and our frontend, independent of the provider. */
export type ChatEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; finishReason: string }
  | { type: 'error'; message: string };

const encoder = new TextEncoder();
const sse = (event: ChatEvent) =>
  encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Set by the server, never by the browser. */
export const SYSTEM_PROMPT = 'You are a helpful assistant. Answer briefly.';

/**
 * POST /api/chat with `{ "messages": [{ "role": "user", "content": "..." }] }`. A Web-standard handler:
 * it runs as is in Deno, Bun, Cloudflare Workers, Next.js route handlers and Hono, and in Node behind
 * any adapter that turns a client disconnect into `request.signal` aborting or the body being cancelled.
 * `maxDurationMs` stops the provider even when the platform never reports a disconnect.
 */
export function createChatHandler({ maxDurationMs = 120_000 } = {}) {
  return async function handleChat(request: Request): Promise<Response> {
    if (request.method !== 'POST') return json(405, { error: 'Use POST.' });
    const parsed = parseChatRequest(await request.json().catch(() => null));
    if (!parsed.ok) return json(400, { error: parsed.error });

    const client = new OpenAI(); // the key stays on the server
    const upstream = new AbortController();
    // The browser went away (request.signal, or cancel() below): stop the provider stream too. The
    // deadline is the backstop for platforms that never tell the handler.
    const signal = AbortSignal.any([
      upstream.signal,
      request.signal,
      AbortSignal.timeout(maxDurationMs),
    ]);

    let stream;
    try {
      // Failures before the stream (after the SDK's own retries) become a normal HTTP error.
      stream = await client.chat.completions.create(
        {
          model: 'gpt-4o-mini',
          messages: [{ role: 'system', content: SYSTEM_PROMPT }, ...parsed.messages],
          max_completion_tokens: parsed.maxTokens,
          stream: true,
        },
        { signal },
      );
    } catch (error) {
      const status = error instanceof OpenAI.APIError && error.status === 429 ? 429 : 502;
      return json(status, { error: 'The model is unavailable right now. Please try again.' });
    }

    const chunks = stream[Symbol.asyncIterator]();
    let finishReason = '';
    let cancelled = false;
    const timedOut = () =>
      signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError';
    const out = new ReadableStream<Uint8Array>({
      // pull: read upstream only as fast as the browser reads from us (backpressure). Each call must
      // enqueue something or close, or the stream waits forever: skip chunks without text in a loop.
      async pull(controller) {
        try {
          while (true) {
            const { value: chunk, done } = await chunks.next();
            if (cancelled) return;
            if (done) {
              // No finish_reason: the upstream stream was cut (or hit our deadline). Say so.
              const cut = timedOut()
                ? 'The answer took too long and was stopped.'
                : 'The answer was cut off.';
              controller.enqueue(
                finishReason
                  ? sse({ type: 'done', finishReason })
                  : sse({ type: 'error', message: cut }),
              );
              return controller.close();
            }
            const choice = chunk.choices[0];
            if (choice?.finish_reason) finishReason = choice.finish_reason; // "length": cut by the cap
            const text = choice?.delta.content;
            if (text) return controller.enqueue(sse({ type: 'delta', text }));
          }
        } catch (error) {
          if (cancelled) return;
          // The status is already 200: report the failure in-band, then end the stream.
          console.error('upstream stream failed:', error);
          const message = timedOut()
            ? 'The answer took too long and was stopped.'
            : 'The model stopped unexpectedly.';
          controller.enqueue(sse({ type: 'error', message }));
          controller.close();
        }
      },
      // The runtime cancels our body when the client disconnects.
      cancel() {
        cancelled = true;
        upstream.abort();
      },
    });

    return new Response(out, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform', // no caching, no compression by proxies
        'x-accel-buffering': 'no', // nginx: do not buffer this response
      },
    });
  };
}

/** The handler with the default limits. */
export const handleChat = createChatHandler();
