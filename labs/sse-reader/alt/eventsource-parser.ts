/**
 * ALTERNATIVE correct solution (a test fixture, graded by `src/lab/grade/alt.test.ts`): the library
 * parser from `eventsource-parser/stream` in a pipe, read with `for await`.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';

export async function streamText(response: Response, onText: (text: string) => void) {
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  let text = '';
  for await (const { data } of events) {
    if (data === '[DONE]') break; // leaving the loop cancels the stream
    const piece: unknown = JSON.parse(data).choices?.[0]?.delta?.content;
    if (typeof piece === 'string' && piece) {
      text += piece;
      onText(piece);
    }
  }
  return text;
}
