/**
 * ALTERNATIVE correct solution (a test fixture, graded by `src/lab/grade/alt.test.ts`): the body piped
 * through `TextDecoderStream` and `EventSourceParserStream`, read with `for await`; leaving the loop at
 * `[DONE]` cancels the body.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';

export const PROMPT = 'How much sooner does a streamed answer start?';

export async function timeReply(stream: boolean, send: typeof fetch = fetch) {
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const response = await send(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream,
      messages: [{ role: 'user', content: PROMPT }],
    }),
  });
  if (!response.ok) throw new Error(`the API answered ${response.status}`);
  if (!stream) {
    const json = await response.json();
    const totalMs = elapsed();
    return { ttftMs: totalMs, totalMs, text: String(json.choices[0].message.content) };
  }
  let text = '';
  let ttftMs: number | null = null;
  const events = response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const { data } of events) {
    if (data === '[DONE]') break;
    const piece: unknown = JSON.parse(data).choices?.[0]?.delta?.content;
    if (typeof piece !== 'string' || piece.length === 0) continue;
    if (ttftMs === null) ttftMs = elapsed();
    text += piece;
  }
  const totalMs = elapsed();
  return { ttftMs: ttftMs ?? totalMs, totalMs, text };
}
