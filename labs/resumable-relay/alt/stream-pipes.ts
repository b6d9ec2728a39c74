/**
 * The relay in another style: a class per stream, the provider read through `TextDecoderStream` and
 * `EventSourceParserStream` with a reader loop, routes split by hand, errors from `Response.json`, and a
 * 204 for a resume that has nothing left to send.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';

export interface RelayOptions {
  fetch?: typeof fetch;
  bufferSize?: number;
  idleMs?: number;
}

type Frame = { id: number; bytes: Uint8Array };
type Reader = (frame: Frame | 'end') => void;

const encoder = new TextEncoder();
const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-store' };
const problem = (status: number, error: string) => Response.json({ error }, { status });

class RelayStream {
  readonly frames: Frame[] = [];
  readonly readers = new Set<Reader>();
  readonly upstream = new AbortController();
  ended = false;
  private next = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly keep: number;
  private readonly idleMs: number;
  private readonly onIdle: () => void;

  constructor(keep: number, idleMs: number, onIdle: () => void) {
    this.keep = keep;
    this.idleMs = idleMs;
    this.onIdle = onIdle;
  }

  get lastId(): number {
    return this.next - 1;
  }

  send(event: string, data: object): void {
    const id = this.next++;
    const frame = {
      id,
      bytes: encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    };
    this.frames.push(frame);
    while (this.frames.length > this.keep) this.frames.shift();
    this.readers.forEach((reader) => reader(frame));
  }

  end(event: 'done' | 'error', data: object): void {
    this.send(event, data);
    this.ended = true;
    this.readers.forEach((reader) => reader('end'));
    this.idleCheck();
  }

  /** Starts the countdown when nobody reads; each later call starts it again. */
  idleCheck(): void {
    clearTimeout(this.timer);
    if (this.readers.size > 0) return;
    this.timer = setTimeout(() => {
      this.upstream.abort();
      this.onIdle();
    }, this.idleMs);
  }

  join(reader: Reader): void {
    clearTimeout(this.timer);
    this.readers.add(reader);
  }

  leave(reader: Reader): void {
    if (this.readers.delete(reader)) this.idleCheck();
  }
}

export function createResumableRelay(options: RelayOptions = {}) {
  const call = options.fetch ?? fetch;
  const streams = new Map<string, RelayStream>();
  let made = 0;

  async function pump(stream: RelayStream, messages: unknown[]): Promise<void> {
    let finishReason: string | undefined;
    try {
      const base = process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
      const response = await call(`${base}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
        signal: stream.upstream.signal,
      });
      if (response.status !== 200 || response.body === null) {
        return stream.end('error', { message: `The provider answered HTTP ${response.status}.` });
      }
      const events = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream())
        .getReader();
      for (;;) {
        const { value, done } = await events.read();
        if (done) break;
        if (value.data === '[DONE]') continue;
        const chunk = JSON.parse(value.data) as {
          choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
        };
        for (const choice of chunk.choices ?? []) {
          const piece = choice.delta?.content;
          if (typeof piece === 'string' && piece.length > 0) stream.send('delta', { text: piece });
          if (choice.finish_reason) finishReason = choice.finish_reason;
        }
      }
      if (finishReason === undefined) stream.end('error', { message: 'The answer stopped early.' });
      else stream.end('done', { finishReason });
    } catch (error) {
      if (!stream.upstream.signal.aborted) stream.end('error', { message: String(error) });
    }
  }

  function follow(streamId: string, stream: RelayStream, after: number): Response {
    let reader: Reader | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        stream.frames.filter((f) => f.id > after).forEach((f) => controller.enqueue(f.bytes));
        if (stream.ended) {
          controller.close();
          return;
        }
        const self: Reader = (frame) => {
          if (frame !== 'end') return controller.enqueue(frame.bytes);
          stream.leave(self);
          controller.close();
        };
        reader = self;
        stream.join(self);
      },
      cancel() {
        if (reader) stream.leave(reader);
      },
    });
    return new Response(body, { headers: { ...sseHeaders, 'x-stream-id': streamId } });
  }

  async function open(request: Request): Promise<Response> {
    let messages: unknown;
    try {
      messages = ((await request.json()) as { messages?: unknown }).messages;
    } catch {
      return problem(400, 'The body must be JSON.');
    }
    if (!Array.isArray(messages) || messages.length < 1) {
      return problem(400, 'Send { "messages": [...] } with at least one message.');
    }
    const streamId = `relay-${++made}`;
    const stream = new RelayStream(options.bufferSize ?? 200, options.idleMs ?? 30_000, () =>
      streams.delete(streamId),
    );
    streams.set(streamId, stream);
    void pump(stream, messages);
    return follow(streamId, stream, 0);
  }

  function reopen(streamId: string, header: string | null): Response {
    const stream = streams.get(streamId);
    if (stream === undefined) return problem(404, `No stream ${streamId}.`);
    const after = header === null ? 0 : Number(header);
    if (!/^\d+$/.test(header ?? '0') || after > stream.lastId) {
      return problem(400, `Last-Event-ID ${header} is not an id of stream ${streamId}.`);
    }
    const oldest = stream.frames.length > 0 ? stream.frames[0]!.id : stream.lastId + 1;
    if (after < oldest - 1) return problem(409, `Events before ${oldest} are gone.`);
    if (stream.ended && after === stream.lastId) return new Response(null, { status: 204 });
    return follow(streamId, stream, after);
  }

  return async (request: Request): Promise<Response> => {
    const parts = new URL(request.url).pathname.split('/').filter(Boolean);
    if (parts[0] !== 'api' || parts[1] !== 'chat' || parts.length > 3) {
      return problem(404, 'Not found.');
    }
    if (parts.length === 2 && request.method === 'POST') return open(request);
    if (parts.length === 3 && request.method === 'GET') {
      return reopen(parts[2]!, request.headers.get('last-event-id'));
    }
    return problem(405, 'Method not allowed.');
  };
}
