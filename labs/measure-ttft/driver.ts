/**
 * What Run does: the same question twice, streamed and then not, under the scenario you picked, and a
 * comparison of the two. Pick `slow-first-token` to see the first token wait while the headers do not.
 */
import { timeReply } from './starter.ts';

export default async function run() {
  const streamed = await timeReply(true);
  console.log(
    `streamed:     first token after ${streamed.ttftMs.toFixed(0)} ms, done after ${streamed.totalMs.toFixed(0)} ms`,
  );
  const whole = await timeReply(false);
  console.log(
    `not streamed: first token after ${whole.ttftMs.toFixed(0)} ms, done after ${whole.totalMs.toFixed(0)} ms`,
  );
  const saved = whole.ttftMs - streamed.ttftMs;
  console.log(
    `Streaming showed text ${saved.toFixed(0)} ms sooner; the total differs by ${(whole.totalMs - streamed.totalMs).toFixed(0)} ms.`,
  );
  console.log(streamed.text);
  return { streamed: { ...streamed, text: undefined }, notStreamed: { ...whole, text: undefined } };
}
