// BUG: always reports finishReason `stop`, so an answer cut at max_tokens looks complete.
/**
 * A relay whose streams survive the browser's connection: every event gets an id, the last events of
 * each stream wait in a bounded replay buffer, and a browser that lost its connection resumes with
 * `Last-Event-ID`. The provider stream belongs to the buffer, not to the connection, so it keeps
 * generating while the browser is away; a stream nobody comes back for is freed.
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

interface Stream {
  /** The buffered events, oldest first, as SSE text with their ids. */
  events: { id: number; text: string }[];
  lastId: number;
  finished: boolean;
  /** Browsers reading it now: each gets every new event. */
  listeners: Set<(event: { id: number; text: string } | null) => void>;
  upstream: AbortController;
  idleTimer?: ReturnType<typeof setTimeout>;
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function createResumableRelay(options: RelayOptions = {}) {
  const providerFetch = options.fetch ?? fetch;
  const bufferSize = options.bufferSize ?? 200;
  const idleMs = options.idleMs ?? 30_000;
  const streams = new Map<string, Stream>();
  let counter = 0;

  /** Forgets a stream and stops its provider request if it is still generating. */
  function free(id: string, stream: Stream): void {
    streams.delete(id);
    stream.upstream.abort();
  }

  /** (Re)starts the countdown to freeing a stream when nobody is reading it. */
  function watchIdle(id: string, stream: Stream): void {
    clearTimeout(stream.idleTimer);
    if (stream.listeners.size === 0) stream.idleTimer = setTimeout(() => free(id, stream), idleMs);
  }

  function publish(id: string, stream: Stream, type: string, data: unknown): void {
    const eventId = ++stream.lastId;
    const event = {
      id: eventId,
      text: `id: ${eventId}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`,
    };
    stream.events.push(event);
    if (stream.events.length > bufferSize) stream.events.shift();
    for (const listener of stream.listeners) listener(event);
    if (type === 'done' || type === 'error') {
      stream.finished = true;
      for (const listener of stream.listeners) listener(null);
      watchIdle(id, stream);
    }
  }

  /** Reads the provider's stream into the buffer, whoever is (or is not) connected. */
  async function generate(id: string, stream: Stream, messages: unknown[]): Promise<void> {
    let finish = '';
    try {
      const response = await providerFetch(
        `${process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1'}/chat/completions`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
          signal: stream.upstream.signal,
        },
      );
      if (!response.ok || !response.body) throw new Error(`provider answered ${response.status}`);
      const parser = createParser({
        onEvent(event) {
          if (event.data === '[DONE]') return;
          const chunk = JSON.parse(event.data) as {
            choices?: { delta?: { content?: string }; finish_reason?: string | null }[];
          };
          const choice = chunk.choices?.[0];
          if (choice?.delta?.content) publish(id, stream, 'delta', { text: choice.delta.content });
          if (choice?.finish_reason) finish = choice.finish_reason;
        },
      });
      const decoder = new TextDecoder();
      for await (const bytes of response.body) parser.feed(decoder.decode(bytes, { stream: true }));
      if (finish) publish(id, stream, 'done', { finishReason: 'stop' });
      else publish(id, stream, 'error', { message: 'The answer was cut off.' });
    } catch {
      if (streams.has(id))
        publish(id, stream, 'error', { message: 'The model stopped unexpectedly.' });
    }
  }

  /** A response that replays the buffered events after `after`, then follows the stream live. */
  function attach(id: string, stream: Stream, after: number): Response {
    let detach = (): void => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const encoder = new TextEncoder();
        for (const event of stream.events)
          if (event.id > after) controller.enqueue(encoder.encode(event.text));
        if (stream.finished) return controller.close();
        const listener = (event: { id: number; text: string } | null): void => {
          if (event) controller.enqueue(encoder.encode(event.text));
          else {
            detach();
            controller.close();
          }
        };
        stream.listeners.add(listener);
        clearTimeout(stream.idleTimer);
        detach = () => {
          stream.listeners.delete(listener);
          watchIdle(id, stream);
        };
      },
      cancel() {
        detach(); // the browser left: the stream goes on into the buffer
      },
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-stream-id': id,
      },
    });
  }

  return async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === 'POST' && path === '/api/chat') {
      const body = (await request.json().catch(() => null)) as { messages?: unknown } | null;
      if (!Array.isArray(body?.messages) || body.messages.length === 0)
        return json(400, { error: 'Expected a JSON body with a non-empty "messages" array.' });
      const id = `s${++counter}`;
      const stream: Stream = {
        events: [],
        lastId: 0,
        finished: false,
        listeners: new Set(),
        upstream: new AbortController(),
      };
      streams.set(id, stream);
      void generate(id, stream, body.messages);
      return attach(id, stream, 0);
    }
    const resume = /^\/api\/chat\/([\w-]+)$/.exec(path);
    if (request.method === 'GET' && resume) {
      const id = resume[1]!;
      const stream = streams.get(id);
      if (!stream)
        return json(404, { error: `Stream ${id} is unknown or was freed: start a new one.` });
      const after = Number(request.headers.get('last-event-id') ?? '0');
      if (!Number.isInteger(after) || after < 0 || after > stream.lastId)
        return json(400, {
          error: `Last-Event-ID must be an event id of this stream (0 to ${stream.lastId}).`,
        });
      const oldest = stream.events[0]?.id ?? stream.lastId + 1;
      if (after + 1 < oldest)
        return json(409, {
          error: `Cannot resume after event ${after}: events before ${oldest} are no longer buffered. Start a new stream.`,
        });
      return attach(id, stream, after);
    }
    return json(404, { error: 'POST /api/chat, or GET /api/chat/<stream id> with Last-Event-ID.' });
  };
}
