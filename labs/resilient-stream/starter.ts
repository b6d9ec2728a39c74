/**
 * Make a streamed answer survive the network.
 *
 * `streamAnswer` asks for a streamed Chat Completion and shows it on `screen` as it arrives. Right now it
 * makes one attempt and hopes. Make it:
 * - retry 408/409/429/5xx/529 answers and anything that fails after the 200 (a drop, a stall, an
 *   in-stream `data: {"error": …}`, data that is not valid JSON, a body that ends without
 *   `data: [DONE]`), up to `maxAttempts`;
 * - wait before each retry: `retry-after-ms`, else `retry-after` (seconds), else exponential backoff from
 *   `baseDelayMs` with jitter;
 * - never show text twice: `screen.show` replaces the text, and each attempt starts from scratch;
 * - when every attempt fails, show and return the longest partial text with status `'incomplete'`;
 * - abort an attempt when nothing arrives for `idleTimeoutMs`;
 * - stop at once when `signal` aborts, returning what was shown with status `'stopped'`.
 */

/** The label shown next to the text. */
export type AnswerStatus = 'streaming' | 'retrying' | 'complete' | 'incomplete' | 'stopped';

/** What the user sees. Every call replaces the text on screen (it never appends). */
export interface Screen {
  show(text: string, status: AnswerStatus): void;
}

export interface AnswerOptions {
  /** Abort to cancel (the user pressed Stop). */
  signal?: AbortSignal;
  /** Attempts in total, the first included (default 3). */
  maxAttempts?: number;
  /** First backoff delay when the server does not say how long to wait; doubles per attempt (default 500). */
  baseDelayMs?: number;
  /** Longest silence allowed between two reads of a stream before it is aborted (default 10 s). */
  idleTimeoutMs?: number;
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
}

export interface Answer {
  text: string;
  status: 'complete' | 'incomplete' | 'stopped';
  /** How many requests were made. */
  attempts: number;
  /** Why the answer is incomplete. */
  error?: string;
}

export async function streamAnswer(
  prompt: string,
  screen: Screen,
  options: AnswerOptions = {},
): Promise<Answer> {
  const { fetch: doFetch = fetch } = options;
  const response = await doFetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    }),
  });
  if (!response.ok || !response.body) {
    // TODO: retry the statuses worth retrying, after the wait the server asks for.
    screen.show('', 'incomplete');
    return { text: '', status: 'incomplete', attempts: 1, error: `HTTP ${response.status}` };
  }
  let text = '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  while (true) {
    // TODO: an idle timer around each read.
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trimStart();
      if (data === '[DONE]') break;
      const chunk = JSON.parse(data) as {
        error?: { message?: string };
        choices?: Array<{ delta?: { content?: string | null } }>;
      };
      text += chunk.choices?.[0]?.delta?.content ?? '';
      screen.show(text, 'streaming');
    }
  }
  // TODO: was this really the end of the answer?
  screen.show(text, 'complete');
  return { text, status: 'complete', attempts: 1 };
}
