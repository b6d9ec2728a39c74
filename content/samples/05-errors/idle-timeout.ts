import OpenAI from 'openai';

/** Thrown when a stream sends nothing for too long. */
export class IdleTimeoutError extends Error {
  readonly idleMs: number;
  /** The text received before the stream went silent: keep it, labelled as incomplete. */
  readonly partial: string;
  constructor(idleMs: number, partial: string) {
    super(`No data for ${idleMs} ms; stopped after ${partial.length} characters.`);
    this.name = 'IdleTimeoutError';
    this.idleMs = idleMs;
    this.partial = partial;
  }
}

/**
 * Streams with an idle timeout: the timer restarts on every chunk, so a long answer that keeps
 * flowing is never cut, while a stream that goes silent is aborted. The SDK's `timeout` option cannot
 * do this: it stops counting once the response headers arrive.
 */
export async function run(idleMs = 10_000): Promise<string> {
  const client = new OpenAI();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, idleMs);
  };

  let text = '';
  try {
    restart(); // the wait for the first token counts too
    const stream = await client.chat.completions.create(
      {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Summarise the plot of Hamlet in one paragraph.' }],
        stream: true,
      },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      restart();
      text += chunk.choices[0]?.delta.content ?? '';
    }
  } catch (error) {
    if (!timedOut) throw error;
  } finally {
    clearTimeout(timer);
  }
  // An aborted openai stream ends its loop quietly, so check our own flag after the loop as well.
  if (timedOut) throw new IdleTimeoutError(idleMs, text);
  return text;
}
