import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

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

/**
 * POST /api/chat with `{ "messages": [{ "role": "user", "content": "..." }] }`. A Web-standard handler:
 * it runs as is in Deno, Bun, Cloudflare Workers, Next.js route handlers and Hono, and in Node behind
 * any adapter that turns a client disconnect into `request.signal` aborting or the body being cancelled.
 */
export async function handleChat(request: Request): Promise<Response> {
  if (request.method !== 'POST') return json(405, { error: 'Use POST.' });
  const body = (await request.json().catch(() => null)) as { messages?: unknown } | null;
  const messages = body?.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return json(400, { error: 'Expected a JSON body with a non-empty "messages" array.' });
  }

  const client = new OpenAI(); // the key stays on the server
  const upstream = new AbortController();
  // The browser went away: stop the provider stream too, so it stops generating (and billing).
  request.signal.addEventListener('abort', () => upstream.abort(), { once: true });

  let stream;
  try {
    // Failures before the stream (after the SDK's own retries) become a normal HTTP error.
    stream = await client.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: messages as ChatCompletionMessageParam[],
        stream: true,
      },
      { signal: upstream.signal },
    );
  } catch (error) {
    const status = error instanceof OpenAI.APIError && error.status === 429 ? 429 : 502;
    return json(status, { error: 'The model is unavailable right now. Please try again.' });
  }

  const chunks = stream[Symbol.asyncIterator]();
  let finishReason = '';
  let cancelled = false;
  const out = new ReadableStream<Uint8Array>({
    // pull: read upstream only as fast as the browser reads from us (backpressure). Each call must
    // enqueue something or close, or the stream waits forever: skip chunks without text in a loop.
    async pull(controller) {
      try {
        while (true) {
          const { value: chunk, done } = await chunks.next();
          if (cancelled) return;
          if (done) {
            // No finish_reason means the upstream stream was cut: say so instead of ending normally.
            controller.enqueue(
              finishReason
                ? sse({ type: 'done', finishReason })
                : sse({ type: 'error', message: 'The answer was cut off.' }),
            );
            return controller.close();
          }
          const choice = chunk.choices[0];
          if (choice?.finish_reason) finishReason = choice.finish_reason;
          const text = choice?.delta.content;
          if (text) return controller.enqueue(sse({ type: 'delta', text }));
        }
      } catch (error) {
        if (cancelled) return;
        // The status is already 200: report the failure in-band, then end the stream.
        console.error('upstream stream failed:', error);
        controller.enqueue(sse({ type: 'error', message: 'The model stopped unexpectedly.' }));
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
}
