/**
 * What Run does: one `streamAnswer` under the scenario you picked, logging each change of status on the
 * screen (and the text length), then the outcome. Pick `rate-limited`, `server-error`, `disconnect` or
 * `stall` to watch the retries and the waits between them on the timeline.
 */
import { streamAnswer } from './starter.ts';
import type { AnswerStatus } from './starter.ts';

export default async function run() {
  let last: AnswerStatus | undefined;
  let updates = 0;
  const result = await streamAnswer(
    'Explain backoff with jitter in two sentences.',
    {
      show(text, status) {
        updates++;
        if (status !== last) console.log(`[${status}] ${text.length} characters on screen`);
        last = status;
      },
    },
    { baseDelayMs: 300, idleTimeoutMs: 2_000, maxAttempts: 3 },
  );
  console.log(
    `${result.status} after ${result.attempts} attempt(s), ${updates} screen updates${result.error ? `: ${result.error}` : ''}`,
  );
  console.log(result.text);
  return result;
}
