/**
 * Measure how long a reply takes: time to first token (TTFT) and total time, for the same question
 * streamed (`stream: true`) and not streamed.
 *
 * The request and the reading of the stream are written for you. Your part is the clock: decide when it
 * starts and at which moment each of the two figures is taken.
 */
import { createParser } from 'eventsource-parser';

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
  // TODO: start a clock (performance.now()).
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
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);

  if (!stream) {
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    // TODO: when can a user see the first token of a reply that is not streamed?
    return { ttftMs: 0, totalMs: 0, text: body.choices[0]?.message.content ?? '' };
  }

  let text = '';
  let finished = false;
  const parser = createParser({
    onEvent(event) {
      if (event.data === '[DONE]') {
        finished = true;
        return;
      }
      const piece = (JSON.parse(event.data) as Chunk).choices?.[0]?.delta?.content;
      if (!piece) return;
      // TODO: the first time this line is reached, take the TTFT.
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
  // TODO: take the total time.
  return { ttftMs: 0, totalMs: 0, text };
}
