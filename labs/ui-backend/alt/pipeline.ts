/**
 * ALTERNATIVE correct solution (a test fixture: `src/lab/grade/alt.test.ts` grades it): the upstream body
 * piped through `TextDecoderStream` and `EventSourceParserStream` into a `TransformStream`, validation as
 * one predicate, and the browser's disconnect reaching upstream through `pipeTo`'s own cancellation.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';

const isTurn = (m: unknown): m is { role: 'user' | 'assistant'; content: string } =>
  typeof m === 'object' &&
  m !== null &&
  ['user', 'assistant'].includes((m as { role?: unknown }).role as string) &&
  typeof (m as { content?: unknown }).content === 'string';

const reply = (status: number, error: string) => Response.json({ error }, { status });

const frame = (type: string, fields: Record<string, string>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;

export function createChatHandler({ fetch: send = fetch }: { fetch?: typeof fetch } = {}) {
  return async (request: Request): Promise<Response> => {
    let body: { messages?: unknown; max_tokens?: unknown };
    try {
      body = await request.json();
    } catch {
      return reply(400, 'Send JSON.');
    }
    const messages = body?.messages;
    if (!Array.isArray(messages) || !messages.length || !messages.every(isTurn)) {
      return reply(400, 'messages: user/assistant turns with text.');
    }
    if (messages.length > 40 || messages.reduce((n, m) => n + m.content.length, 0) > 16_000) {
      return reply(413, 'Too long.');
    }
    const asked = typeof body.max_tokens === 'number' ? body.max_tokens : 800;
    const stop = new AbortController();
    request.signal.addEventListener('abort', () => stop.abort());
    let upstream: Response;
    try {
      upstream = await send(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
        },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          max_completion_tokens: Math.min(Math.max(1, asked), 800),
          messages,
        }),
        signal: stop.signal,
      });
    } catch {
      return reply(502, 'Unreachable.');
    }
    if (!upstream.ok || !upstream.body) {
      void upstream.body?.cancel();
      return reply(upstream.status === 429 ? 429 : 502, 'Unavailable.');
    }
    let finish = '';
    let over = false;
    const toBrowser = new TransformStream<{ data: string }, string>({
      transform(event, out) {
        if (over) return;
        if (event.data === '[DONE]') {
          over = true;
          out.enqueue(
            finish
              ? frame('done', { finishReason: finish })
              : frame('error', { message: 'Cut off.' }),
          );
          return out.terminate();
        }
        const chunk = JSON.parse(event.data);
        if (chunk.error) {
          over = true;
          out.enqueue(frame('error', { message: 'The model failed.' }));
          return out.terminate();
        }
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (choice?.delta?.content) out.enqueue(frame('delta', { text: choice.delta.content }));
      },
      flush(out) {
        if (!over) out.enqueue(frame('error', { message: 'Cut off.' }));
      },
    });
    const events = upstream.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    events.pipeTo(toBrowser.writable, { signal: stop.signal }).catch(() => {});
    const out = toBrowser.readable.pipeThrough(new TextEncoderStream());
    const reader = out.getReader();
    const body2 = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch {
          if (stop.signal.aborted) return;
          controller.enqueue(
            new TextEncoder().encode(frame('error', { message: 'Connection lost.' })),
          );
          controller.close();
        }
      },
      cancel() {
        stop.abort();
      },
    });
    return new Response(body2, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      },
    });
  };
}
