/**
 * Buggy on purpose: never checks `response.ok`, so a 429 is timed as if it were a reply. Must fail
 * `request-and-endings` (see lab.json).
 */ import { createParser } from 'eventsource-parser';

export interface Timing {
  /** Milliseconds from sending the request to the first piece of text. */
  ttftMs: number;
  /** Milliseconds from sending the request to the end of the reply. */
  totalMs: number;
  /** The whole reply text. */
  text: string;
}

export const PROMPT = 'Why does streaming make a chatbot feel faster?';

interface Chunk {
  choices?: Array<{ delta?: { content?: string | null } }>;
}

export async function timeReply(stream: boolean, send: typeof fetch = fetch): Promise<Timing> {
  const start = performance.now();
  const response = await send(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream,
      messages: [{ role: 'user', content: PROMPT }],
    }),
  });

  if (!stream) {
    // Nothing can be shown before the whole JSON body is in: the first token *is* the last one.
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    const totalMs = performance.now() - start;
    return { ttftMs: totalMs, totalMs, text: body.choices[0]?.message.content ?? '' };
  }

  let text = '';
  let ttftMs: number | undefined;
  let finished = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        finished = true;
        return;
      }
      const piece = (JSON.parse(event.data) as Chunk).choices?.[0]?.delta?.content;
      if (!piece) return; // the role chunk and the finish chunk carry no text
      ttftMs ??= performance.now() - start;
      text += piece;
    },
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  while (!finished) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (finished) await reader.cancel();
  const totalMs = performance.now() - start;
  return { ttftMs: ttftMs ?? totalMs, totalMs, text };
}
