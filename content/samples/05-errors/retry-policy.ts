import { APIConnectionError, APIError, APIUserAbortError } from 'openai';

/** Statuses worth another attempt: timeouts, conflicts, rate limits, server errors, overload (529). */
const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/** The longest server-requested wait we honour; beyond it we fail fast instead of hanging. */
const MAX_SERVER_WAIT_MS = 60_000;

/** Whether a failed attempt is worth repeating. A user abort and a 4xx request error are not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true; // includes APIConnectionTimeoutError
  if (error instanceof APIError && error.status !== undefined) {
    return RETRYABLE_STATUS.has(error.status) || error.status >= 500;
  }
  return false;
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1): the server's `retry-after-ms`
 * or `retry-after` (seconds or an HTTP date) if present and sane, else exponential backoff from
 * 500 ms, capped at 8 s, with jitter so that many clients do not retry in lockstep.
 */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
): number {
  const headers = error instanceof APIError ? error.headers : undefined;
  const requested = serverRequestedWaitMs(headers);
  if (requested !== undefined && requested >= 0 && requested <= MAX_SERVER_WAIT_MS)
    return requested;
  const backoff = Math.min(8_000, 500 * 2 ** (attempt - 1));
  return Math.round(backoff * (0.75 + random() * 0.25)); // up to 25% earlier, never later
}

function serverRequestedWaitMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const after = headers?.get('retry-after');
  if (!after) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(after); // the other legal form: an HTTP date
  return Number.isNaN(date) ? undefined : date - Date.now();
}

/** Sleeps for `ms`, or rejects at once when `signal` aborts (a user who gives up should not wait). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
