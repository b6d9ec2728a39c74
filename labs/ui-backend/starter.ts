/**
 * The backend behind a streaming chat page: `POST /api/chat` with `{ "messages": [...] }`.
 *
 * It calls the provider (the mock, through `fetch`) and streams the answer to the browser as SSE events
 * of its own: `event: delta` + `data: {"type":"delta","text":"…"}`, then `done` with the finish reason,
 * or `error` with a message. This version forwards a healthy stream. Make it:
 * - answer 400 (JSON `{ "error": "…" }`) to an empty or non-JSON body, to a body without a non-empty
 *   `messages` array, and to any turn other than `{ role: 'user' | 'assistant', content: string }`;
 * - answer 413 (or 400) over your size caps (say 50 messages, 20 000 characters), and set `max_tokens`
 *   yourself (at most 4096), whatever the browser asks;
 * - answer an upstream HTTP error with an error status and JSON `{ "error": "…" }`;
 * - stop the provider request when the browser disconnects (`request.signal`, or the body cancelled);
 * - report failures after the 200 in-band, as an `error` event: an upstream `data: {"error": …}`, a
 *   dropped connection, a body that ends without `[DONE]`;
 * - parse upstream events that are split across reads.
 */

/** What the browser receives, one SSE event each (`event: <type>` and the JSON as `data:`). */
export type ChatEvent =
  | { type: 'delta'; text: string }
  | { type: 'done'; finishReason: string }
  | { type: 'error'; message: string };

export interface ChatHandlerOptions {
  /** The `fetch` used to call the provider (default: the global one). */
  fetch?: typeof fetch;
}

const encoder = new TextEncoder();
const sse = (event: ChatEvent): Uint8Array =>
  encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);

export function createChatHandler(
  options: ChatHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  return async function handleChat(request: Request): Promise<Response> {
    const { messages } = (await request.json()) as { messages: unknown };
    // TODO: 400 for a missing or empty messages array.
    const upstream = await doFetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
      },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
    });
    // TODO: an upstream HTTP error.
    const reader = upstream.body!.getReader();
    const decoder = new TextDecoder();
    const out = new ReadableStream<Uint8Array>({
      async start(controller) {
        let finishReason = 'stop';
        while (true) {
          const { value, done } = await reader.read();
          if (done) break;
          // TODO: an event can be split across reads.
          for (const line of decoder.decode(value, { stream: true }).split('\n')) {
            if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
            const chunk = JSON.parse(line.slice(6)) as {
              choices?: Array<{
                delta?: { content?: string | null };
                finish_reason?: string | null;
              }>;
            };
            const choice = chunk.choices?.[0];
            if (choice?.finish_reason) finishReason = choice.finish_reason;
            if (choice?.delta?.content) {
              controller.enqueue(sse({ type: 'delta', text: choice.delta.content }));
            }
          }
        }
        // TODO: was this really the end of the answer?
        controller.enqueue(sse({ type: 'done', finishReason }));
        controller.close();
      },
      // TODO: the browser went away.
    });
    return new Response(out, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  };
}
