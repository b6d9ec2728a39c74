/**
 * Buggy on purpose: checks signal.aborted only once the response has arrived, so a signal aborted
 * before the call still sends a (billed) request. Must fail `already-cancelled` (see lab.json).
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

/** A failure that another attempt may fix, with the wait the server asked for. */
class RetryableError extends Error {
  readonly waitMs: number | undefined;
  constructor(message: string, waitMs?: number) {
    super(message);
    this.waitMs = waitMs;
  }
}

const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);
const MAX_DELAY_MS = 8_000;

/** The wait a 429/5xx answer asks for, in ms: `retry-after-ms`, else `retry-after` (seconds or a date). */
function requestedWaitMs(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const after = headers.get('retry-after');
  if (!after) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function streamAnswer(
  prompt: string,
  screen: Screen,
  options: AnswerOptions = {},
): Promise<Answer> {
  const {
    signal,
    maxAttempts = 3,
    baseDelayMs = 500,
    idleTimeoutMs = 10_000,
    fetch: doFetch = fetch,
  } = options;
  let best = ''; // the longest text any attempt produced: what stays on screen between attempts
  let lastError = '';
  let made = 0; // requests made so far

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    made = attempt;
    let text = ''; // this attempt's text only: a retry is a new generation, never appended
    const controller = new AbortController();
    const stop = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', stop, { once: true });
    let idle = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        idle = true;
        controller.abort(new Error('idle timeout'));
        void reader?.cancel().catch(() => {});
      }, idleTimeoutMs);
    };
    let waitMs: number | undefined;
    try {
      arm(); // the wait for the headers counts as silence too
      const response = await doFetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: prompt }],
        }),
        signal: controller.signal,
      });
      if (signal?.aborted) throw signal.reason;
      if (!response.ok || !response.body) {
        const detail = await response.text().catch(() => '');
        const message = `HTTP ${response.status}: ${detail.slice(0, 200)}`;
        if (RETRYABLE_STATUS.has(response.status) || response.status >= 500) {
          throw new RetryableError(message, requestedWaitMs(response.headers));
        }
        throw new Error(message); // 400, 401, 404…: the same request will fail the same way
      }
      reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      let done = false;
      while (!done) {
        arm();
        const read = await reader.read();
        if (read.done) break;
        buffer += decoder.decode(read.value, { stream: true });
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trimStart();
          if (data === '[DONE]') {
            done = true;
            break;
          }
          const chunk = JSON.parse(data) as {
            error?: { message?: string };
            choices?: Array<{ delta?: { content?: string | null } }>;
          };
          // A 200 can still fail: the provider reports an overload inside the stream.
          if (chunk.error) throw new RetryableError(`in-stream error: ${chunk.error.message}`);
          const piece = chunk.choices?.[0]?.delta?.content ?? '';
          if (!piece) continue;
          text += piece;
          // Replace, never append; keep the longer partial on screen until this attempt catches up.
          if (text.length >= best.length) screen.show(text, 'streaming');
        }
      }
      if (signal?.aborted) throw signal.reason;
      if (idle) throw new RetryableError(`the stream was silent for ${idleTimeoutMs} ms`);
      // A stream that closes without [DONE] was cut off: never present it as complete.
      if (!done) throw new RetryableError('the stream ended without data: [DONE]');
      void reader.cancel().catch(() => {});
      screen.show(text, 'complete');
      return { text, status: 'complete', attempts: attempt };
    } catch (error) {
      if (text.length > best.length) best = text;
      if (signal?.aborted) {
        screen.show(best, 'stopped');
        return { text: best, status: 'stopped', attempts: attempt };
      }
      const started = reader !== undefined; // a failure after the 200 is worth retrying
      const retryable = error instanceof RetryableError || started || idle;
      lastError = idle
        ? `the stream was silent for ${idleTimeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      if (!retryable || attempt === maxAttempts) break;
      waitMs = error instanceof RetryableError ? error.waitMs : undefined;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
    }
    screen.show(best, 'retrying');
    const backoff = Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (attempt - 1));
    const delay = waitMs ?? Math.round(backoff * (0.75 + Math.random() * 0.25));
    try {
      await sleep(delay, signal);
    } catch {
      screen.show(best, 'stopped'); // cancelled while waiting: do not wait on
      return { text: best, status: 'stopped', attempts: attempt };
    }
  }
  screen.show(best, 'incomplete');
  return {
    text: best,
    status: 'incomplete',
    attempts: made,
    error: lastError,
  };
}
