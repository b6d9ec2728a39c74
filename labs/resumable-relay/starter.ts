/**
 * A relay whose streams survive the browser's connection: `POST /api/chat` with `{ "messages": […] }`
 * streams the answer as SSE events of our own (`delta`, then `done` or `error`), like lesson 6's backend.
 *
 * Make a dropped browser able to resume instead of starting over:
 * - give every event an `id:` (1, 2, 3, …) and answer with an `x-stream-id` header naming the stream;
 *   `done` carries the provider's `finishReason`, `error` a `message`;
 * - keep each stream's last `bufferSize` events, and serve `GET /api/chat/<stream id>` with a
 *   `Last-Event-ID` header (none: from the start): replay the events after that id, then follow the
 *   stream live; a `Last-Event-ID` that is not an id of the stream gets a 400;
 * - keep reading the provider while no browser is connected (the stream belongs to the buffer, not to
 *   the connection); a provider that fails or ends without a finish_reason ends the stream with `error`;
 * - answer 409 (JSON `{ "error": "…" }`) when the events after that id have left the buffer: never guess;
 * - answer 404 for an unknown stream or path, and free a stream once no browser has read it for `idleMs`
 *   (counted again from when it finished), aborting its provider request if it still runs.
 */
import { createParser } from 'eventsource-parser';

export interface RelayOptions {
  /** The `fetch` used to call the provider (default: the global one). */
  fetch?: typeof fetch;
  /** Events kept per stream for replay (default 200). */
  bufferSize?: number;
  /** A stream with no browser attached is freed this long after it finished or its browser left (default 30 s). */
  idleMs?: number;
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function createResumableRelay(options: RelayOptions = {}) {
  const providerFetch = options.fetch ?? fetch;
  const encoder = new TextEncoder();

  return async function handle(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => null)) as { messages?: unknown } | null;
    if (!Array.isArray(body?.messages) || body.messages.length === 0)
      return json(400, { error: 'Expected a JSON body with a non-empty "messages" array.' });
    const upstream = new AbortController();
    const response = await providerFetch(
      `${process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'}/chat/completions`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: body.messages }),
        signal: upstream.signal,
      },
    );
    const out = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (type: string, data: unknown) =>
          controller.enqueue(encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`));
        let finish = '';
        const parser = createParser({
          onEvent(event) {
            if (event.data === '[DONE]') return;
            const choice = (
              JSON.parse(event.data) as {
                choices?: { delta?: { content?: string }; finish_reason?: string | null }[];
              }
            ).choices?.[0];
            if (choice?.delta?.content) send('delta', { text: choice.delta.content });
            if (choice?.finish_reason) finish = choice.finish_reason;
          },
        });
        const decoder = new TextDecoder();
        try {
          for await (const bytes of response.body!)
            parser.feed(decoder.decode(bytes, { stream: true }));
          send(
            finish ? 'done' : 'error',
            finish ? { finishReason: finish } : { message: 'Cut off.' },
          );
        } catch {
          send('error', { message: 'The model stopped unexpectedly.' });
        }
        controller.close();
      },
      cancel() {
        upstream.abort(); // the browser left: today the answer is lost with the connection
      },
    });
    return new Response(out, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  };
}
