import OpenAI from 'openai';
import { isRetryable, retryDelayMs, sleep } from './retry-policy.ts';

/** What the user sees: the text and a label for its state. */
export type AnswerStatus = 'streaming' | 'retrying' | 'complete' | 'incomplete' | 'stopped';
export interface Screen {
  show(text: string, status: AnswerStatus): void;
}

/**
 * Streams with recovery from failures *inside* the stream. Each attempt builds its own text; the
 * screen shows one attempt's text at a time, so nothing appears twice. During a retry the partial
 * answer stays visible, labelled, until the new attempt has caught up with it. If every attempt
 * fails, the longest partial answer is kept and labelled incomplete, not thrown away.
 */
export async function run(
  screen: Screen,
  { maxAttempts = 3, signal }: { maxAttempts?: number; signal?: AbortSignal } = {},
): Promise<{ text: string; status: AnswerStatus; attempts: number }> {
  const client = new OpenAI({ maxRetries: 0 });
  let best = ''; // the longest text any attempt produced: what is on screen between attempts

  let attempt = 1;
  for (; attempt <= maxAttempts; attempt++) {
    let text = '';
    let started = false; // true once the 200 arrived: from then on, failures are mid-stream
    try {
      const stream = await client.chat.completions.create(
        {
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'Summarise the plot of Hamlet in one paragraph.' }],
          stream: true,
        },
        { signal },
      );
      started = true;
      let finished = false;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        text += choice?.delta.content ?? '';
        if (choice?.finish_reason) finished = true;
        // Replace, never append: switch to this attempt once it is at least as long as the partial.
        if (text.length >= best.length) screen.show(text, 'streaming');
      }
      if (signal?.aborted) {
        screen.show(text, 'stopped'); // the user pressed Stop: keep it, do not retry
        return { text, status: 'stopped', attempts: attempt };
      }
      if (!finished) throw new Error('The stream ended without a finish_reason.');
      screen.show(text, 'complete');
      return { text, status: 'complete', attempts: attempt };
    } catch (error) {
      if (text.length > best.length) best = text;
      // Before the stream: only retryable statuses. Inside it: any failure (a user abort does not throw).
      const retry = attempt < maxAttempts && (started || isRetryable(error));
      if (!retry) break;
      screen.show(best, 'retrying');
      try {
        await sleep(retryDelayMs(error, attempt), signal);
      } catch {
        screen.show(best, 'stopped'); // the user gave up while we waited
        return { text: best, status: 'stopped', attempts: attempt };
      }
    }
  }
  screen.show(best, 'incomplete');
  return { text: best, status: 'incomplete', attempts: Math.min(attempt, maxAttempts) };
}
