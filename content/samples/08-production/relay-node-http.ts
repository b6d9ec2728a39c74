import { createServer, type IncomingMessage, type Server } from 'node:http';
import OpenAI from 'openai';

/** The longest a relay stream may run, whatever happens to the client: the backstop for lost disconnects. */
const MAX_DURATION_MS = 120_000;
/** A comment line this often keeps proxies and load balancers from closing a quiet connection. */
const HEARTBEAT_MS = 15_000;

async function readJson(req: IncomingMessage): Promise<{ question?: unknown } | null> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64_000) return null;
  }
  try {
    return JSON.parse(body) as { question?: unknown };
  } catch {
    return null;
  }
}

/** POST /api/chat `{ "question": "…" }` → our own SSE: numbered `delta` events, then `done` or `error`. */
export function createRelayServer(options: { maxDurationMs?: number } = {}): Server {
  return createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/api/chat') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"POST /api/chat"}');
      return;
    }
    const body = await readJson(req);
    if (typeof body?.question !== 'string' || body.question.length > 4000) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"Send {\\"question\\": \\"…\\"} (at most 4,000 characters)."}');
      return;
    }

    // One controller stops the model for every reason: the client left, or the backstop fired.
    const upstream = new AbortController();
    // 'close' on the RESPONSE fires when the connection goes away before we end it. (The request's
    // own 'close' fires as soon as its body has been read, which is long before the answer ends.)
    res.on('close', () => upstream.abort(new Error('client disconnected')));
    const backstop = setTimeout(
      () => upstream.abort(new Error('max duration')),
      options.maxDurationMs ?? MAX_DURATION_MS,
    );

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders(); // send the status and headers now, not with the first chunk
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    let id = 0;
    const send = (event: string, data: unknown) =>
      res.write(`id: ${++id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

    try {
      const stream = await new OpenAI().chat.completions.create(
        {
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: body.question }],
        },
        { signal: upstream.signal },
      );
      let finish: string | null = null;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        if (choice?.delta.content) send('delta', { text: choice.delta.content });
        finish = choice?.finish_reason ?? finish;
      }
      // An aborted SDK stream ends its loop quietly, without throwing: ask the signal why it ended.
      if (upstream.signal.aborted) throw upstream.signal.reason;
      if (finish) send('done', { finishReason: finish });
      else send('error', { message: 'The answer was cut off.' });
    } catch {
      const reason = upstream.signal.reason as Error | undefined;
      if (reason?.message === 'max duration')
        send('error', { message: 'The answer took too long.' });
      else if (!upstream.signal.aborted)
        send('error', { message: 'The model stopped unexpectedly.' });
    } finally {
      clearTimeout(backstop);
      clearInterval(heartbeat);
      res.end();
    }
  });
}
