/**
 * Buggy on purpose: stops the provider only by cancelling its body's reader, which does not exist
 * before the provider answers; fetch gets no signal. Must fail `disconnect-before-answer` (see lab.json).
 */
import { createParser } from 'eventsource-parser';

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

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface Chunk {
  error?: { message?: string };
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
}

/** What a browser may send: its own turns and the answers it was shown, never a system prompt. */
const BROWSER_ROLES = new Set(['user', 'assistant']);
/** Caps on what one request may cost: turns, characters of content, and tokens of answer. */
const MAX_MESSAGES = 50;
const MAX_CHARS = 20_000;
const MAX_TOKENS = 1_024;
/** The system prompt is the server's: a browser cannot replace or add to it. */
const SYSTEM_PROMPT = 'You are a helpful assistant. Answer briefly.';

type Turn = { role: 'user' | 'assistant'; content: string };

/**
 * The browser's `messages`, validated: a non-empty array of `{ role: 'user' | 'assistant', content:
 * string }` within the caps. Returns the turns, or the status and message to refuse the request with.
 */
function validateMessages(body: unknown): Turn[] | { status: number; error: string } {
  const messages = (body as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return { status: 400, error: 'Expected a JSON body with a non-empty "messages" array.' };
  }
  if (messages.length > MAX_MESSAGES) {
    return { status: 413, error: `At most ${MAX_MESSAGES} messages.` };
  }
  const turns: Turn[] = [];
  let chars = 0;
  for (const message of messages as unknown[]) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (typeof role !== 'string' || !BROWSER_ROLES.has(role) || typeof content !== 'string') {
      return {
        status: 400,
        error: 'Each message needs a role of user or assistant and text content.',
      };
    }
    chars += content.length;
    turns.push({ role: role as Turn['role'], content });
  }
  if (chars > MAX_CHARS) return { status: 413, error: `At most ${MAX_CHARS} characters in all.` };
  return turns;
}

/** Makes the handler for `POST /api/chat` with `{ "messages": [{ "role": "user", "content": "…" }] }`. */
export function createChatHandler(
  options: ChatHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  return async function handleChat(request: Request): Promise<Response> {
    // An empty or non-JSON body is the browser's mistake (400), never a crash (500).
    const body = (await request.json().catch(() => null)) as unknown;
    const turns = validateMessages(body);
    if (!Array.isArray(turns)) return json(turns.status, { error: turns.error });
    const messages = [{ role: 'system', content: SYSTEM_PROMPT }, ...turns];

    // One controller for the provider request: the browser leaving aborts it, so generation stops.
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined = undefined;
    const stopUpstream = (): void => {
      void reader?.cancel().catch(() => {});
    };
    request.signal.addEventListener('abort', stopUpstream);

    let response: Response;
    try {
      response = await doFetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${process.env.OPENAI_API_KEY}`, // the key never leaves the server
        },
        // Only the validated turns, and the server's own answer budget, whatever the browser asked.
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          max_tokens: MAX_TOKENS,
          messages,
        }),
      });
    } catch {
      return json(502, { error: 'The model could not be reached. Please try again.' });
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      // Before the stream, a failure is still an HTTP status; keep the provider's details in the logs.
      return json(response.status === 429 ? 429 : 502, {
        error: 'The model is unavailable right now. Please try again.',
      });
    }

    reader = response.body.getReader();
    const decoder = new TextDecoder();
    const pending: ChatEvent[] = [];
    let finishReason = '';
    let ended = false; // [DONE] or an error event arrived: nothing more to read
    const parser = createParser({
      onEvent(event) {
        if (ended) return;
        if (event.data === '[DONE]') {
          ended = true;
          // [DONE] without a finish_reason means the answer was cut short upstream.
          pending.push(
            finishReason
              ? { type: 'done', finishReason }
              : { type: 'error', message: 'The answer was cut off.' },
          );
          return;
        }
        const chunk = JSON.parse(event.data) as Chunk;
        if (chunk.error) {
          ended = true;
          pending.push({ type: 'error', message: 'The model stopped unexpectedly. Please retry.' });
          return;
        }
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        const text = choice?.delta?.content;
        if (text) pending.push({ type: 'delta', text });
      },
    });

    const out = new ReadableStream<Uint8Array>({
      // pull: read the provider only as fast as the browser reads us (backpressure).
      async pull(controller) {
        try {
          while (pending.length === 0 && !ended) {
            const { value, done } = await reader.read();
            if (done) {
              // The body ended without [DONE]: a cut stream, never a complete answer.
              ended = true;
              pending.push({ type: 'error', message: 'The answer was cut off.' });
              break;
            }
            parser.feed(decoder.decode(value, { stream: true }));
          }
          for (const event of pending.splice(0)) controller.enqueue(sse(event));
          if (ended) {
            controller.close();
            void reader.cancel().catch(() => {});
          }
        } catch {
          if (request.signal.aborted) return; // the browser left: nobody to tell
          // The status is already 200: report the failure in-band, then end the stream.
          controller.enqueue(
            sse({ type: 'error', message: 'The connection to the model was lost.' }),
          );
          controller.close();
        }
      },
      // The runtime cancels our body when the browser disconnects.
      cancel: stopUpstream,
    });

    return new Response(out, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      },
    });
  };
}
