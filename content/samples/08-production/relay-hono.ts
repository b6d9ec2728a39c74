import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import OpenAI from 'openai';

/**
 * The same relay with Hono: `app.fetch` is a Web-standard `(Request) => Response`, so it runs on
 * Node (through `@hono/node-server`), Deno, Bun, Cloudflare Workers and in a test without a socket.
 */
export const app = new Hono();

app.post('/api/chat', async (c) => {
  const body = (await c.req.json().catch(() => null)) as { question?: unknown } | null;
  if (typeof body?.question !== 'string' || body.question.length > 4000) {
    return c.json({ error: 'Send {"question": "…"} (at most 4,000 characters).' }, 400);
  }
  const question = body.question;
  return streamSSE(
    c,
    async (stream) => {
      const upstream = new AbortController();
      stream.onAbort(() => upstream.abort()); // the client went away: stop the model
      let id = 0;
      const completion = await new OpenAI().chat.completions.create(
        { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: question }] },
        { signal: upstream.signal },
      );
      let finish: string | null = null;
      for await (const chunk of completion) {
        const choice = chunk.choices[0];
        const text = choice?.delta.content;
        if (text)
          await stream.writeSSE({
            id: String(++id),
            event: 'delta',
            data: JSON.stringify({ text }),
          });
        finish = choice?.finish_reason ?? finish;
      }
      await stream.writeSSE({
        id: String(id + 1),
        event: finish ? 'done' : 'error',
        data: JSON.stringify(
          finish ? { finishReason: finish } : { message: 'The answer was cut off.' },
        ),
      });
    },
    async (_error, stream) => {
      // Errors after the 200 go to the client in-band, as in lesson 6.
      await stream.writeSSE({
        event: 'error',
        data: JSON.stringify({ message: 'The model stopped unexpectedly.' }),
      });
    },
  );
});
