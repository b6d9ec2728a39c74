import OpenAI from 'openai';

/** The two latency figures of one streamed answer, in milliseconds from the moment we sent it. */
export interface StreamTiming {
  /** Time to first token: when the first non-empty piece of text arrived. */
  ttftMs: number;
  /** When the stream finished: the last chunk has arrived and the connection is done. */
  totalMs: number;
  /** How many chunks carried text. */
  textChunks: number;
  text: string;
}

export async function run(): Promise<StreamTiming> {
  // Reads OPENAI_API_KEY and OPENAI_BASE_URL from the environment.
  const client = new OpenAI();

  const start = performance.now();
  let ttftMs: number | undefined;
  let textChunks = 0;
  let text = '';

  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Explain garbage collection in two paragraphs.' }],
    stream: true,
  });

  for await (const chunk of stream) {
    const piece = chunk.choices[0]?.delta.content;
    if (!piece) continue; // the role-only first chunk and the final chunk carry no text
    ttftMs ??= performance.now() - start;
    textChunks += 1;
    text += piece;
  }

  const totalMs = performance.now() - start;
  if (ttftMs === undefined) throw new Error('The stream ended without any text.');
  return { ttftMs, totalMs, textChunks, text };
}
