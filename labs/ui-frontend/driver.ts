/**
 * What Run does: plays the page. A small backend (the one from the ui-backend lab) forwards the mock
 * provider under the scenario you picked; your `streamToPage` writes into a fake page whose every
 * change is logged: the pieces appended to the output, the Stop button, the status line.
 */
import { createParser } from 'eventsource-parser';
import { streamToPage } from './starter.ts';

const encoder = new TextEncoder();

/** POST /api/chat: forwards the provider stream as delta / done / error events. */
async function backend(_input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request('http://app.streamlab.local/api/chat', init);
  const { messages } = (await request.json()) as { messages: unknown };
  const upstream = new AbortController();
  request.signal.addEventListener('abort', () => upstream.abort(), { once: true });
  const response = await fetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
    signal: upstream.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  return new Response(
    new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (event: { type: string; [field: string]: string }) =>
          controller.enqueue(
            encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
          );
        let ended = false;
        const parser = createParser({
          onEvent(event) {
            if (ended) return;
            if (event.data === '[DONE]') {
              ended = true;
              return send({ type: 'done', finishReason: 'stop' });
            }
            const chunk = JSON.parse(event.data) as {
              error?: unknown;
              choices?: Array<{ delta?: { content?: string | null } }>;
            };
            if (chunk.error) {
              ended = true;
              return send({ type: 'error', message: 'The model is overloaded.' });
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
          controller.close();
        } catch {
          if (!upstream.signal.aborted) {
            send({ type: 'error', message: 'The connection to the model was lost.' });
            controller.close();
          }
        }
      },
      cancel: () => upstream.abort(),
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );
}

export default async function run() {
  let text = '';
  const view = {
    output: {
      append(...parts: string[]) {
        text += parts.join('');
        console.log(`output += ${JSON.stringify(parts.join(''))}`);
      },
      get textContent() {
        return text;
      },
      set textContent(value: string | null) {
        text = value ?? '';
      },
      get innerHTML() {
        return text;
      },
      set innerHTML(value: string) {
        console.warn('innerHTML was set: model output is being parsed as HTML');
        text = value;
      },
    },
    status: {
      set textContent(value: string | null) {
        console.log(`status: ${value}`);
      },
      get textContent() {
        return '';
      },
    },
    stop: {
      set disabled(value: boolean) {
        console.log(`Stop button ${value ? 'disabled' : 'enabled'}`);
      },
      get disabled() {
        return true;
      },
    },
  };
  const outcome = await streamToPage('Why put a backend between the browser and the model?', view, {
    fetch: backend as typeof fetch,
  });
  console.log(`outcome: ${outcome}, ${text.length} characters on the page`);
  return { outcome, text };
}
